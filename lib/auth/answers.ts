// How the auth and account routes answer: JSON for API clients; for plain HTML forms, a 303
// redirect back to a page (so the pages work without JavaScript and a reload never re-posts a
// password). Redirects carry codes, never free text, so no link can put words on our pages.
import { NextResponse } from "next/server";
import { errorResponse, NO_STORE, type ApiError } from "@/lib/http/errors";
import { inputMode, type InputMode } from "@/lib/http/read-input";
import { safeNextPath } from "@/lib/http/next-path";
import { messageFor } from "./credentials";

export function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location, "cache-control": NO_STORE } });
}

/**
 * A failure. JSON gets the error with each field's code turned into words; a form goes back to
 * `page` with `error=<code>` and `<field>_error=<code>` in the query, and what was typed (but
 * never a password) under `echo`.
 */
export function answerFailure(
  mode: InputMode,
  error: ApiError,
  form: { page: string; echo?: unknown; fragment?: string },
  headers?: Record<string, string>,
): NextResponse {
  if (mode === "json") {
    const fields = error.fields
      ? Object.fromEntries(Object.entries(error.fields).map(([k, c]) => [k, messageFor(c) ?? c]))
      : undefined;
    return errorResponse({ ...error, fields }, { headers });
  }
  const query = new URLSearchParams({ error: error.code });
  const echo = (typeof form.echo === "object" && form.echo ? form.echo : {}) as Record<string, unknown>;
  if (typeof echo.email === "string") query.set("email", echo.email.slice(0, 254));
  if (typeof echo.next === "string") query.set("next", safeNextPath(echo.next));
  if (echo.remember === false) query.set("remember", "0");
  for (const [field, code] of Object.entries(error.fields ?? {})) query.set(`${field}_error`, code);
  const response = seeOther(`${form.page}?${query}${form.fragment ? `#${form.fragment}` : ""}`);
  for (const [name, value] of Object.entries(headers ?? {})) response.headers.set(name, value);
  return response;
}

/** 429 with Retry-After, for any route that counts attempts. */
export function tooManyAttempts(retryAfterSeconds: number): { error: ApiError; headers: Record<string, string> } {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return {
    error: {
      status: 429,
      code: "rate_limited",
      message: `Too many attempts. Please try again in ${retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${minutes} minutes`}.`,
    },
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

export const ACCOUNT_NOTICES = {
  session_ended: "That session has been signed out.",
  other_sessions_ended: "You have been signed out everywhere else.",
  password_changed: "Your password has been changed, and your other sessions have been signed out.",
} as const;

export type AccountNotice = keyof typeof ACCOUNT_NOTICES;

/** An account change that worked: 204, or for a form a 303 back to /account with a notice. */
export function accountDone(request: Request, notice: AccountNotice): NextResponse {
  return inputMode(request) === "form"
    ? seeOther(`/account?notice=${notice}`)
    : new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });
}

// Answers for the sign-up and sign-in routes: JSON for API clients, 303 redirects for plain forms
// (so the pages work without JavaScript and a reload never re-posts a password).
import { NextResponse } from "next/server";
import { errorResponse, NO_STORE, type ApiError } from "@/lib/http/errors";
import type { InputMode } from "@/lib/http/read-input";
import { safeNextPath } from "@/lib/http/next-path";
import { messageFor } from "./credentials";

export function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location, "cache-control": NO_STORE } });
}

/**
 * A failed sign-up or sign-in. Forms go back to their page with codes (never free text) in the
 * query string, which the page turns into inline messages; what the person typed, but for the
 * password, is kept.
 */
export function credentialsError(
  mode: InputMode,
  error: ApiError,
  page: "/login" | "/register",
  submitted: unknown,
): NextResponse {
  if (mode === "json") {
    const fields = error.fields
      ? Object.fromEntries(Object.entries(error.fields).map(([k, c]) => [k, messageFor(c) ?? c]))
      : undefined;
    return errorResponse({ ...error, message: messageFor(error.code) ?? error.message, fields });
  }
  const query = new URLSearchParams({ error: error.code });
  const echo = (typeof submitted === "object" && submitted ? submitted : {}) as Record<string, unknown>;
  if (typeof echo.email === "string") query.set("email", echo.email.slice(0, 254));
  if (typeof echo.next === "string") query.set("next", safeNextPath(echo.next));
  if (echo.remember === false) query.set("remember", "0");
  for (const [field, code] of Object.entries(error.fields ?? {})) query.set(`${field}_error`, code);
  return seeOther(`${page}?${query}`);
}

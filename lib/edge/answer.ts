// How Keycard answers, for the middleware and the route handlers alike. Edge-safe.
//
// JSON for API clients, errors from the catalogue (./errors.ts); for plain HTML forms, a 303
// redirect back to a page, so the pages work without JavaScript and a reload never re-posts a
// password. Redirects carry codes, never free text, so no link can put words on our pages. Every
// answer is `Cache-Control: no-store`; cookies are set and cleared here and nowhere else.
import { NextResponse } from "next/server";
import { clearedTokenCookies, formEmailCookie, type CookieSettings, type CookieToSet } from "./cookies";
import { fieldMessageFor } from "./credentials";
import { apiError, errorMessageFor, type ApiError, type ErrorCode } from "./errors";
import { safeNextPath } from "./next-path";
import { inputMode, type InputMode } from "./read-input";

export const NO_STORE = "no-store";
/** For protected pages and APIs: never kept by a browser or a shared cache. */
export const PRIVATE_NO_STORE = "private, no-store, max-age=0";

export function json(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: { "cache-control": NO_STORE } });
}

export function noContent(): NextResponse {
  return new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });
}

export function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location, "cache-control": NO_STORE } });
}

export function errorResponse(error: ApiError, headers?: Record<string, string>): NextResponse {
  const { status, ...body } = error;
  const response = NextResponse.json({ error: body }, { status, headers });
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", NO_STORE);
  return response;
}

/** The catalogue's error for `code` as a response. */
export function failWith(code: ErrorCode, headers?: Record<string, string>): NextResponse {
  return errorResponse(apiError(code), headers);
}

export function withCookies<R extends NextResponse>(response: R, cookies: CookieToSet[]): R {
  for (const { name, value, options } of cookies) response.cookies.set(name, value, options);
  return response;
}

/** The response with both token cookies removed from the browser. */
export function withoutTokenCookies<R extends NextResponse>(response: R, settings: CookieSettings): R {
  return withCookies(response, clearedTokenCookies(settings));
}

/** 429 with Retry-After, for any route that counts attempts. */
export function tooManyAttempts(retryAfterSeconds: number): { error: ApiError; headers: Record<string, string> } {
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return {
    error: apiError("rate_limited", { message: `Too many attempts. Please try again in ${wait}.` }),
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

/**
 * A failure. JSON gets the error with each field's code turned into words; a form goes back to
 * `page` with `error=<code>` and `<field>_error=<code>` in the query. What was typed is not put in
 * the address (it would stay in history and logs), except `next` and the "stay signed in" choice;
 * the email comes back in a short-lived HttpOnly cookie instead (`form.cookies` says its name).
 */
export function answerFailure(mode: InputMode, error: ApiError, form: FailedForm, headers?: Record<string, string>): NextResponse {
  if (mode === "json") {
    const fields = error.fields
      ? Object.fromEntries(Object.entries(error.fields).map(([k, c]) => [k, fieldMessageFor(c) ?? (c === error.code ? error.message : errorMessageFor(c)) ?? c]))
      : undefined;
    return errorResponse({ ...error, fields }, headers);
  }
  const query = new URLSearchParams({ error: error.code });
  const echo = (typeof form.echo === "object" && form.echo ? form.echo : {}) as Record<string, unknown>;
  if (typeof echo.next === "string") query.set("next", safeNextPath(echo.next));
  if (echo.remember === false) query.set("remember", "0");
  for (const [field, code] of Object.entries(error.fields ?? {})) query.set(`${field}_error`, code);
  const response = seeOther(`${form.page}${form.page.includes("?") ? "&" : "?"}${query}${form.fragment ? `#${form.fragment}` : ""}`);
  for (const [name, value] of Object.entries(headers ?? {})) response.headers.set(name, value);
  if (typeof echo.email === "string" && form.cookies) withCookies(response, [formEmailCookie(echo.email, form.cookies)]);
  return response;
}

/** Where a plain form goes when the action needs a fresh sign-in first: the account page's confirm form. */
export const CONFIRM_FORM: FailedForm = { page: "/account?form=confirm", fragment: "confirm-section" };
/** The same section's form for confirming through a provider (its code field's errors are its own). */
export const CONFIRM_WITH_PROVIDER_FORM: FailedForm = { page: "/account?form=confirm-provider", fragment: "confirm-section" };

/** Where a failed form goes back to, and what it may carry back. */
export type FailedForm = { page: string; echo?: unknown; fragment?: string; cookies?: CookieSettings };

/**
 * An action that said no: 429 with Retry-After when it was rate limited, otherwise the catalogue's
 * error for its code. `blames` names, per code, the form's field it is about (`fields` then says
 * so, and a plain form shows it next to that field): `{ wrong_password: "currentPassword" }`.
 */
export function answerRefusal(
  mode: InputMode,
  refusal: { code: ErrorCode; retryAfterSeconds?: number; message?: string },
  form: FailedForm,
  blames: Partial<Record<ErrorCode, string>> = {},
): NextResponse {
  if (refusal.code === "rate_limited" && refusal.retryAfterSeconds !== undefined) {
    const { error, headers } = tooManyAttempts(refusal.retryAfterSeconds);
    return answerFailure(mode, error, form, headers);
  }
  const field = blames[refusal.code];
  // An action's own words (whom to contact about a locked account) replace the catalogue's.
  return answerFailure(mode, apiError(refusal.code, { ...(refusal.message ? { message: refusal.message } : {}), ...(field ? { fields: { [field]: refusal.code } } : {}) }), form);
}

/** Mail is on its way, or a next step awaits: 202 with `status` (and anything else the client needs), or a form's 303 to `page`. */
export function answerMailSent(mode: InputMode, body: { status: string } & Record<string, unknown>, page: string, cookies: CookieToSet[] = []): NextResponse {
  return withCookies(mode === "form" ? seeOther(page) : json(body, 202), cookies);
}

/**
 * A new password too easy to guess: JSON says exactly why next to the field ("This is a commonly
 * used password. Add more words…"); a plain form gets the code, whose words are general.
 */
export function weakPasswordError(mode: InputMode, why: string, field: string): ApiError {
  return apiError("password_too_weak", { message: why, fields: { [field]: mode === "json" ? why : "password_too_weak" } });
}

/** Signed in or signed up: the new cookies, and JSON with the user or, for a form, a 303 to `next`. */
export function answerSignedIn(
  mode: InputMode,
  signedIn: { user: { id: string; email: string }; tokens: { cookies: CookieToSet[] } },
  next: string | undefined,
  status: 200 | 201 = 200,
): NextResponse {
  const response = mode === "form" ? seeOther(safeNextPath(next)) : json({ user: signedIn.user }, status);
  return withCookies(response, signedIn.tokens.cookies);
}

export const ACCOUNT_NOTICES = {
  session_ended: "That session has been signed out.",
  other_sessions_ended: "You have been signed out everywhere else.",
  password_changed: "Your password has been changed, and your other sessions have been signed out.",
  reauthenticated: "Confirmed. Now do again what you started.",
  passkey_added: "A passkey was added. You can sign in with it from the sign-in page.",
  passkey_removed: "The passkey was removed. It can no longer sign in.",
  passkey_renamed: "The passkey was renamed.",
  two_factor_disabled: "Two-step sign-in is off. Your recovery codes no longer work.",
  two_factor_enabled: "Two-step sign-in is on. Keep your recovery codes somewhere safe.",
  password_reset: "Your password has been reset. Every other session of your account was signed out.",
  email_changed: "Your email address has been changed. Your old address was told, with a way to undo it.",
  provider_connected: "The provider is connected: it can sign you in to this account now.",
  provider_disconnected: "The provider is disconnected: it no longer signs you in.",
  password_removed: "Your password was removed. You sign in with a passkey or another provider.",
} as const;

export type AccountNotice = keyof typeof ACCOUNT_NOTICES;

/** An account change that worked: 204, or for a form a 303 back to /account with a notice. */
export function accountDone(request: Request, notice: AccountNotice): NextResponse {
  return inputMode(request) === "form" ? seeOther(`/account?notice=${notice}`) : noContent();
}

export type { InputMode };

export const OPERATOR_NOTICES = {
  sessions_revoked: "Their sessions were signed out. They were mailed.",
  account_locked: "The account is locked: nobody can sign in to it. They were mailed.",
  account_unlocked: "The account is unlocked. They were mailed.",
  password_reset_required: "Their password no longer works; a link to choose a new one was mailed.",
  second_factor_removed: "Their second factor and passkeys were removed. They were mailed.",
  mail_resent: "The mail is queued to be sent again.",
  account_deleted: "The account was deleted. They were mailed.",
} as const;

export type OperatorNotice = keyof typeof OPERATOR_NOTICES;

/** An operator's change that worked: 204, or for a form a 303 back to the person's page (the console, for a deletion) with a notice. */
export function operatorDone(request: Request, userId: string, notice: OperatorNotice): NextResponse {
  if (inputMode(request) !== "form") return noContent();
  return seeOther(notice === "account_deleted" ? `/admin?notice=${notice}` : `/admin/users/${encodeURIComponent(userId)}?notice=${notice}`);
}

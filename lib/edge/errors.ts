// The error catalogue: every code the HTTP API can answer, with its status and its words, defined
// once for the middleware and the route handlers. Edge-safe. Errors are
// { "error": { "code", "message", "fields"? } } on the wire (lib/edge/answer.ts).

export type ApiError = {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
};

export const ERRORS = {
  // Any request
  malformed_json: { status: 400, message: "The request body is not valid JSON." },
  invalid_body: { status: 400, message: "The request body must be a JSON object." },
  unknown_fields: { status: 400, message: "The request body has fields this route does not take." },
  validation_failed: { status: 400, message: "Some fields need attention." },
  body_too_large: { status: 413, message: "The request body is too large." },
  unsupported_media_type: {
    status: 415,
    message: "Send the body as application/json or as a form (application/x-www-form-urlencoded).",
  },
  csrf: { status: 403, message: "This request came from another site, so it was refused. Use Keycard's own pages." },
  unauthenticated: { status: 401, message: "You are not signed in." },
  reauth_code_required: { status: 400, message: "Also enter the code from your authenticator app (or a recovery code)." },
  reauthentication_required: {
    status: 403,
    message: "To do this, confirm it’s you: enter your password again.",
  },
  not_found: { status: 404, message: "There is nothing here." },
  method_not_allowed: { status: 405, message: "This route does not take that method." },
  rate_limited: { status: 429, message: "Too many attempts. Please wait a few minutes and try again." },
  // Faults: the cookies stay, nothing is lost.
  store_unavailable: {
    status: 503,
    message: "Sign-in is briefly unavailable. Nothing was changed; please try again in a moment.",
  },
  busy: { status: 503, message: "The server is busy checking other passwords. Please try again in a few seconds." },
  not_ready: { status: 503, message: "This instance cannot serve requests right now." },
  internal_error: {
    status: 500,
    message: "Something went wrong on our side. Nothing was changed; please try again, and tell us if it keeps happening.",
  },
  // Accounts
  invalid_credentials: { status: 401, message: "That email and password don’t match an account." },
  account_locked: {
    status: 403,
    message: "This account is locked to protect it: nobody can sign in to it or reset its password. Contact the service’s support to get it back.",
  },
  email_taken: { status: 409, message: "An account with this email already exists. Sign in instead?" },
  wrong_password: { status: 400, message: "That isn’t your current password." },
  session_not_found: { status: 404, message: "There is no such session to sign out." },
  email_unchanged: { status: 400, message: "That is already your address." },
  email_change_too_soon: {
    status: 409,
    message: "A way to sign in (a passkey, an authenticator app or new recovery codes) was added less than a day ago, so the address cannot change yet: a session that is not yours must not add its own way in and then move your account.",
  },
  passkey_failed: { status: 400, message: "The passkey could not be verified. Please try again." },
  passkey_not_found: { status: 404, message: "There is no such passkey on your account." },
  last_way_in: {
    status: 409,
    message: "This is the last way to sign in to your account. Add another first (a password, a passkey or another provider), then remove this one.",
  },
  no_password: { status: 400, message: "Your account has no password to remove." },
  identity_not_found: { status: 404, message: "There is no such provider connected to your account." },
  provider_not_found: { status: 404, message: "There is no such provider to sign in with here." },
  provider_not_connected: { status: 400, message: "That provider is not connected to your account." },
  provider_cancelled: { status: 400, message: "You cancelled at the provider, so you were not signed in." },
  provider_refused: { status: 400, message: "The provider’s answer could not be used, so nothing was done. Please try again." },
  provider_unreachable: { status: 503, message: "We couldn’t reach the provider just now. Please try again in a moment." },
  two_factor_already_on: { status: 409, message: "Two-step sign-in is already on. Turn it off first to use another app." },
  two_factor_not_started: { status: 400, message: "Start setting up two-step sign-in first." },
  two_factor_not_on: { status: 400, message: "Two-step sign-in is not on." },
  sign_in_expired: { status: 401, message: "This sign-in has expired or was tried too many times. Please enter your password again." },
  confirmation_mismatch: { status: 400, message: "Type your email address exactly as it is on the account to confirm." },
  password_too_weak: {
    status: 400,
    message: "This password would be easy to guess. Add another word or two; avoid common passwords, names and your email address.",
  },
  // Operators
  user_not_found: { status: 404, message: "There is no such account." },
  operator_needs_second_factor: {
    status: 403,
    message: "The operator console needs two-step sign-in or a passkey on your account. Set one up from your account page, then come back.",
  },
  operator_needs_strong_sign_in: {
    status: 403,
    message: "This session was signed in without a second factor. Confirm it’s you with your passkey or your app’s code to use the console.",
  },
  operator_self: { status: 409, message: "You cannot do this to your own account from the console." },
  lock_needs_owner: {
    status: 409,
    message:
      "This account was locked because its owner undid an address change and the old address belongs to another account now: its current address, password and factors may be a hijacker's. It cannot be unlocked from the console; see docs/decisions/0012-operators.md.",
  },
  mail_not_found: { status: 404, message: "There is no such mail to this person." },
  mail_not_failed: { status: 409, message: "Only a mail that failed can be sent again; this one is sent or still being tried." },
  // Mailed codes and links
  code_incorrect: { status: 400, message: "That code isn’t right. Check the latest mail and try again." },
  code_expired: {
    status: 400,
    message: "This code has expired, was already used, or was tried too many times. Ask for a new one.",
  },
  password_mismatch: { status: 400, message: "That isn’t the password chosen when this sign-up started." },
  link_expired: { status: 400, message: "This link has expired or was already used. Ask for a new one." },
  confirmation_expired: { status: 400, message: "That confirmation expired (five minutes) or was finished already. Confirm it’s you again." },
  // Refresh
  missing: { status: 401, message: "No refresh token was sent. Please sign in." },
  invalid: { status: 401, message: "The refresh token is not valid. Please sign in." },
  expired: { status: 401, message: "The session has ended. Please sign in again." },
  revoked: { status: 401, message: "The session was signed out. Please sign in again." },
  reused: {
    status: 401,
    message: "This refresh token was already used, so the session was ended to protect the account. Please sign in again.",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The catalogue's error for `code`, with a more specific message or fields where given. */
export function apiError(code: ErrorCode, more: { message?: string; fields?: Record<string, string> } = {}): ApiError {
  const { status, message } = ERRORS[code];
  return { status, code, message: more.message ?? message, ...(more.fields ? { fields: more.fields } : {}) };
}

/** The catalogue's words for a code from a query string; unknown codes get none. */
export function errorMessageFor(code: string | null | undefined): string | undefined {
  return code && Object.hasOwn(ERRORS, code) ? ERRORS[code as ErrorCode].message : undefined;
}

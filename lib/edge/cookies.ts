// Cookie names and attributes, defined once. Edge-safe: used by the middleware and route handlers.
//
// Both cookies are HttpOnly (no script can read a token), SameSite=Lax and Path=/ (the middleware
// needs the refresh cookie on page requests to refresh silently). A session that is not
// "kept signed in" gets session cookies: they end when the browser does. Over HTTPS they are
// Secure and carry the __Host- prefix, which browsers only accept from a secure origin, for this
// exact host and Path=/: no subdomain and no plain-HTTP page can set or shadow them.

export type CookieSettings = { cookieSecure: boolean };
type Settings = CookieSettings;

export function cookieNames(settings: Settings): { access: string; refresh: string } {
  const prefix = settings.cookieSecure ? "__Host-" : "";
  return { access: `${prefix}kc_access`, refresh: `${prefix}kc_refresh` };
}

export type CookieOptions = {
  httpOnly: true;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  expires?: Date;
  maxAge?: number;
};

export type CookieToSet = { name: string; value: string; options: CookieOptions };

function options(settings: Settings, expires: Date | undefined): CookieOptions {
  const base = { httpOnly: true, sameSite: "lax", path: "/", secure: settings.cookieSecure } as const;
  return expires ? { ...base, expires } : base;
}

/**
 * The pair of cookies for a freshly issued access token and refresh token. With `persistent`,
 * each lives as long as what it carries; without, both are session cookies.
 */
export function tokenCookies(
  tokens: {
    accessToken: string;
    accessTokenExpiresAt: Date;
    refreshToken: string;
    refreshTokenExpiresAt: Date;
    persistent: boolean;
  },
  settings: Settings,
): CookieToSet[] {
  const { persistent } = tokens;
  const names = cookieNames(settings);
  return [
    {
      name: names.access,
      value: tokens.accessToken,
      options: options(settings, persistent ? tokens.accessTokenExpiresAt : undefined),
    },
    {
      name: names.refresh,
      value: tokens.refreshToken,
      options: options(settings, persistent ? tokens.refreshTokenExpiresAt : undefined),
    },
  ];
}

/** Cookies that remove both tokens from the browser. */
export function clearedTokenCookies(settings: Settings): CookieToSet[] {
  const names = cookieNames(settings);
  return [names.access, names.refresh].map((name) => ({
    name,
    value: "",
    options: { ...options(settings, new Date(0)), maxAge: 0 },
  }));
}

// A no-JavaScript form that failed goes back to its page with a 303; what the person typed in the
// email field rides along in this short-lived cookie rather than in the address, where it would
// stay in the browser's history and the server's logs.
const FORM_EMAIL_SECONDS = 60;

export function formEmailCookieName(settings: Settings): string {
  return `${settings.cookieSecure ? "__Host-" : ""}kc_form_email`;
}

export function formEmailCookie(email: string, settings: Settings): CookieToSet {
  return {
    name: formEmailCookieName(settings),
    // Whole characters only (an emoji cut in half, or a lone surrogate sent on purpose, cannot be
    // encoded), then encoded so nothing in it can end the cookie.
    value: encodeURIComponent(Array.from(email.toWellFormed()).slice(0, 254).join("")),
    options: { ...options(settings, undefined), maxAge: FORM_EMAIL_SECONDS },
  };
}

/** The email a failed form left behind, or "". */
export function readFormEmail(value: string | undefined): string {
  try {
    return value ? Array.from(decodeURIComponent(value)).slice(0, 254).join("") : "";
  } catch {
    return "";
  }
}


// A browser that has signed in before, so a sign-in from it sends no "new sign-in" mail. Random,
// meaningless on its own (the server keeps its hash per account), and as long-lived as browsers
// allow (400 days), renewed at each sign-in.
const DEVICE_SECONDS = 400 * 24 * 3600;

export function deviceCookieName(settings: Settings): string {
  return `${settings.cookieSecure ? "__Host-" : ""}kc_device`;
}

/**
 * What a browser brings to a sign-in: its device cookie, and the refresh token of a session it
 * still holds, which the new session replaces (both checked by the server, never trusted).
 */
export type HeldByBrowser = { deviceId?: string; refreshToken?: string };

export function heldByBrowser(request: { cookies: { get(name: string): { value: string } | undefined } }, settings: Settings): HeldByBrowser {
  return { deviceId: request.cookies.get(deviceCookieName(settings))?.value, refreshToken: request.cookies.get(cookieNames(settings).refresh)?.value };
}

export function deviceCookie(value: string, settings: Settings): CookieToSet {
  return { name: deviceCookieName(settings), value, options: { ...options(settings, undefined), maxAge: DEVICE_SECONDS } };
}

/**
 * A short-lived HttpOnly cookie with one job (a step between two requests): its name, the cookie
 * that sets it for `maxAgeSeconds`, the one that clears it.
 */
function stepCookie(baseName: string, maxAgeSeconds: number) {
  const name = (settings: Settings) => `${settings.cookieSecure ? "__Host-" : ""}${baseName}`;
  return {
    name,
    set: (value: string, settings: Settings): CookieToSet => ({ name: name(settings), value, options: { ...options(settings, undefined), maxAge: maxAgeSeconds } }),
    cleared: (settings: Settings): CookieToSet => ({ name: name(settings), value: "", options: { ...options(settings, new Date(0)), maxAge: 0 } }),
  };
}

// A sign-up waiting for its code: which challenge the code on /register/verify belongs to. Lives
// as long as the code does. The same cookie is set whether or not the address had an account.
export const SIGN_UP_SECONDS = 15 * 60;
const signUp = stepCookie("kc_sign_up", SIGN_UP_SECONDS);
export const signUpCookieName = signUp.name;
export const signUpCookie = signUp.set;
export const clearedSignUpCookie = signUp.cleared;

/** This browser's waiting sign-up, if its cookie holds one (anything else is ignored, not sent on). */
export function signUpChallengeOf(request: { cookies: { get(name: string): { value: string } | undefined } }, settings: Settings): string | undefined {
  const value = request.cookies.get(signUpCookieName(settings))?.value;
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : undefined;
}

// A sign-in waiting for its second factor: never a session, only which pending attempt the code on
// /login/verify belongs to. As short-lived as the attempt.
const secondStep = stepCookie("kc_second_step", 5 * 60);
export const secondStepCookieName = secondStep.name;
export const secondStepCookie = secondStep.set;
export const clearedSecondStepCookie = secondStep.cleared;

// Passkey sign-in: one random value per browser, which every challenge it asks for is bound to
// (the email field's autofill and the button may run at once). Five minutes, renewed with each.
const passkeyAttempt = stepCookie("kc_passkey", 5 * 60);
export const passkeyAttemptCookieName = passkeyAttempt.name;
export const passkeyAttemptCookie = passkeyAttempt.set;
export const clearedPasskeyAttemptCookie = passkeyAttempt.cleared;

// A sign-in through another provider on its way: one random value per browser, which every attempt
// it starts is bound to (its hash is stored), so a callback opened in another browser — or forged
// into this one — finds nothing. Ten minutes, as long as an attempt and a link waiting after it.
const providerAttempt = stepCookie("kc_provider", 10 * 60);
export const providerCookieName = providerAttempt.name;
export const providerCookie = providerAttempt.set;
export const clearedProviderCookie = providerAttempt.cleared;

// Cookie names and attributes, defined once. Edge-safe: used by the middleware and route handlers.
//
// Both cookies are HttpOnly (no script can read a token), SameSite=Lax and Path=/ (the middleware
// needs the refresh cookie on page requests to refresh silently). A session that is not
// "kept signed in" gets session cookies: they end when the browser does.

export const ACCESS_COOKIE = "kc_access";
export const REFRESH_COOKIE = "kc_refresh";

export type CookieOptions = {
  httpOnly: true;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  expires?: Date;
  maxAge?: number;
};

export type CookieToSet = { name: string; value: string; options: CookieOptions };

type Settings = { cookieSecure: boolean };

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
  return [
    {
      name: ACCESS_COOKIE,
      value: tokens.accessToken,
      options: options(settings, persistent ? tokens.accessTokenExpiresAt : undefined),
    },
    {
      name: REFRESH_COOKIE,
      value: tokens.refreshToken,
      options: options(settings, persistent ? tokens.refreshTokenExpiresAt : undefined),
    },
  ];
}

/** Cookies that remove both tokens from the browser. */
export function clearedTokenCookies(settings: Settings): CookieToSet[] {
  return [ACCESS_COOKIE, REFRESH_COOKIE].map((name) => ({
    name,
    value: "",
    options: { ...options(settings, new Date(0)), maxAge: 0 },
  }));
}

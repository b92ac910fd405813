// Turning a stored session and its refresh token into the cookies a browser keeps. Node only.
import type { NextResponse } from "next/server";
import type { Config } from "@/lib/env";
import { signAccessToken } from "./access-token";
import { clearedTokenCookies, tokenCookies, type CookieToSet } from "./cookies";
import type { IssuedRefreshToken } from "./session-store";

export type IssuedTokens = {
  cookies: CookieToSet[];
  accessTokenExpiresAt: Date;
  sessionExpiresAt: Date;
};

export async function issueTokens(issued: IssuedRefreshToken, config: Config, now: Date): Promise<IssuedTokens> {
  const { session, refreshToken } = issued;
  const access = await signAccessToken({ userId: session.userId, sessionId: session.id }, config, now);
  return {
    cookies: tokenCookies(
      {
        accessToken: access.token,
        accessTokenExpiresAt: access.expiresAt,
        refreshToken,
        // The refresh cookie lasts as long as the session could stay idle; each refresh renews it.
        refreshTokenExpiresAt: session.idleExpiresAt,
        persistent: session.persistent,
      },
      config,
    ),
    accessTokenExpiresAt: access.expiresAt,
    sessionExpiresAt: session.idleExpiresAt,
  };
}

export function setCookies(response: NextResponse, cookies: CookieToSet[]): NextResponse {
  for (const { name, value, options } of cookies) response.cookies.set(name, value, options);
  return response;
}

export function clearTokenCookies(response: NextResponse, config: Config): NextResponse {
  return setCookies(response, clearedTokenCookies(config));
}

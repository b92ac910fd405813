// Turning a stored session and its refresh token into the cookies a browser keeps. Node only.
import "server-only";
import { tokenCookies, type CookieToSet } from "@/lib/edge/cookies";
import type { Config } from "@/lib/env";
import { signAccessToken } from "./signing-key";
import type { IssuedRefreshToken } from "./store/sessions";

export type IssuedTokens = {
  cookies: CookieToSet[];
  accessTokenExpiresAt: Date;
  sessionExpiresAt: Date;
};

export async function issueTokens(issued: IssuedRefreshToken, config: Config, now: Date): Promise<IssuedTokens> {
  const { session, refreshToken } = issued;
  const access = await signAccessToken(
    { userId: session.userId, sessionId: session.id, authenticatedAt: session.authenticatedAt ?? session.createdAt, amr: session.amr.split(",") },
    config,
    now,
  );
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

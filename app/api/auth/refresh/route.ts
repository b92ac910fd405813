// The one refresh path. The middleware calls it for page and API requests; browsers and other
// clients may call it directly. Nothing else rotates refresh tokens.
import { NextRequest, NextResponse } from "next/server";
import { cookieNames } from "@/lib/auth/cookies";
import { tooManyAttempts } from "@/lib/auth/answers";
import { clearTokenCookies, issueTokens, setCookies } from "@/lib/auth/issue-tokens";
import { checkLimit, countAttempt } from "@/lib/auth/rate-limit";
import { rotateRefreshToken, type RotateFailure } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { errorResponse, NO_STORE } from "@/lib/http/errors";
import { withStoreFaults } from "@/lib/http/with-store-faults";

const FAILURES: Record<RotateFailure | "missing", string> = {
  missing: "No refresh token was sent. Please sign in.",
  invalid: "The refresh token is not valid. Please sign in.",
  expired: "The session has ended. Please sign in again.",
  revoked: "The session was signed out. Please sign in again.",
  reused: "This refresh token was already used, so the session was ended to protect the account. Please sign in again.",
};

export const POST = withStoreFaults(async (request: NextRequest) => {
  const config = getConfig();
  const now = new Date();
  const presented = request.cookies.get(cookieNames(config).refresh)?.value;
  if (!presented) return clearTokenCookies(errorResponse({ status: 401, code: "missing", message: FAILURES.missing }), config);

  const db = getDb();
  const client = clientInfo(request);
  const result = await rotateRefreshToken(db, presented, config, now, client);
  if (!result.ok) {
    // Only failures count, and only failures are checked: honest refreshes pay nothing for the
    // limit. Past it, the answer is 429 and the cookies are left alone, so the middleware shows
    // "try again" rather than signing anyone out.
    const limitKey = `refresh:ip:${client.ip ?? "unknown"}`;
    const allowed = await checkLimit(db, limitKey, config.limits.refreshIp, now);
    await countAttempt(db, limitKey, config.limits.refreshIp, now);
    if (!allowed.ok) {
      const { error, headers } = tooManyAttempts(allowed.retryAfterSeconds);
      return errorResponse(error, { headers });
    }
    const response = errorResponse({ status: 401, code: result.code, message: FAILURES[result.code] });
    return clearTokenCookies(response, config);
  }
  const tokens = await issueTokens(result, config, now);
  const response = NextResponse.json(
    { accessTokenExpiresAt: tokens.accessTokenExpiresAt, sessionExpiresAt: tokens.sessionExpiresAt },
    { headers: { "cache-control": NO_STORE } },
  );
  return setCookies(response, tokens.cookies);
});

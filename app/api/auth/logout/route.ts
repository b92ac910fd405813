import { NextRequest, NextResponse } from "next/server";
import { verifyAccessToken } from "@/lib/auth/access-token";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "@/lib/auth/cookies";
import { seeOther } from "@/lib/auth/credentials-response";
import { clearTokenCookies } from "@/lib/auth/issue-tokens";
import { findSessionIdByRefreshToken, revokeSession } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { errorResponse, NO_STORE, storeUnavailable } from "@/lib/http/errors";
import { inputMode } from "@/lib/http/read-input";

// Signing out ends the session on the server (its refresh token stops working everywhere), then
// clears the cookies. Idempotent: signing out twice, or while signed out, still answers 204.
export async function POST(request: NextRequest) {
  const config = getConfig();
  const now = new Date();
  const mode = inputMode(request);
  try {
    const sessionId = await sessionToEnd(request, config, now);
    if (sessionId) await revokeSession(getDb(), sessionId, "signed_out", now);
  } catch (error) {
    // Keep the cookies: clearing them would hide a session that is still live on the server.
    console.error("[keycard] sign-out failed:", error);
    return mode === "form" ? seeOther("/dashboard?signout=failed") : errorResponse(storeUnavailable);
  }
  const response =
    mode === "form" ? seeOther("/login?signedout=1") : new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });
  return clearTokenCookies(response, config);
}

async function sessionToEnd(request: NextRequest, config: ReturnType<typeof getConfig>, now: Date) {
  const refresh = request.cookies.get(REFRESH_COOKIE)?.value;
  if (refresh) {
    const id = await findSessionIdByRefreshToken(getDb(), refresh);
    if (id) return id;
  }
  const access = request.cookies.get(ACCESS_COOKIE)?.value;
  if (!access) return null;
  const verified = await verifyAccessToken(access, config, now);
  return verified.ok ? verified.claims.sessionId : null;
}

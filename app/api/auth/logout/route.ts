import { NextRequest, NextResponse } from "next/server";
import { verifyAccessToken } from "@/lib/auth/access-token";
import { cookieNames } from "@/lib/auth/cookies";
import { seeOther } from "@/lib/auth/answers";
import { clearTokenCookies } from "@/lib/auth/issue-tokens";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import { findSessionByRefreshToken, revokeOtherSessions, revokeSession } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { getConfig, type Config } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { errorResponse, NO_STORE, storeUnavailable } from "@/lib/http/errors";
import { inputMode } from "@/lib/http/read-input";

// Signing out ends the session on the server (its refresh token stops working everywhere), then
// clears the cookies. `?everywhere=1` ends every session of the account. Idempotent: signing out
// twice, or while signed out, still answers 204.
export async function POST(request: NextRequest) {
  const config = getConfig();
  const now = new Date();
  const mode = inputMode(request);
  const everywhere = request.nextUrl.searchParams.get("everywhere") === "1";
  try {
    const session = await sessionToEnd(request, config, now);
    if (session) {
      const db = getDb();
      if (everywhere) {
        const ended = await revokeOtherSessions(db, { userId: session.userId, keepSessionId: null }, "signed_out_everywhere", now);
        const detail = `${ended} session${ended === 1 ? "" : "s"} ended`;
        await recordSecurityEvent(db, { ...session, type: "signed_out_everywhere", detail }, clientInfo(request), now);
      } else {
        if (await revokeSession(db, session.sessionId, "signed_out", now)) {
          await recordSecurityEvent(db, { ...session, type: "signed_out" }, clientInfo(request), now);
        }
      }
    }
  } catch (error) {
    // Keep the cookies: clearing them would hide a session that is still live on the server.
    console.error("[keycard] sign-out failed:", error);
    return mode === "form" ? seeOther("/dashboard?signout=failed") : errorResponse(storeUnavailable);
  }
  const response =
    mode === "form" ? seeOther("/login?signedout=1") : new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });
  return clearTokenCookies(response, config);
}

/** The session this browser holds: by its refresh token, else by a valid access token. */
async function sessionToEnd(request: NextRequest, config: Config, now: Date) {
  const names = cookieNames(config);
  const refresh = request.cookies.get(names.refresh)?.value;
  if (refresh) {
    const found = await findSessionByRefreshToken(getDb(), refresh);
    if (found) return found;
  }
  const access = request.cookies.get(names.access)?.value;
  if (!access) return null;
  const verified = await verifyAccessToken(access, config, now);
  return verified.ok ? { sessionId: verified.claims.sessionId, userId: verified.claims.userId } : null;
}

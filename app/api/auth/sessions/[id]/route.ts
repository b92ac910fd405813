import type { NextRequest } from "next/server";
import { accountDone } from "@/lib/auth/answers";
import { describeDevice } from "@/lib/auth/device";
import { clearTokenCookies } from "@/lib/auth/issue-tokens";
import { withSession } from "@/lib/auth/route-guard";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import type { CurrentSession } from "@/lib/auth/session";
import { revokeUserSession } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { errorResponse } from "@/lib/http/errors";

type Context = { params: Promise<{ id: string }> };

const NOT_FOUND = { status: 404, code: "session_not_found", message: "There is no such session to sign out." };

async function endSession(request: NextRequest, current: CurrentSession, { params }: Context) {
  const { id } = await params;
  const now = new Date();
  const db = getDb();
  // Someone else's session and an unknown id get the same 404: ids reveal nothing.
  const ended = await revokeUserSession(db, { userId: current.user.id, sessionId: id }, "ended_from_another_session", now);
  if (!ended) return errorResponse(NOT_FOUND);
  await recordSecurityEvent(
    db,
    { userId: current.user.id, sessionId: id, type: "session_ended", detail: describeDevice(ended.userAgent) },
    clientInfo(request),
    now,
  );
  const response = accountDone(request, "session_ended");
  // Ending the session this browser holds is signing out: drop its cookies too.
  return id === current.session.id ? clearTokenCookies(response, getConfig()) : response;
}

export const DELETE = withSession<Context>(endSession);
// HTML forms cannot send DELETE: a form post to the same address does the same.
export const POST = withSession<Context>(endSession);

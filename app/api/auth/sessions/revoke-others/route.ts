import { accountDone } from "@/lib/auth/answers";
import { withSession } from "@/lib/auth/route-guard";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import { revokeOtherSessions } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { clientInfo } from "@/lib/http/client-info";

export const POST = withSession(async (request, current) => {
  const now = new Date();
  const db = getDb();
  const ended = await revokeOtherSessions(
    db,
    { userId: current.user.id, keepSessionId: current.session.id },
    "ended_from_another_session",
    now,
  );
  if (ended > 0) {
    const detail = `${ended} session${ended === 1 ? "" : "s"} ended`;
    await recordSecurityEvent(db, { userId: current.user.id, sessionId: current.session.id, type: "other_sessions_ended", detail }, clientInfo(request), now);
  }
  return accountDone(request, "other_sessions_ended");
});

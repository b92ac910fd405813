import { json } from "@/lib/edge/answer";
import { listSessions } from "@/lib/server/actions/account-sessions";
import { withSession } from "@/lib/server/route";

export const GET = withSession(async (_request, { actor }, ctx) => json({ sessions: await listSessions(actor, ctx) }));

// A browser holds one session (store/sessions.ts says how a replaced one ends): what the actions
// do about it, recorded in the replaced session owner's activity, and never failing the request
// it rides on (a sign-in, a refresh, a sign-out). Node only.
import "server-only";
import { log } from "@/lib/server/log";
import { endReplacedSession, noteReplacedSession, replacedBy } from "@/lib/server/store/sessions";
import { record, type ActionContext } from "./context";

/** At a sign-in: notes the session this browser held on the new one (and ends what that one replaced). */
export async function noteHeldSession(heldRefreshToken: string | undefined, newSessionId: string, ctx: ActionContext): Promise<void> {
  if (!heldRefreshToken) return;
  await bestEffort(ctx, async () => {
    const noted = await noteReplacedSession(ctx.db, { newSessionId, heldRefreshToken }, ctx.config, ctx.now);
    if (noted?.heldReplaces) await endAndRecord(noted.held, noted.heldReplaces, ctx);
  });
}

/**
 * The browser is seen with `sessionId` (its refresh, its sign-out): the session it replaced ends.
 * `known`: what the caller already read (null: nothing); undefined looks it up.
 */
export async function endSessionItReplaced(sessionId: string, ctx: ActionContext, known?: string | null): Promise<void> {
  if (known === null) return;
  await bestEffort(ctx, async () => {
    const replaced = known ?? (await replacedBy(ctx.db, sessionId));
    if (replaced) await endAndRecord(sessionId, replaced, ctx);
  });
}

async function endAndRecord(sessionId: string, replacedId: string, ctx: ActionContext): Promise<void> {
  const ended = await endReplacedSession(ctx.db, sessionId, replacedId, ctx.now);
  if (ended) await record(ctx, { userId: ended.userId, sessionId: ended.id, type: "signed_out" });
}

/** If it fails, the replaced session lives on, held by nobody, until it idles out: never worth a 5xx. */
async function bestEffort(ctx: ActionContext, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    log().error({ err: error, requestId: ctx.requestId }, "could not end the session a browser replaced (it idles out)");
  }
}

// The local mailbox (a developer's machine, no SMTP_URL): the outbox's own rows, read back. Node only.
import "server-only";
import type { ActionContext } from "@/lib/server/actions/context";
import { listMailbox } from "@/lib/server/store/outbox";

export function listLocalMailbox(ctx: Pick<ActionContext, "db">) {
  return listMailbox(ctx.db);
}

export async function readLocalMail(id: string, ctx: Pick<ActionContext, "db">) {
  return ctx.db.outboxMail.findUnique({ where: { id }, select: { html: true } });
}

// The local mailbox (a developer's machine, no SMTP_URL): the outbox's own rows, read back. Node only.
import "server-only";
import type { ActionContext } from "@/lib/server/actions/context";
import { listMailbox, openBodies } from "@/lib/server/store/outbox";

export async function listLocalMailbox(ctx: Pick<ActionContext, "db" | "config">) {
  return (await listMailbox(ctx.db)).map((mail) => openBodies(mail, ctx.config));
}

export async function readLocalMail(id: string, ctx: Pick<ActionContext, "db" | "config">) {
  const mail = await ctx.db.outboxMail.findUnique({ where: { id }, select: { html: true, text: true } });
  return mail ? openBodies(mail, ctx.config) : null;
}

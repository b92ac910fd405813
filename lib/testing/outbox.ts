// The mail an action queued, read back from the outbox with its bodies opened (they are sealed
// there with the REFRESH_TOKEN_KEY ring), oldest first.
import type { Db } from "@/lib/db";
import type { KeyRing } from "@/lib/server/key-ring";
import { openBodies } from "@/lib/server/store/outbox";

export function outboxOf(db: Db, ring: KeyRing) {
  return {
    /** Every mail queued for `to` (of `kind`, if given), oldest first. */
    mailsTo: async (to: string, kind?: string) =>
      (await db.outboxMail.findMany({ where: { to, ...(kind ? { kind } : {}) }, orderBy: { createdAt: "asc" } })).map((mail) => openBodies(mail, ring)),
    /** The newest mail of `kind` for `to` (by kind: two mails queued at one frozen moment have no order). */
    newestMail: async (to: string, kind: string) => openBodies(await db.outboxMail.findFirstOrThrow({ where: { to, kind }, orderBy: { createdAt: "desc" } }), ring),
  };
}

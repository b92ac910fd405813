// What account actions need to send mail: the circumstances a mail tells, the statement that
// queues it in the action's transaction, and the nudge that delivers it after commit. Node only.
import "server-only";
import { isIP } from "node:net";
import type { DbOrTx } from "@/lib/db";
import { describeDevice } from "@/lib/server/device";
import type { Circumstances } from "@/lib/server/mail/letter";
import type { Mail } from "@/lib/server/mail/mails";
import { kickMailSender } from "@/lib/server/mail/sender";
import { metrics } from "@/lib/server/metrics";
import { queueMail } from "@/lib/server/store/outbox";
import type { ActionContext } from "./context";

/** This request's moment, device and IP, as a mail tells them. */
export function circumstancesOf(ctx: ActionContext, userAgent = ctx.client.userAgent, ip = ctx.client.ip): Circumstances {
  // Only an address that parses as one: without a trusted proxy, X-Forwarded-For is the client's
  // own words, and a mail must not repeat whatever text it chose.
  return { when: ctx.now, device: describeDevice(userAgent), ip: ip && isIP(ip) ? ip : null };
}

/** The statement that queues `mail`; run it in the transaction of the change it is about. */
export function queue(db: DbOrTx, mail: Mail, ctx: ActionContext) {
  metrics().mailQueued.inc({ kind: mail.kind });
  return queueMail(db, mail, ctx.now, ctx.config);
}

/** After the transaction that queued mail has committed: deliver it now rather than at the next poll. */
export function sendQueuedMail(): void {
  kickMailSender();
}

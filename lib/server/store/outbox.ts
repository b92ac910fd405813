// The outbox: mail waiting to be delivered, and what became of it. Node only.
//
// `queueMail` returns an unexecuted statement, so an action puts it in the same transaction as the
// change the mail is about: either both are written or neither. Delivery happens after commit
// (lib/server/mail/sender.ts), never while a request waits. A mail's text and HTML carry codes and
// links that work: they are sealed with the REFRESH_TOKEN_KEY ring (sealing.ts) while they wait, and
// emptied once sent over SMTP, so a copy of the database holds none that it can read.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import type { KeyRing } from "@/lib/server/key-ring";
import type { Mail } from "@/lib/server/mail/mails";
import { open, seal } from "@/lib/server/sealing";

export type OutboxRow = { id: string; kind: string; to: string; subject: string; text: string; html: string; attempts: number; createdAt: Date };
/** A claimed mail: `lease` is this sender's claim, which every later mark must still hold. */
export type ClaimedMail = OutboxRow & { lease: Date };

/** The statement that queues `mail` (its bodies sealed), to run inside the action's transaction. */
export function queueMail(db: DbOrTx, mail: Mail, now: Date, ring: KeyRing) {
  const bodies = { text: seal(mail.text, ring, "outbox"), html: seal(mail.html, ring, "outbox") };
  return db.outboxMail.create({
    data: { id: randomUUID(), ...mail, ...bodies, createdAt: now, status: "pending", nextAttemptAt: now },
    select: { id: true },
  });
}

/** A stored mail's bodies, opened (empty once sent over SMTP). Throws when no key of the ring opens them. */
export function openBodies<M extends { text: string; html: string }>(mail: M, ring: KeyRing): M {
  return { ...mail, text: mail.text ? open(mail.text, ring, "outbox").text : "", html: mail.html ? open(mail.html, ring, "outbox").text : "" };
}

const due = (now: Date) => ({
  status: "pending",
  nextAttemptAt: { lte: now },
  OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
});

/**
 * Takes up to `take` due mails for this sender until `leaseSeconds` from now. Each row is claimed
 * by a compare-and-swap on its claim: of several senders (instances) reading the same row, only
 * the one whose update still finds the claim it read wins, on SQLite and PostgreSQL alike. A sender
 * that dies holding a claim loses it when the lease runs out, and another sends the mail.
 */
export async function claimDueMail(db: Db, now: Date, { take = 1, leaseSeconds = 60 } = {}): Promise<ClaimedMail[]> {
  const candidates = await db.outboxMail.findMany({
    where: due(now),
    orderBy: { nextAttemptAt: "asc" },
    take,
    select: { id: true, claimedUntil: true },
  });
  const claimUntil = new Date(now.getTime() + leaseSeconds * 1000);
  const claimed: ClaimedMail[] = [];
  for (const candidate of candidates) {
    const { count } = await db.outboxMail.updateMany({
      where: { id: candidate.id, status: "pending", claimedUntil: candidate.claimedUntil },
      data: { claimedUntil: claimUntil, attempts: { increment: 1 } },
    });
    if (count !== 1) continue;
    const row = await db.outboxMail.findUnique({
      where: { id: candidate.id },
      select: { id: true, kind: true, to: true, subject: true, text: true, html: true, attempts: true, createdAt: true },
    });
    if (row) claimed.push({ ...row, lease: claimUntil });
  }
  return claimed;
}

// Each mark holds only while this sender's claim does: a sender that overran its lease (a slow
// SMTP server) must not overwrite what the sender that took the mail over has recorded.
const held = (mail: ClaimedMail) => ({ id: mail.id, claimedUntil: mail.lease });

/**
 * Delivered. Over SMTP the bodies are emptied: a copy of the database then holds no code or
 * link that still works. The local mailbox keeps them, to show. False if the claim was lost.
 */
export async function markSent(db: Db, mail: ClaimedMail, now: Date, { keepBody }: { keepBody: boolean }): Promise<boolean> {
  const { count } = await db.outboxMail.updateMany({
    where: held(mail),
    data: { status: "sent", sentAt: now, claimedUntil: null, lastError: null, ...(keepBody ? {} : { text: "", html: "" }) },
  });
  return count === 1;
}

/** Not delivered this time: try again at `retryAt`. */
export async function markRetry(db: Db, mail: ClaimedMail, retryAt: Date, error: string): Promise<boolean> {
  const { count } = await db.outboxMail.updateMany({ where: held(mail), data: { nextAttemptAt: retryAt, claimedUntil: null, lastError: error.slice(0, 500) } });
  return count === 1;
}

/**
 * Refused for good, or retried for too long: kept, with why, for an operator to see — and its
 * body too (sealed, as while it waited), so that an operator can send it again.
 */
export async function markFailed(db: Db, mail: ClaimedMail, error: string): Promise<boolean> {
  const { count } = await db.outboxMail.updateMany({
    where: held(mail),
    data: { status: "failed", claimedUntil: null, lastError: error.slice(0, 500) },
  });
  return count === 1;
}

/** How many mails are waiting, for the metrics. */
export function countPending(db: Db): Promise<number> {
  return db.outboxMail.count({ where: { status: "pending" } });
}

/** The local mailbox's contents, newest first. */
export function listMailbox(db: Db, take = 50) {
  return db.outboxMail.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, to: true, subject: true, text: true, html: true, status: true, createdAt: true },
  });
}

/** Sent and failed mail older than `before`: gone (their bodies already are). */
export async function pruneOutbox(db: Db, before: Date): Promise<number> {
  const { count } = await db.outboxMail.deleteMany({ where: { status: { in: ["sent", "failed"] }, createdAt: { lt: before } } });
  return count;
}

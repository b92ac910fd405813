// Housekeeping: what no longer matters leaves the database. Node only.
//
// Kept: every token of a live session, consumed or not — reuse detection needs the consumed ones
// for as long as the session can refresh (a thief who rotated first is caught when the person's
// browser later presents the token it still holds, however long after).
// Removed: sessions that ended (signed out, revoked, idle or past their absolute end) more than a
// day ago, with their tokens — a replayed token of theirs can no longer do anything; and security
// events older than 90 days; rate-limit counters whose window ended more than a day ago (no limit
// here is longer than a day, and a counter past its window restarts at zero anyway); mailed codes
// and links a day past their end; sent and failed mail (already without its body) after a week.
import "server-only";
import type { Db } from "@/lib/db";
import { log } from "@/lib/server/log";
import { pruneChallenges } from "./challenges";
import { pruneOutbox } from "./outbox";
import { pruneChallengesOfWebAuthn } from "./passkeys";
import { pruneProviderSignIns } from "./identities";
import { prunePendingSignIns } from "./two-factor";
import { pruneRateLimits } from "./rate-limits";
import { SECURITY_EVENT_RETENTION_DAYS } from "./security-events";

const DAY_MS = 24 * 3600 * 1000;
// A just-ended session stays a day, so its cookies get "revoked"/"expired" rather than "invalid".
export const ENDED_SESSION_RETENTION_MS = DAY_MS;
// Small batches: with better-sqlite3 a write holds the event loop, so each batch is kept short
// (measured on a 370 MB database: ~70 ms for 10 sessions of 101 tokens) and requests run between.
const BATCH = 10;
// Longer than any rate-limit window (the longest default is an hour).
const RATE_LIMIT_RETENTION_MS = DAY_MS;

export type PruneResult = {
  sessions: number;
  refreshTokens: number;
  securityEvents: number;
  rateLimits: number;
  /** Codes and links past their end for a day; sent or failed mail older than a week. */
  challenges: number;
  pendingSignIns: number;
  webAuthnChallenges: number;
  providerSignIns: number;
  mails: number;
  slowestBatchMs: number;
};

export async function pruneAuthRecords(db: Db, now: Date): Promise<PruneResult> {
  const cutoff = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS);
  // The idle end never passes the absolute end, so these two conditions cover every ended
  // session, each on its own index.
  const ended = { OR: [{ revokedAt: { lt: cutoff } }, { idleExpiresAt: { lt: cutoff } }] };
  const result: PruneResult = { sessions: 0, refreshTokens: 0, securityEvents: 0, rateLimits: 0, challenges: 0, pendingSignIns: 0, webAuthnChallenges: 0, providerSignIns: 0, mails: 0, slowestBatchMs: 0 };
  for (;;) {
    const ids = (await db.session.findMany({ where: ended, select: { id: true }, take: BATCH })).map((s) => s.id);
    if (ids.length === 0) break;
    const started = performance.now();
    const [tokens, sessions] = await db.$transaction([
      db.refreshToken.deleteMany({ where: { sessionId: { in: ids } } }),
      db.session.deleteMany({ where: { id: { in: ids } } }),
    ]);
    result.refreshTokens += tokens.count;
    result.sessions += sessions.count;
    result.slowestBatchMs = Math.max(result.slowestBatchMs, performance.now() - started);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const eventsBefore = new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * DAY_MS);
  result.securityEvents = (await db.securityEvent.deleteMany({ where: { createdAt: { lt: eventsBefore } } })).count;
  result.rateLimits = await pruneRateLimits(db, new Date(now.getTime() - RATE_LIMIT_RETENTION_MS));
  result.challenges = await pruneChallenges(db, cutoff);
  result.pendingSignIns = await prunePendingSignIns(db, cutoff);
  result.webAuthnChallenges = await pruneChallengesOfWebAuthn(db, cutoff);
  result.providerSignIns = await pruneProviderSignIns(db, cutoff);
  result.mails = await pruneOutbox(db, new Date(now.getTime() - 7 * DAY_MS));
  return result;
}

// Opportunistic pruning: at most once an hour per process, started by a sign-in but not awaited
// by it, so nobody waits for housekeeping.
const PRUNE_EVERY_MS = 3600 * 1000;
let lastPrune = 0;

export function pruneNowAndThen(db: Db, now: Date): void {
  if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now.getTime();
  setImmediate(() => {
    pruneAuthRecords(db, now).catch((error) => log().error({ err: error }, "pruning failed (will try again later)"));
  });
}

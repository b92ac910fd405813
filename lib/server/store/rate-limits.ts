// Brute-force limits: fixed-window counters in the database, so that every instance behind a load
// balancer counts together. Node only.
//
// An attempt is *taken* before the work it limits (a bcrypt comparison, an account created), by
// one atomic increment that returns the new count: of forty requests arriving at the same moment,
// exactly `max` see a count within the limit, whatever the interleaving. Checking first and
// counting after the slow step would let every one of them through.
import "server-only";
import type { Db } from "@/lib/db";
import type { Limit } from "@/lib/env";

export type { Limit };

export type Taken = { ok: true } | { ok: false; retryAfterSeconds: number };

export async function takeAttempt(db: Db, key: string, limit: Limit, now: Date): Promise<Taken> {
  // A window that has run out starts again at zero. Conditional, so of racers only one restarts it.
  const expiredBefore = new Date(now.getTime() - limit.windowSeconds * 1000);
  await db.rateLimit.updateMany({ where: { key, windowStart: { lte: expiredBefore } }, data: { windowStart: now, count: 0 } });
  // The database's own upsert (INSERT … ON CONFLICT DO UPDATE): the increment and the count it
  // returns are one statement.
  const row = await db.rateLimit.upsert({
    where: { key },
    create: { key, windowStart: now, count: 1 },
    update: { count: { increment: 1 } },
  });
  if (row.count <= limit.max) return { ok: true };
  const windowEnds = row.windowStart.getTime() + limit.windowSeconds * 1000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}

/** Hands back one attempt that turned out not to count (a right password). */
export async function giveBackAttempt(db: Db, key: string): Promise<void> {
  await db.rateLimit.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

export async function clearLimit(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

/** Counters whose window ended before `before`: they would restart at zero anyway. */
export async function pruneRateLimits(db: Db, before: Date): Promise<number> {
  return (await db.rateLimit.deleteMany({ where: { windowStart: { lt: before } } })).count;
}

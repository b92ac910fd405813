// Brute-force limits: fixed-window counters in the database, so that every instance behind a load
// balancer counts together. Node only.
import type { Db } from "@/lib/db";

export type Limit = { max: number; windowSeconds: number };

export type LimitState = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Whether `key` has used up `limit` in its current window. One indexed read. */
export async function checkLimit(db: Db, key: string, limit: Limit, now: Date): Promise<LimitState> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  if (!row) return { ok: true };
  const windowEnds = row.windowStart.getTime() + limit.windowSeconds * 1000;
  if (windowEnds <= now.getTime() || row.count < limit.max) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
}

/**
 * Counts one attempt against `key`. Concurrent calls all count: an expired window is restarted by
 * a conditional update (only one caller can win it), and otherwise the database's own upsert adds one.
 */
export async function countAttempt(db: Db, key: string, limit: Limit, now: Date): Promise<void> {
  const expiredBefore = new Date(now.getTime() - limit.windowSeconds * 1000);
  const restarted = await db.rateLimit.updateMany({
    where: { key, windowStart: { lte: expiredBefore } },
    data: { windowStart: now, count: 1 },
  });
  if (restarted.count > 0) return;
  await db.rateLimit.upsert({
    where: { key },
    create: { key, windowStart: now, count: 1 },
    update: { count: { increment: 1 } },
  });
}

export async function clearLimit(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

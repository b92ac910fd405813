// Second factors in the database: the authenticator app, recovery codes, and sign-ins waiting for
// their second step. Node only. Every "use it once" here is a compare-and-swap.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import { isPrismaError } from "@/lib/server/faults";

export type Factor = { secret: string; confirmedAt: Date | null; lastStep: number };

export function getTotpFactor(db: DbOrTx, userId: string): Promise<Factor | null> {
  return db.totpFactor.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true, lastStep: true } });
}

/** Seals the app's key again (with the ring's current key), only where it is still `was`. */
export async function resealFactor(db: DbOrTx, userId: string, was: string, sealed: string): Promise<boolean> {
  const { count } = await db.totpFactor.updateMany({ where: { userId, secret: was }, data: { secret: sealed } });
  return count === 1;
}

/**
 * A new, unconfirmed app for the account (replacing an earlier unconfirmed one). False when the
 * account's app is confirmed: a setup started in another tab must never switch a working one off.
 */
export async function saveUnconfirmedFactor(db: Db, userId: string, sealedSecret: string, now: Date): Promise<boolean> {
  const replaced = await db.totpFactor.updateMany({ where: { userId, confirmedAt: null }, data: { secret: sealedSecret, createdAt: now, lastStep: 0 } });
  if (replaced.count === 1) return true;
  try {
    await db.totpFactor.create({ data: { userId, secret: sealedSecret, createdAt: now } });
    return true;
  } catch (error) {
    if (isPrismaError(error, "P2002")) return false;
    throw error;
  }
}

/** Confirms the app with the step of its first code; false if someone confirmed it first. */
export async function confirmFactor(db: DbOrTx, userId: string, step: number, now: Date): Promise<boolean> {
  const { count } = await db.totpFactor.updateMany({ where: { userId, confirmedAt: null }, data: { confirmedAt: now, lastStep: step } });
  return count === 1;
}

/**
 * Accepts a code's time step once: only a step later than the last accepted one moves it on. The
 * same code sent twice — or 40 times at once — is accepted once.
 */
export async function takeTotpStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const { count } = await db.totpFactor.updateMany({ where: { userId, confirmedAt: { not: null }, lastStep: { lt: step } }, data: { lastStep: step } });
  return count === 1;
}

/** The statements that replace the account's recovery codes (the old ones stop working). */
export function replaceRecoveryCodesStatements(db: DbOrTx, userId: string, stored: { codeHash: string; keyId: string }[], now: Date) {
  return [
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({ data: stored.map((code) => ({ id: randomUUID(), userId, ...code, createdAt: now })) }),
  ];
}

/**
 * Uses a recovery code up, once: the code's HMAC under any key of the ring. Null if it is not one
 * of the account's unused codes; else how many are left.
 */
export async function takeRecoveryCode(db: DbOrTx, userId: string, codeHashes: string[], now: Date): Promise<number | null> {
  const { count } = await db.recoveryCode.updateMany({ where: { userId, codeHash: { in: codeHashes }, usedAt: null }, data: { usedAt: now } });
  if (count !== 1) return null;
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

export function countRecoveryCodesLeft(db: DbOrTx, userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** The statements that turn the second factor off. */
export function removeSecondFactorStatements(db: Db, userId: string) {
  return [db.totpFactor.deleteMany({ where: { userId } }), db.recoveryCode.deleteMany({ where: { userId } }), db.pendingSignIn.deleteMany({ where: { userId } })];
}

// Pending sign-ins: the step between a right password and a right second factor.
export const PENDING_SIGN_IN_SECONDS = 5 * 60;
export const SECOND_FACTOR_TRIES = 5;

const hashPending = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function createPendingSignIn(
  db: Db,
  input: { userId: string; persistent: boolean; passwordHash: string | null; newPasswordHash?: string; ip?: string | null; userAgent?: string | null },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_SECONDS * 1000);
  await db.pendingSignIn.create({ data: { id: randomUUID(), tokenHash: hashPending(token), ...input, createdAt: now, expiresAt } });
  return { token, expiresAt };
}

export type PendingSignInRow = {
  id: string;
  userId: string;
  persistent: boolean;
  /** The password hash checked at the first step; null after another provider (no password checked). */
  passwordHash: string | null;
  /** A password reset waiting for this second step: the new hash. */
  newPasswordHash: string | null;
  attempts: number;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
};

const PENDING_FIELDS = { id: true, userId: true, persistent: true, passwordHash: true, newPasswordHash: true, attempts: true, createdAt: true, ip: true, userAgent: true } as const;

/**
 * One try at a pending sign-in, counted before the code is checked (one conditional update): of
 * 40 codes sent at once, at most SECOND_FACTOR_TRIES are checked. Null when it is unknown, used,
 * expired or out of tries.
 */
export async function tryPendingSignIn(db: Db, token: string, now: Date): Promise<PendingSignInRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashPending(token);
  const { count } = await db.pendingSignIn.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now }, attempts: { lt: SECOND_FACTOR_TRIES } },
    data: { attempts: { increment: 1 } },
  });
  if (count !== 1) return null;
  return db.pendingSignIn.findUnique({ where: { tokenHash }, select: PENDING_FIELDS });
}

/** The live pending sign-in a cookie names, without taking a try (for offering a passkey). */
export async function findPendingSignIn(db: Db, token: string, now: Date): Promise<PendingSignInRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return db.pendingSignIn.findFirst({ where: { tokenHash: hashPending(token), usedAt: null, expiresAt: { gt: now }, attempts: { lt: SECOND_FACTOR_TRIES } }, select: PENDING_FIELDS });
}

/** The cookie's hash, which a passkey challenge for this pending sign-in is bound to. */
export function pendingBinding(token: string): string {
  return hashPending(token);
}

/**
 * Pending sign-ins that ended without a right code (expired unused, within the last day), each
 * claimed once by a compare-and-swap on `usedAt`: of several instances sweeping, one tells.
 */
export async function claimAbandonedSignIns(db: Db, now: Date, take = 50): Promise<PendingSignInRow[]> {
  const since = new Date(now.getTime() - 24 * 3600 * 1000);
  const found = await db.pendingSignIn.findMany({ where: { usedAt: null, expiresAt: { lte: now, gt: since } }, select: PENDING_FIELDS, take });
  const claimed: PendingSignInRow[] = [];
  for (const row of found) {
    const { count } = await db.pendingSignIn.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (count === 1) claimed.push(row);
  }
  return claimed;
}

/** Ends a pending sign-in, once. */
export async function usePendingSignIn(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const { count } = await db.pendingSignIn.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  return count === 1;
}

export async function prunePendingSignIns(db: Db, before: Date): Promise<number> {
  const { count } = await db.pendingSignIn.deleteMany({ where: { expiresAt: { lt: before } } });
  return count;
}

// Accounts in the database. Node only.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { isPrismaError } from "@/lib/server/faults";
import { metrics } from "@/lib/server/metrics";
import { dummyPasswordHash, hashCost, hashPassword, verifyPassword, type HashSettings } from "@/lib/server/password";
import { endOtherSessionsStatement } from "./sessions";

export type PublicUser = { id: string; email: string };

export type CreateUserResult = { ok: true; user: PublicUser } | { ok: false; code: "email_taken" };

export async function createUser(
  db: Db,
  input: { email: string; password: string },
  settings: HashSettings,
  now: Date,
): Promise<CreateUserResult> {
  const passwordHash = await hashPassword(input.password, settings);
  try {
    const user = await db.user.create({
      data: { id: randomUUID(), email: input.email, passwordHash, createdAt: now },
      select: { id: true, email: true },
    });
    return { ok: true, user };
  } catch (error) {
    // The unique index decides, not a prior lookup: two registrations racing for one email
    // cannot both win.
    if (isPrismaError(error, "P2002")) return { ok: false, code: "email_taken" };
    throw error;
  }
}

/**
 * The user when the password matches; null otherwise, in about the same time either way (an
 * unknown email costs a bcrypt comparison too). `stale` when the stored hash is cheaper than the
 * configured cost, so the caller can rehash now that it knows the password; `passwordHash` is
 * the hash that matched, for a session that must not outlive a password change racing it.
 */
export async function verifyUserPassword(
  db: Db,
  input: { email: string; password: string },
  settings: HashSettings,
): Promise<(PublicUser & { stale: boolean; passwordHash: string; locked: boolean }) | null> {
  const user = await db.user.findUnique({ where: { email: input.email } });
  // An unknown email, or an account without a password (made through another provider), costs a
  // comparison all the same and answers the same.
  if (!user?.passwordHash) {
    await verifyPassword(input.password, await dummyPasswordHash(settings), settings);
    return null;
  }
  if (!(await verifyPassword(input.password, user.passwordHash, settings))) return null;
  return { id: user.id, email: user.email, stale: hashCost(user.passwordHash) < settings.bcryptCost, passwordHash: user.passwordHash, locked: user.lockedAt !== null };
}

/** Whether the account has a password at all (an account made through another provider may not). */
export async function hasPassword(db: DbOrTx, userId: string): Promise<boolean> {
  return (await db.user.count({ where: { id: userId, passwordHash: { not: null } } })) === 1;
}

/** Whether `password` is `userId`'s current one. */
export async function isCurrentPassword(db: Db, userId: string, password: string, settings: HashSettings): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash) {
    await verifyPassword(password, await dummyPasswordHash(settings), settings);
    return false;
  }
  return verifyPassword(password, user.passwordHash, settings);
}

/**
 * Stores a new hash of the same password (a cost raised since it was made), only where the stored
 * hash is still `checkedHash`: it must never bring back a password that was changed meanwhile.
 */
export async function rehashPassword(
  db: Db,
  input: { userId: string; password: string; checkedHash: string },
  settings: HashSettings,
): Promise<boolean> {
  const passwordHash = await hashPassword(input.password, settings);
  const { count } = await db.user.updateMany({ where: { id: input.userId, passwordHash: input.checkedHash }, data: { passwordHash } });
  return count === 1;
}

/**
 * Replaces the password and, in the same transaction, ends every other live session of the
 * account: whoever knew the old password is signed out with it. Returns how many ended.
 */
export async function replacePassword(
  db: Db,
  input: { userId: string; newPassword: string; keepSessionId: string | null },
  settings: HashSettings,
  now: Date,
  /** More writes for the same transaction: the mail telling the owner, the address proved. */
  also: (user: { email: string }) => Prisma.PrismaPromise<unknown>[] = () => [],
): Promise<number> {
  const passwordHash = await hashPassword(input.newPassword, settings);
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
  const [, ended] = await db.$transaction([
    db.user.update({ where: { id: input.userId }, data: { passwordHash } }),
    endOtherSessionsStatement(db, { userId: input.userId, keepSessionId: input.keepSessionId }, "password_changed", now),
    ...also(user),
  ]);
  metrics().sessionsEnded.inc({ reason: "password_changed" }, ended.count);
  return ended.count;
}

/** Why an account is locked: an undo whose address another account holds now, or an operator. */
export type LockReason = "email_undo_conflict" | "operator";

/**
 * Locks the account (nobody signs in to it or resets its password until it is unlocked) and ends
 * every session and waiting sign-in of it, in the caller's transaction. Its factors stay.
 */
export async function lockAccount(tx: DbOrTx, input: { userId: string; reason: LockReason }, now: Date): Promise<number> {
  await tx.user.update({ where: { id: input.userId }, data: { lockedAt: now, lockedReason: input.reason } });
  await tx.pendingSignIn.deleteMany({ where: { userId: input.userId } });
  const ended = await endOtherSessionsStatement(tx, { userId: input.userId, keepSessionId: null }, "account_locked", now);
  metrics().sessionsEnded.inc({ reason: "account_locked" }, ended.count);
  return ended.count;
}

/** Whether the account is locked (an unknown account is not). */
export async function isLocked(db: DbOrTx, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { lockedAt: true } });
  return !!user?.lockedAt;
}

/**
 * Holds the account's row for the rest of the transaction (an update of it to itself): a change
 * that counts what the account has and then removes one (a passkey, a provider, the password) runs
 * one at a time with any other, on PostgreSQL as on SQLite.
 */
export async function holdAccount(tx: DbOrTx, userId: string): Promise<void> {
  await tx.user.updateMany({ where: { id: userId }, data: { secondFactorFailures: { increment: 0 } } });
}

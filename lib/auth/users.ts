// Accounts. Node only.
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/sqlite/client";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { otherLiveSessions } from "./session-store";

export type PublicUser = { id: string; email: string };

export type CreateUserResult = { ok: true; user: PublicUser } | { ok: false; code: "email_taken" };

export async function createUser(
  db: PrismaClient,
  input: { email: string; password: string },
  settings: { bcryptCost: number },
  now: Date,
): Promise<CreateUserResult> {
  const passwordHash = await hashPassword(input.password, settings.bcryptCost);
  try {
    const user = await db.user.create({
      data: { id: randomUUID(), email: input.email, passwordHash, createdAt: now },
      select: { id: true, email: true },
    });
    return { ok: true, user };
  } catch (error) {
    // The unique index decides, not a prior lookup: two registrations racing for one email
    // cannot both win.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, code: "email_taken" };
    }
    throw error;
  }
}

/** The user when the password matches; null otherwise, in about the same time either way. */
export async function verifyUserPassword(
  db: PrismaClient,
  input: { email: string; password: string },
  settings: { bcryptCost: number },
): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email: input.email } });
  if (!user) {
    await verifyPassword(input.password, await dummyPasswordHash(settings.bcryptCost));
    return null;
  }
  return (await verifyPassword(input.password, user.passwordHash)) ? { id: user.id, email: user.email } : null;
}

export type ChangePasswordResult = { ok: true; endedSessions: number } | { ok: false; code: "wrong_password" };

/**
 * Replaces the password when `currentPassword` is right and, in the same transaction, ends every
 * other session of the account: whoever knew the old password is signed out with it.
 */
export async function changePassword(
  db: PrismaClient,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionId: string },
  settings: { bcryptCost: number },
  now: Date,
): Promise<ChangePasswordResult> {
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    return { ok: false, code: "wrong_password" };
  }
  const passwordHash = await hashPassword(input.newPassword, settings.bcryptCost);
  const [, ended] = await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash } }),
    db.session.updateMany({
      where: otherLiveSessions({ userId: user.id, keepSessionId: input.keepSessionId }, now),
      data: { revokedAt: now, revokedReason: "password_changed" },
    }),
  ]);
  return { ok: true, endedSessions: ended.count };
}

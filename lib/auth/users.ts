// Accounts. Node only.
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";

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

// An account's identities at other providers, and the sign-ins through them on their way. Node only.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";

export type IdentityRow = { id: string; userId: string; provider: string; subject: string; email: string | null; createdAt: Date; lastUsedAt: Date | null };

export function findIdentity(db: DbOrTx, provider: string, subject: string): Promise<IdentityRow | null> {
  return db.providerIdentity.findUnique({ where: { provider_subject: { provider, subject } } });
}

/** The statement that connects an identity; its unique index refuses the same one twice (P2002). */
export function createIdentityStatement(db: DbOrTx, fields: { userId: string; provider: string; subject: string; email: string | null }, now: Date) {
  return db.providerIdentity.create({ data: { id: randomUUID(), ...fields, createdAt: now, lastUsedAt: now } });
}

export function listIdentities(db: DbOrTx, userId: string): Promise<IdentityRow[]> {
  return db.providerIdentity.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export async function touchIdentity(db: Db, id: string, now: Date): Promise<void> {
  await db.providerIdentity.updateMany({ where: { id }, data: { lastUsedAt: now } });
}

/** How many ways in an account has: its password, each passkey, each identity elsewhere. */
export async function waysIn(db: DbOrTx, userId: string): Promise<{ password: boolean; passkeys: number; identities: number; total: number }> {
  const [user, passkeys, identities] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } }),
    db.passkey.count({ where: { userId } }),
    db.providerIdentity.count({ where: { userId } }),
  ]);
  const password = !!user?.passwordHash;
  return { password, passkeys, identities, total: (password ? 1 : 0) + passkeys + identities };
}

// Sign-ins on their way to a provider and back.
const ATTEMPT_SECONDS = 10 * 60;
const LINK_SECONDS = 10 * 60;

export const hashBrowserValue = (value: string) => createHash("sha256").update(value).digest("base64url");
export const newBrowserValue = () => randomBytes(32).toString("base64url");

export type ProviderSignInRow = {
  id: string;
  provider: string;
  purpose: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
  persistent: boolean;
  userId: string | null;
  sessionId: string | null;
};

export async function createProviderSignIn(
  db: Db,
  fields: Omit<ProviderSignInRow, "id"> & { browser: string },
  now: Date,
): Promise<void> {
  await db.providerSignIn.create({ data: { id: randomUUID(), ...fields, createdAt: now, expiresAt: new Date(now.getTime() + ATTEMPT_SECONDS * 1000) } });
}

/**
 * The attempt a callback answers, used once: found by its `state` and this browser's cookie (a
 * callback opened in another browser — login CSRF — finds nothing), not expired, not used (a
 * replayed callback finds nothing). A compare-and-swap: of two callbacks at once, one gets it.
 */
export async function takeProviderSignIn(db: Db, input: { state: string; browser: string; provider: string }, now: Date): Promise<ProviderSignInRow | null> {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(input.state)) return null;
  const { count } = await db.providerSignIn.updateMany({
    where: { state: input.state, browser: input.browser, provider: input.provider, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  return db.providerSignIn.findUnique({
    where: { state: input.state },
    select: { id: true, provider: true, purpose: true, state: true, nonce: true, codeVerifier: true, next: true, persistent: true, userId: true, sessionId: true },
  });
}

/** After the callback: an identity whose address has an account, waiting for that account's owner to confirm it (ten minutes). */
export async function holdLink(db: Db, id: string, link: { subject: string; email: string; linkUserId: string }, now: Date): Promise<void> {
  await db.providerSignIn.update({ where: { id }, data: { ...link, linkExpiresAt: new Date(now.getTime() + LINK_SECONDS * 1000) } });
}

export type PendingLink = { id: string; provider: string; subject: string; email: string; linkUserId: string; persistent: boolean };

/** This browser's identity waiting to be connected, if any (the newest). */
export async function findPendingLink(db: Db, browser: string, now: Date): Promise<PendingLink | null> {
  const row = await db.providerSignIn.findFirst({
    where: { browser, linkExpiresAt: { gt: now }, linkedAt: null, linkUserId: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { id: true, provider: true, subject: true, email: true, linkUserId: true, persistent: true },
  });
  return row?.subject && row.email && row.linkUserId ? (row as PendingLink) : null;
}

/** Uses a waiting link up, once (a compare-and-swap), in the transaction that connects it. */
export async function useLink(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const { count } = await db.providerSignIn.updateMany({ where: { id, linkedAt: null, linkExpiresAt: { gt: now } }, data: { linkedAt: now } });
  return count === 1;
}

export async function pruneProviderSignIns(db: Db, before: Date): Promise<number> {
  const { count } = await db.providerSignIn.deleteMany({ where: { expiresAt: { lt: before }, OR: [{ linkExpiresAt: null }, { linkExpiresAt: { lt: before } }] } });
  return count;
}

/** How long the app's code may follow a provider's confirmation. */
const CONFIRMATION_CODE_SECONDS = 5 * 60;

/** A confirmation through a provider, proved there: it now waits for the app's code. */
export async function holdForCode(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.providerSignIn.update({ where: { id }, data: { providerProvedAt: now } });
}

/** The confirmation waiting for the app's code in this browser, for this session; null if none or too old. */
export async function findWaitingForCode(db: DbOrTx, input: { browser: string; sessionId: string }, now: Date) {
  return db.providerSignIn.findFirst({
    where: { browser: input.browser, sessionId: input.sessionId, purpose: "reauthenticate", providerProvedAt: { gt: new Date(now.getTime() - CONFIRMATION_CODE_SECONDS * 1000) } },
    orderBy: { providerProvedAt: "desc" },
    select: { id: true, provider: true, next: true },
  });
}

/** Finishes a waiting confirmation, once (a compare-and-swap): false if it was finished or expired meanwhile. */
export async function finishWaitingForCode(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const { count } = await db.providerSignIn.updateMany({
    where: { id, providerProvedAt: { gt: new Date(now.getTime() - CONFIRMATION_CODE_SECONDS * 1000) } },
    data: { providerProvedAt: null },
  });
  return count === 1;
}

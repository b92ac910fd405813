// Codes and links mailed to an address (sign-up, password reset, email change and its undo).
// Node only. Only an HMAC of each secret is stored (lib/server/email-secrets.ts).
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import { generateCode, generateLinkToken, hashSecret, looksLikeCode, looksLikeLinkToken, sameHash } from "@/lib/server/email-secrets";
import { keyId, ringKeys, type KeyRing } from "@/lib/server/key-ring";

export type ChallengePurpose = "sign_up" | "password_reset" | "email_change" | "email_change_undo";

/** Tries a code allows, the right one included. */
export const CODE_TRIES = 5;
/** Between two mails for one challenge. */
export const RESEND_COOLDOWN_SECONDS = 60;

export const LIFETIME_MINUTES: Record<ChallengePurpose, number> = {
  sign_up: 15,
  email_change: 15,
  password_reset: 30,
  // 24 hours, as NIST SP 800-63B-4 allows a recovery secret sent by email (decision 0010).
  email_change_undo: 24 * 60,
};

export type ChallengeRow = {
  id: string;
  purpose: string;
  email: string;
  restoreEmail: string | null;
  userId: string | null;
  passwordHash: string | null;
  persistent: boolean;
  notice: boolean;
  identityProvider: string | null;
  identitySubject: string | null;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
};

type NewChallenge = {
  purpose: ChallengePurpose;
  email: string;
  /** An undo link: the address it puts back (the first of its chain). */
  restoreEmail?: string | null;
  userId?: string | null;
  passwordHash?: string | null;
  persistent?: boolean;
  /** A sign-up through another provider that did not vouch for the address: the identity the account gets. */
  identityProvider?: string | null;
  identitySubject?: string | null;
  /** No secret is mailed: the address was only told something. No code can match. */
  notice?: boolean;
};

/**
 * A challenge and the statement that stores it (to run in the same transaction as its mail).
 * Codes are six digits; links carry 256-bit tokens.
 */
export function newChallenge(db: DbOrTx, fields: NewChallenge, ring: KeyRing, now: Date) {
  const id = randomUUID();
  const kind = fields.purpose === "sign_up" || fields.purpose === "email_change" ? "code" : "token";
  const secret = kind === "code" ? generateCode() : generateLinkToken();
  const key = ring.refreshTokenKey;
  // A notice's stored hash is of a secret nobody is ever given.
  const secretHash = hashSecret(key, fields.purpose, fields.notice ? generateLinkToken() : secret, kind === "code" ? id : "");
  const expiresAt = new Date(now.getTime() + LIFETIME_MINUTES[fields.purpose] * 60_000);
  const statement = db.emailChallenge.create({
    data: {
      id,
      purpose: fields.purpose,
      email: fields.email,
      restoreEmail: fields.restoreEmail ?? null,
      userId: fields.userId ?? null,
      passwordHash: fields.passwordHash ?? null,
      persistent: fields.persistent ?? false,
      identityProvider: fields.identityProvider ?? null,
      identitySubject: fields.identitySubject ?? null,
      notice: fields.notice ?? false,
      secretHash,
      keyId: keyId(key),
      createdAt: now,
      sentAt: now,
      expiresAt,
    },
    select: { id: true },
  });
  return { id, secret, expiresAt, statement };
}

export type CodeCheck =
  | { ok: true; challenge: ChallengeRow }
  | { ok: false; reason: "wrong"; triesLeft: number }
  | { ok: false; reason: "spent" };

/**
 * One try of `code` against a challenge. The try is counted *before* the comparison, by a single
 * conditional update: of 40 guesses sent at once, at most CODE_TRIES are ever compared. A right
 * code does not use the challenge up; the action does that in its own transaction (useChallenge).
 */
export async function tryCode(
  db: Db,
  input: { id: string; purpose: ChallengePurpose; code: string; userId?: string },
  ring: KeyRing,
  now: Date,
): Promise<CodeCheck> {
  const counted = await db.emailChallenge.updateMany({
    where: { id: input.id, purpose: input.purpose, ...(input.userId ? { userId: input.userId } : {}), usedAt: null, expiresAt: { gt: now }, attempts: { lt: CODE_TRIES } },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count !== 1) return { ok: false, reason: "spent" };
  const challenge = await db.emailChallenge.findUnique({ where: { id: input.id } });
  if (!challenge) return { ok: false, reason: "spent" };
  // Against every key of the ring: a code mailed just before the key changed still works.
  const matches = looksLikeCode(input.code) && !challenge.notice && ringKeys(ring).some((key) => sameHash(challenge.secretHash, hashSecret(key, input.purpose, input.code, input.id)));
  if (!matches) return { ok: false, reason: "wrong", triesLeft: Math.max(0, CODE_TRIES - challenge.attempts) };
  return { ok: true, challenge };
}

/** The live challenge a link's token belongs to, or null (unknown, used or expired). Reads only. */
export async function findByToken(db: Db, purpose: ChallengePurpose, token: string, ring: KeyRing, now: Date): Promise<ChallengeRow | null> {
  if (!looksLikeLinkToken(token)) return null;
  // Its HMAC under each key of the ring: a link mailed before the key changed still works.
  const challenge = await db.emailChallenge.findFirst({ where: { secretHash: { in: ringKeys(ring).map((key) => hashSecret(key, purpose, token)) } } });
  if (!challenge || challenge.purpose !== purpose || challenge.usedAt || challenge.expiresAt <= now) return null;
  return challenge;
}

/**
 * Uses the challenge up, if nobody has: a compare-and-swap, so of two requests presenting the same
 * code or link at once, one wins. Run it inside the transaction that does what the secret allows.
 */
export async function useChallenge(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  // A used sign-up keeps no copy of the password's hash.
  const { count } = await db.emailChallenge.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now, passwordHash: null } });
  return count === 1;
}

export type Resend =
  | { ok: true; challenge: ChallengeRow; code: string; claim: (tx: DbOrTx) => Promise<boolean> }
  | { ok: false; retryAfterSeconds: number }
  | { ok: false; spent: true };

/**
 * A new code for a live challenge, at most once per cool-down. `claim` (run in the transaction
 * that queues the mail) is a compare-and-swap on `sentAt`: of 40 resends at once, one claims the
 * cool-down and mails. The new code replaces the old one; the tries already spent stay spent.
 */
export async function renewCode(db: Db, input: { id: string; purpose: ChallengePurpose }, ring: KeyRing, now: Date): Promise<Resend> {
  const key = ring.refreshTokenKey;
  const challenge = await db.emailChallenge.findUnique({ where: { id: input.id } });
  if (!challenge || challenge.purpose !== input.purpose || challenge.usedAt || challenge.expiresAt <= now || challenge.attempts >= CODE_TRIES) {
    return { ok: false, spent: true };
  }
  const readyAt = challenge.sentAt.getTime() + RESEND_COOLDOWN_SECONDS * 1000;
  if (now.getTime() < readyAt) return { ok: false, retryAfterSeconds: Math.ceil((readyAt - now.getTime()) / 1000) };
  const code = generateCode();
  const secretHash = hashSecret(key, input.purpose, challenge.notice ? generateLinkToken() : code, input.id);
  const claim = async (tx: DbOrTx) => {
    const { count } = await tx.emailChallenge.updateMany({
      where: { id: input.id, sentAt: challenge.sentAt, usedAt: null },
      data: { sentAt: now, secretHash, keyId: keyId(key), expiresAt: new Date(now.getTime() + LIFETIME_MINUTES[input.purpose] * 60_000) },
    });
    return count === 1;
  };
  return { ok: true, challenge, code, claim };
}

/**
 * Voids every unused code and link of an account but those in `keep`: after its address is taken
 * back from whoever moved it, a reset link mailed to their address must not work.
 */
export function voidChallengesStatement(db: DbOrTx, userId: string, now: Date, keep: string[] = []) {
  return db.emailChallenge.updateMany({ where: { userId, usedAt: null, ...(keep.length ? { id: { notIn: keep } } : {}) }, data: { usedAt: now } });
}

/** The account's undo links that still work, oldest first: the first of a chain of changes leads. */
export function liveUndoLinks(db: DbOrTx, userId: string, now: Date): Promise<ChallengeRow[]> {
  return db.emailChallenge.findMany({ where: { userId, purpose: "email_change_undo", usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "asc" } });
}

/** The address an undo link puts back. */
export const addressToRestore = (undo: Pick<ChallengeRow, "email" | "restoreEmail">) => undo.restoreEmail ?? undo.email;

/**
 * Spends the undo links that would put back `email` when it is the account's address already: a
 * reset link to that address has just been used, so they have nothing left to give back (and must
 * not void the password just chosen). Links to any other address stay.
 */
export function spendUndoLinksRestoringStatement(db: DbOrTx, userId: string, email: string, now: Date) {
  return db.emailChallenge.updateMany({
    where: { userId, purpose: "email_change_undo", usedAt: null, OR: [{ restoreEmail: email }, { restoreEmail: null, email }] },
    data: { usedAt: now },
  });
}

/** Voids the account's unused reset links: a new password, however it was set, ends them all. */
export function voidResetLinksStatement(db: DbOrTx, userId: string, now: Date) {
  return db.emailChallenge.updateMany({ where: { userId, purpose: "password_reset", usedAt: null }, data: { usedAt: now } });
}

/** Expired challenges older than a day: gone. */
export async function pruneChallenges(db: Db, before: Date): Promise<number> {
  const { count } = await db.emailChallenge.deleteMany({ where: { expiresAt: { lt: before } } });
  return count;
}

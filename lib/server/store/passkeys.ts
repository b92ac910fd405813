// Passkeys (WebAuthn credentials) and the challenges of their ceremonies. Node only.
import "server-only";
import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";

export type PasskeyRow = {
  id: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string | null;
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
};

export function listPasskeys(db: DbOrTx, userId: string) {
  return db.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true, deviceType: true, transports: true },
  });
}

export function findPasskey(db: DbOrTx, id: string): Promise<PasskeyRow | null> {
  return db.passkey.findUnique({ where: { id } });
}

export async function savePasskey(db: Db, row: Omit<PasskeyRow, "lastUsedAt">): Promise<void> {
  await db.passkey.create({ data: row });
}

/**
 * Records a use: the signature counter moves forward by a compare-and-swap on the value that was
 * checked, so two sign-ins with the same assertion cannot both count.
 */
export async function recordPasskeyUse(db: Db, input: { id: string; checkedCounter: number; newCounter: number; backedUp: boolean }, now: Date): Promise<boolean> {
  const { count } = await db.passkey.updateMany({
    where: { id: input.id, counter: input.checkedCounter },
    data: { counter: input.newCounter, backedUp: input.backedUp, lastUsedAt: now },
  });
  return count === 1;
}

export async function renamePasskey(db: Db, userId: string, id: string, name: string): Promise<boolean> {
  const { count } = await db.passkey.updateMany({ where: { id, userId }, data: { name } });
  return count === 1;
}

export function removePasskeyStatement(db: DbOrTx, userId: string, id: string) {
  return db.passkey.deleteMany({ where: { id, userId } });
}

// Ceremony challenges: single use, short-lived, bound to a session (adding a passkey, confirming
// it's you with one), to a sign-in attempt's HttpOnly cookie (signing in with one), or to a
// pending sign-in's cookie (a passkey as the second step).
export type ChallengePurpose = "register" | "authenticate" | "reauthenticate" | "second_step";

/**
 * How long each kind lives. A sign-in's may wait in the email field's autofill while the person
 * reads the page. The other two stand for a fresh sign-in already checked, so they live only as
 * long as the browser's own prompt may (60 s, the options' timeout) and a little more: a fresh
 * sign-in is not stretched by an unused challenge.
 */
export const CHALLENGE_SECONDS: Record<ChallengePurpose, number> = { authenticate: 5 * 60, register: 2 * 60, reauthenticate: 2 * 60, second_step: 2 * 60 };
export const CEREMONY_TIMEOUT_MS = 60_000;

export async function saveChallenge(
  db: Db,
  input: { purpose: ChallengePurpose; challenge: string; userId?: string; sessionId?: string; browser?: string },
  now: Date,
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.webAuthnChallenge.create({
    data: { id, ...input, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_SECONDS[input.purpose] * 1000) },
  });
  return id;
}

/** Takes a challenge, once: null if unknown, used, expired, or bound to something else. */
export async function takeChallenge(
  db: Db,
  input: { id: string; purpose: "register" | "authenticate"; sessionId?: string },
  now: Date,
): Promise<{ challenge: string; userId: string | null } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.id)) return null;
  const { count } = await db.webAuthnChallenge.updateMany({
    where: { id: input.id, purpose: input.purpose, usedAt: null, expiresAt: { gt: now }, ...(input.sessionId ? { sessionId: input.sessionId } : {}) },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  return db.webAuthnChallenge.findUnique({ where: { id: input.id }, select: { challenge: true, userId: true } });
}

/**
 * Takes a challenge for confirming it's you, once, if this session asked for it: found by the
 * challenge the answer signed.
 */
export async function takeReauthChallenge(db: Db, input: { challenge: string; sessionId: string }, now: Date): Promise<boolean> {
  const { count } = await db.webAuthnChallenge.updateMany({
    where: { purpose: "reauthenticate", challenge: input.challenge, sessionId: input.sessionId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

/**
 * Takes a sign-in challenge, once, if this browser asked for it: found by the challenge the answer
 * signed (so two ceremonies in one browser cannot step on each other) and the browser's cookie.
 */
export async function takeSignInChallenge(db: Db, input: { challenge: string; browser: string }, now: Date): Promise<boolean> {
  const { count } = await db.webAuthnChallenge.updateMany({
    where: { purpose: "authenticate", challenge: input.challenge, browser: input.browser, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

/** Takes a second-step challenge, once, if this pending sign-in (its cookie's hash) asked for it. */
export async function takeSecondStepChallenge(db: Db, input: { challenge: string; pending: string }, now: Date): Promise<boolean> {
  const { count } = await db.webAuthnChallenge.updateMany({
    where: { purpose: "second_step", challenge: input.challenge, browser: input.pending, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

export async function pruneChallengesOfWebAuthn(db: Db, before: Date): Promise<number> {
  const { count } = await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: before } } });
  return count;
}


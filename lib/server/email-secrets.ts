// The secrets mailed to people: six-digit codes they type, and link tokens they click. Node only.
//
// Only an HMAC is stored, keyed with REFRESH_TOKEN_KEY and bound to the challenge's purpose and
// id: a copy of the database cannot be used to try codes offline (a million codes are nothing to a
// plain hash), and a code for one challenge says nothing about another.
import "server-only";
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** 000000–999999, uniformly (randomInt does not favour low digits). */
export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** 256 random bits, base64url: a link's token. */
export function generateLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export function looksLikeCode(value: string): boolean {
  return /^\d{6}$/.test(value);
}

export function looksLikeLinkToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * HMAC of a secret. Codes are bound to their challenge's id (two challenges may draw the same
 * code); link tokens are found by this value alone, so theirs is bound to the purpose only.
 */
export function hashSecret(key: string, purpose: string, secret: string, challengeId = ""): string {
  return createHmac("sha256", key).update(`keycard:mail-secret:${purpose}:${challengeId}:${secret}`).digest("base64url");
}

/** Constant-time comparison of two hashes (the same length by construction). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

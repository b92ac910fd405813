// Opaque refresh tokens. Node only (node:crypto).
//
// A token is 256 random bits, base64url. The database stores only its SHA-256: a dump of the
// table cannot be replayed. A token's successor is not random but derived, HMAC(key, token), so
// that every request presenting the same token during the grace window computes the same
// successor without the server ever storing it (docs/decisions/0003-concurrent-refresh.md).
import "server-only";
import { createHash, createHmac, randomBytes } from "node:crypto";

export function generateRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function deriveSuccessorToken(token: string, key: string): string {
  return createHmac("sha256", key).update(`keycard:refresh-successor:${token}`).digest("base64url");
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** A cheap shape check so random junk never reaches the database. */
export function looksLikeRefreshToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

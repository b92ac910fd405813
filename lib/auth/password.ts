// Password hashing. Node only.
import bcrypt from "bcryptjs";

// bcrypt reads at most 72 bytes; longer passwords are refused at validation rather than silently
// truncated (two passwords sharing their first 72 bytes would otherwise be the same password).
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so that an unknown email costs the same time as a
// wrong password. Built lazily at the configured cost; its password is random and never stored.
const dummyHashes = new Map<number, Promise<string>>();

export function dummyPasswordHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

// Authenticator-app codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) and the recovery codes
// that stand in for a lost app. Node only.
import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { keyId, ringKeys, type KeyRing } from "./key-ring";
import { open, seal } from "./sealing";

const PERIOD = 30;
const DIGITS = 6;
const ALGORITHM = "SHA1";
/** One step either side: a phone's clock a little off, or a code typed as it changes. */
const DRIFT_STEPS = 1;

/** 160 random bits, base32 (what authenticator apps take as text). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The secret encrypted for the database with the ring's current key (sealing.ts): readable back
 * only with the server's key.
 */
export function sealSecret(base32: string, ring: KeyRing): string {
  return seal(base32, ring, "totp-secret");
}

/** Opens a sealed secret; `current`: sealed with the ring's current key (else seal it again). Throws when no key opens it. */
export function openSecret(sealed: string, ring: KeyRing): { secret: string; current: boolean } {
  const { text, current } = open(sealed, ring, "totp-secret");
  return { secret: text, current };
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUrl(base32: string, email: string): string {
  return new TOTP({ issuer: "Keycard", label: email, secret: Secret.fromBase32(base32), algorithm: ALGORITHM, digits: DIGITS, period: PERIOD }).toString();
}

/** The time step `code` is right for, within one step of `now`; null if it is right for none. */
export function matchingStep(base32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(base32), algorithm: ALGORITHM, digits: DIGITS, period: PERIOD, timestamp: now.getTime(), window: DRIFT_STEPS });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** What an app would show at `at` (tests, and nothing else). */
export function totpCodeAt(base32: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(base32), algorithm: ALGORITHM, digits: DIGITS, period: PERIOD, timestamp: at.getTime() });
}

// Recovery codes: ten of them, 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
// shown as xxxx-xxxx-xxxx-xxxx: 79 bits each, above the 64 NIST SP 800-63B-4 §4.2.1.1 asks of a
// recovery code. Codes made before were 10 characters (50 bits); they keep working until the
// person makes new ones.
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_LENGTH = 16;
const EARLIER_RECOVERY_CODE_LENGTH = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: RECOVERY_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    return chars.match(/.{4}/g)!.join("-");
  });
}

/** As typed: spaces and dashes dropped, case ignored. Null if it cannot be a recovery code (of now or before). */
export function normaliseRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, "");
  const shape = new RegExp(`^[${ALPHABET}]{${RECOVERY_CODE_LENGTH}}$|^[${ALPHABET}]{${EARLIER_RECOVERY_CODE_LENGTH}}$`);
  return shape.test(code) ? code : null;
}

/** HMAC of a (normalised) recovery code, bound to its account, with one key of the ring. */
export function hashRecoveryCode(userId: string, normalised: string, key: string): string {
  return createHmac("sha256", key).update(`keycard:recovery-code:${userId}:${normalised}`).digest("base64url");
}

/** New recovery codes as stored: each one's HMAC with the ring's current key, and that key's id. */
export function storedRecoveryCodes(userId: string, codes: string[], ring: KeyRing): { codeHash: string; keyId: string }[] {
  return codes.map((code) => ({ codeHash: hashRecoveryCode(userId, normaliseRecoveryCode(code)!, ring.refreshTokenKey), keyId: keyId(ring.refreshTokenKey) }));
}

/** A typed recovery code's HMAC under each key of the ring: it was made with one of them. */
export function recoveryCodeHashes(userId: string, normalised: string, ring: KeyRing): string[] {
  return ringKeys(ring).map((key) => hashRecoveryCode(userId, normalised, key));
}

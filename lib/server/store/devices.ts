// Browsers an account has been signed in from, so that only a sign-in from a new one is mailed.
// Node only. The cookie's value is random; only its SHA-256 is stored.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { DbOrTx } from "@/lib/db";

export function newDeviceId(): string {
  return randomBytes(32).toString("base64url");
}

export function looksLikeDeviceId(value: string | undefined): value is string {
  return !!value && /^[A-Za-z0-9_-]{43}$/.test(value);
}

const hash = (deviceId: string) => createHash("sha256").update(deviceId).digest("base64url");

/**
 * Records that `deviceId` signed in to `userId` now. True when the account had not seen this
 * browser before. The write comes first: on SQLite, a transaction that reads and then writes can
 * be refused outright when another process writes at the same moment. Two sign-ins from one new
 * browser at once may both say "new", which costs a second mail, never a missed one.
 */
export async function rememberDevice(db: DbOrTx, userId: string, deviceId: string, now: Date): Promise<boolean> {
  const deviceHash = hash(deviceId);
  const seen = await db.knownDevice.updateMany({ where: { userId, deviceHash }, data: { lastSeenAt: now } });
  if (seen.count === 1) return false;
  await db.knownDevice.upsert({
    where: { userId_deviceHash: { userId, deviceHash } },
    create: { userId, deviceHash, firstSeenAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
  return true;
}

/** Whether `deviceId` (a browser's cookie) has signed in to `userId` before. */
export async function isKnownDevice(db: DbOrTx, userId: string, deviceId: string | undefined): Promise<boolean> {
  if (!looksLikeDeviceId(deviceId)) return false;
  return (await db.knownDevice.findUnique({ where: { userId_deviceHash: { userId, deviceHash: hash(deviceId) } }, select: { userId: true } })) !== null;
}

/** The place a known browser is counted under (its cookie's hash, never the cookie). */
export function devicePlace(deviceId: string): string {
  return `device:${hash(deviceId)}`;
}

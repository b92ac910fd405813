// What the REFRESH_TOKEN_KEY ring's maintenance needs from the database. Node only.
import "server-only";
import type { Db } from "@/lib/db";
import { keyId, type KeyRing } from "@/lib/server/key-ring";
import { openSecret, sealSecret } from "@/lib/server/totp";
import { resealFactor } from "./two-factor";

/**
 * Seals every authenticator key with the ring's current key (each a compare-and-swap on the
 * sealed value, so a setup or a sign-in's own re-seal racing it wins). Keys no key of the ring
 * opens are counted, not touched.
 */
export async function resealAuthenticatorKeys(db: Db, ring: KeyRing): Promise<{ resealed: number; current: number; unreadable: number }> {
  const result = { resealed: 0, current: 0, unreadable: 0 };
  const factors = await db.totpFactor.findMany({ select: { userId: true, secret: true } });
  for (const factor of factors) {
    let opened;
    try {
      opened = openSecret(factor.secret, ring);
    } catch {
      result.unreadable++;
      continue;
    }
    if (opened.current) result.current++;
    else if (await resealFactor(db, factor.userId, factor.secret, sealSecret(opened.secret, ring))) result.resealed++;
  }
  return result;
}

/**
 * What still depends on keys other than the current one: recovery codes made with them (they
 * cannot be hashed again: they stop working when the key goes, until their owners make new
 * ones), mailed codes and links still live, and authenticator keys not yet sealed again.
 * Recovery codes from before the ring name no key: counted apart.
 */
export async function stillUsingEarlierKeys(db: Db, ring: KeyRing, now: Date) {
  const current = keyId(ring.refreshTokenKey);
  const [recoveryCodes, recoveryCodesBeforeRing, liveMail, factors] = await Promise.all([
    db.recoveryCode.count({ where: { usedAt: null, keyId: { not: current } } }),
    db.recoveryCode.count({ where: { usedAt: null, keyId: null } }),
    db.emailChallenge.findMany({ where: { usedAt: null, expiresAt: { gt: now }, OR: [{ keyId: { not: current } }, { keyId: null }] }, select: { expiresAt: true }, orderBy: { expiresAt: "desc" } }),
    db.totpFactor.findMany({ select: { secret: true } }),
  ]);
  const unsealed = factors.filter((f) => !f.secret.startsWith(`v2.${current}.`)).length;
  return { recoveryCodes, recoveryCodesBeforeRing, liveMail: liveMail.length, lastMailExpiresAt: liveMail[0]?.expiresAt ?? null, authenticatorKeys: unsealed };
}

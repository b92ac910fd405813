// Secrets the server must read back, sealed for the database (AES-256-GCM) with the REFRESH_TOKEN_KEY
// ring's current key: a copy of the database alone cannot open them. Node only. Each purpose has a
// key of its own, derived from the ring's key (HKDF), so one sealed value never opens as another.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { keyId, ringKeys, type KeyRing } from "./key-ring";

/** What a sealed value is for; also the HKDF info its key is derived with. */
export type SealPurpose = "totp-secret" | "outbox";

function sealingKey(ringKey: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", ringKey, "keycard", purpose, 32));
}

/** "v2.<key id>.<iv>.<data>.<tag>", sealed with the ring's current key. */
export function seal(plaintext: string, ring: KeyRing, purpose: SealPurpose): string {
  const key = ring.refreshTokenKey;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(key, purpose), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v2", keyId(key), iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/**
 * Opens a sealed value with the key of the ring that sealed it (v1, from before the ring, names
 * none: each key is tried). `current`: whether that key is the current one; if not, the caller may
 * seal it again. Throws when no key of the ring opens it.
 */
export function open(sealed: string, ring: KeyRing, purpose: SealPurpose): { text: string; current: boolean } {
  const parts = sealed.split(".");
  const [version] = parts;
  if (version !== "v1" && version !== "v2") throw new Error(`unknown sealed ${purpose} format`);
  const [iv, data, tag] = version === "v1" ? parts.slice(1) : parts.slice(2);
  const keys = ringKeys(ring);
  for (const key of version === "v2" ? keys.filter((k) => keyId(k) === parts[1]) : keys) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", sealingKey(key, purpose), Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const text = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      return { text, current: version === "v2" && key === ring.refreshTokenKey };
    } catch {
      // Not this key (a v1 value): the next one.
    }
  }
  throw new Error(`no key of the REFRESH_TOKEN_KEY ring opens this sealed ${purpose}`);
}

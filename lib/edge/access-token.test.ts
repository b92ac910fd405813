import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SignJWT, UnsecuredJWT, base64url, importJWK } from "jose";
import { signAccessToken } from "@/lib/server/signing-key";
import { testConfig } from "@/lib/testing/settings";
import { verifyingKeysFor } from "@/scripts/secrets.mjs";
import { isDueForRenewal, verifyAccessToken } from "./access-token";
import { parseVerifyingKeys, publicJwks } from "./verifying-keys";

const config = testConfig();
const now = new Date("2026-11-28T12:00:00Z");
const subject = { userId: "user-1", sessionId: "session-1" };
const secondsLater = (s: number) => new Date(now.getTime() + s * 1000);

async function reSigned(token: string, change: (header: any, payload: any) => void, alg = "ES256") {
  // Re-sign a tampered token with our own key, so only the claim under test is wrong.
  const [h, p] = token.split(".");
  const header = JSON.parse(new TextDecoder().decode(base64url.decode(h)));
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
  change(header, payload);
  const key = await importJWK(JSON.parse(config.signingKeys)[0], "ES256");
  return new SignJWT(payload).setProtectedHeader({ ...header, alg }).sign(key);
}

describe("access tokens", () => {
  it("a fresh token verifies and names its user, session and expiry", async () => {
    const { token, expiresAt } = await signAccessToken(subject, config, now);
    const result = await verifyAccessToken(token, config, now);
    assert.deepEqual(result, { ok: true, claims: { ...subject, expiresAt } });
    assert.equal(expiresAt.getTime() - now.getTime(), config.accessTokenTtlSeconds * 1000);
  });

  it("an expired token is refused as expired, after a small clock tolerance", async () => {
    const { token } = await signAccessToken(subject, config, now);
    assert.equal((await verifyAccessToken(token, config, secondsLater(config.accessTokenTtlSeconds + 3))).ok, true);
    assert.deepEqual(await verifyAccessToken(token, config, secondsLater(config.accessTokenTtlSeconds + 6)), {
      ok: false,
      code: "expired",
    });
  });

  it("a token signed by another key ring is refused", async () => {
    const { token } = await signAccessToken(subject, testConfig(), now);
    assert.deepEqual(await verifyAccessToken(token, config, now), { ok: false, code: "invalid" });
  });

  it("a tampered payload is refused", async () => {
    const { token } = await signAccessToken(subject, config, now);
    const [h, , s] = token.split(".");
    const forged = base64url.encode(JSON.stringify({ sub: "admin", sid: "x", iss: "keycard", aud: "keycard", iat: 1, exp: 9e9 }));
    assert.equal((await verifyAccessToken(`${h}.${forged}.${s}`, config, now)).ok, false);
  });

  it("wrong issuer, audience or typ are refused even when properly signed", async () => {
    const { token } = await signAccessToken(subject, config, now);
    for (const change of [
      (_h: any, p: any) => (p.iss = "someone-else"),
      (_h: any, p: any) => (p.aud = "another-app"),
      (h: any) => (h.typ = "JWT"),
      (h: any) => delete h.kid,
      (h: any) => (h.kid = "no-such-key"),
      (_h: any, p: any) => delete p.sid,
    ]) {
      assert.deepEqual(await verifyAccessToken(await reSigned(token, change), config, now), { ok: false, code: "invalid" });
    }
    // Sanity: the same re-signing without a change is accepted, so the refusals above are the claims'.
    assert.equal((await verifyAccessToken(await reSigned(token, () => {}), config, now)).ok, true);
  });

  it("alg none and HMAC algorithms are refused (the algorithm is pinned)", async () => {
    const unsecured = new UnsecuredJWT({ sub: "user-1", sid: "s" }).setIssuer("keycard").setAudience("keycard").setIssuedAt().setExpirationTime("5m").encode();
    assert.equal((await verifyAccessToken(unsecured, config, new Date())).ok, false);
    const hs = await new SignJWT({ sub: "user-1", sid: "s" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: JSON.parse(config.signingKeys)[0].kid })
      .setIssuer("keycard").setAudience("keycard").setIssuedAt().setExpirationTime("5m")
      .sign(new TextEncoder().encode(config.verifyingKeys));
    assert.equal((await verifyAccessToken(hs, config, new Date())).ok, false);
  });

  it("garbage and oversized values are refused without throwing", async () => {
    for (const junk of ["", "abc", "a.b.c", "..", "eyJhbGciOiJFUzI1NiJ9.%%%.x", "x".repeat(100_000)]) {
      assert.equal((await verifyAccessToken(junk, config, now)).ok, false, junk.slice(0, 20));
    }
  });
});

describe("renewal ahead of expiry", () => {
  it("the middleware renews a token in the last third of its life (at most the last 10 s before it is refused)", async () => {
    const claims = { ...subject, expiresAt: secondsLater(300) };
    const tolerance = config.clockToleranceSeconds;
    assert.equal(isDueForRenewal(claims, config, secondsLater(289 + tolerance)), false);
    assert.equal(isDueForRenewal(claims, config, secondsLater(290 + tolerance)), true);

    const short = testConfig({ ACCESS_TOKEN_TTL_SECONDS: "3", ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS: "0" });
    const brief = { ...subject, expiresAt: secondsLater(3) };
    assert.equal(isDueForRenewal(brief, short, secondsLater(1.9)), false);
    assert.equal(isDueForRenewal(brief, short, secondsLater(2)), true);
  });
});

describe("signing-key rotation", () => {
  const [current, next] = [JSON.parse(testConfig().signingKeys)[0], JSON.parse(testConfig().signingKeys)[0]];
  const ring = (...keys: object[]) => ({ ...config, signingKeys: JSON.stringify(keys), verifyingKeys: verifyingKeysFor(keys) });
  const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).kid;

  it("a new key put first signs from then on, and tokens of the previous key keep verifying", async () => {
    const { token: old } = await signAccessToken(subject, ring(current), now);
    const rotated = ring(next, current);
    assert.equal((await verifyAccessToken(old, rotated, now)).ok, true);
    const { token: fresh } = await signAccessToken(subject, rotated, now);
    assert.equal(kidOf(fresh), next.kid);
    assert.equal((await verifyAccessToken(fresh, rotated, now)).ok, true);
  });

  it("once the previous key is retired, its tokens are refused", async () => {
    const { token: old } = await signAccessToken(subject, ring(current), now);
    assert.deepEqual(await verifyAccessToken(old, ring(next), now), { ok: false, code: "invalid" });
  });

  it("the published key set holds the public halves only", async () => {
    const { keys } = publicJwks(verifyingKeysFor([next, current]));
    assert.deepEqual(keys.map((k) => k.kid), [next.kid, current.kid]);
    assert.ok(keys.every((k) => !("d" in k) && k.alg === "ES256" && k.use === "sig"));
  });

  it("the edge refuses a verifying key with a private part: it must never hold a key that signs", () => {
    assert.throws(() => parseVerifyingKeys(JSON.stringify([current])), /public keys only/);
    assert.equal(parseVerifyingKeys(verifyingKeysFor([current])).length, 1);
  });

  it("a signing key whose public half is not among the verifying keys is refused before it signs", async () => {
    const mismatched = { ...config, signingKeys: JSON.stringify([next]), verifyingKeys: verifyingKeysFor([current]) };
    await assert.rejects(signAccessToken(subject, mismatched, now), /AUTH_VERIFYING_KEYS lacks the public half/);
  });
});

// Forged and malformed access tokens for the token battery. Some are signed with the test
// server's real key, so that the one thing wrong with them is the thing under test.
import { createPublicKey } from "node:crypto";
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK } from "jose";
import { serverSecrets } from "./settings";


const enc = (value: unknown) => base64url.encode(typeof value === "string" ? value : JSON.stringify(value));

/**
 * The forgeries, and `rawControl`: the genuine header and claims built by the same hand-made
 * path as the raw cases, which must be accepted — proof that a raw case is refused for its defect,
 * not for its signature. `justUnderTheCap`, a genuine token as long as the cap allows, must be accepted too.
 */
export async function forgedTokens(
  subject: { userId: string; sessionId: string },
): Promise<{ cases: [string, string][]; rawControl: string; justUnderTheCap: string }> {
  const secrets = serverSecrets();
  const ours = secrets.keys.current as unknown as JWK & { kid: string };
  const ourKey = await importJWK(ours, "ES256");
  const { d: _d, ...ourPublic } = ours;
  const publicPem = createPublicKey({ key: ourPublic as never, format: "jwk" }).export({ type: "spki", format: "pem" }) as string;
  const attacker = await generateKeyPair("ES256");
  const attackerJwk = await exportJWK(attacker.publicKey);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: subject.userId, sid: subject.sessionId, iss: "keycard", aud: "keycard", iat: now, exp: now + 300 };
  const header = { alg: "ES256", typ: "at+jwt", kid: ours.kid };

  const sign = (h: object, c: object, key: CryptoKey | Uint8Array = ourKey as CryptoKey) =>
    new SignJWT(c as never).setProtectedHeader(h as never).sign(key as never);
  const hmac = (secret: string, alg = "HS256") => sign({ ...header, alg }, claims, new TextEncoder().encode(secret));
  // Built by hand: the JSON has to say what a library would refuse to write. Signed with our real
  // key over exactly these bytes (ES256 in JWS form is the raw r‖s that Web Crypto returns), so the
  // signature is valid and only the defect the case is named after can get it refused.
  const raw = async (h: string, c: string) => {
    const input = `${base64url.encode(h)}.${base64url.encode(c)}`;
    const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ourKey as CryptoKey, new TextEncoder().encode(input));
    return `${input}.${base64url.encode(new Uint8Array(signature))}`;
  };
  const valid = await sign(header, claims);
  const [vh, vp, vs] = valid.split(".");

  const rawControl = await raw(JSON.stringify(header), JSON.stringify(claims));
  // Genuine tokens grown with a claim nobody reads: the longest that fits the 4 KB cap
  // (lib/edge/access-token.ts), the shortest over it, and one well over it but under Node's 16 KB
  // header limit. Base64 lengths move in steps, so "just under" and "just over" are found, not set.
  const withPad = (length: number) => raw(JSON.stringify(header), JSON.stringify({ ...claims, pad: "p".repeat(length) }));
  const CAP = 4096;
  let pad = 0;
  let justUnder = await withPad(pad);
  for (let next = await withPad(pad + 1); next.length <= CAP; next = await withPad(pad + 1)) {
    pad++;
    justUnder = next;
  }
  const justOver = await withPad(pad + 1);
  const wellOver = await withPad(Math.floor((12_000 * 3) / 4) - 200);
  const cases: [string, string][] = [
    ["alg none", new UnsecuredJWT(claims).encode()],
    ["alg none with our kid and typ", `${enc({ alg: "none", typ: "at+jwt", kid: ours.kid })}.${vp}.`],
    ["alg NONE in capitals", `${enc({ alg: "NONE", typ: "at+jwt", kid: ours.kid })}.${vp}.`],
    ["HS256 keyed with our public JWK (key confusion)", await hmac(JSON.stringify(ourPublic))],
    ["HS256 keyed with our public PEM (key confusion)", await hmac(publicPem)],
    ["HS256 keyed with our public x coordinate", await hmac(String(ours.x))],
    ["HS512 keyed with the kid", await hmac(ours.kid, "HS512")],
    ["ES256 by an attacker's key with our kid", await sign(header, claims, attacker.privateKey)],
    ["unknown kid", await sign({ ...header, kid: "not-a-key" }, claims, attacker.privateKey)],
    ["no kid", await sign({ alg: "ES256", typ: "at+jwt" }, claims)],
    ["kid path traversal", await sign({ ...header, kid: "../../../../dev/null" }, claims, attacker.privateKey)],
    ["kid SQL injection", await sign({ ...header, kid: "x' OR '1'='1" }, claims, attacker.privateKey)],
    ["kid as a number", await raw(JSON.stringify({ ...header, kid: 1 }), JSON.stringify(claims))],
    ["jku to the attacker", await sign({ ...header, kid: "evil", jku: "https://evil.example/jwks.json" }, claims, attacker.privateKey)],
    ["x5u to the attacker", await sign({ ...header, kid: "evil", x5u: "https://evil.example/cert.pem" }, claims, attacker.privateKey)],
    ["embedded jwk of the attacker", await sign({ alg: "ES256", typ: "at+jwt", jwk: attackerJwk }, claims, attacker.privateKey)],
    ["x5c chain", await sign({ ...header, kid: "evil", x5c: ["MIIBszCCAVmgAwIBAgIU"] }, claims, attacker.privateKey)],
    ["expired", await sign(header, { ...claims, iat: now - 600, exp: now - 60 })],
    ["nbf in the future", await sign(header, { ...claims, nbf: now + 3600 })],
    ["wrong issuer", await sign(header, { ...claims, iss: "https://evil.example" })],
    ["wrong audience", await sign(header, { ...claims, aud: "another-service" })],
    ["audience list without us", await sign(header, { ...claims, aud: ["a", "b"] })],
    ["typ JWT", await sign({ ...header, typ: "JWT" }, claims)],
    ["no typ", await sign({ alg: "ES256", kid: ours.kid }, claims)],
    ["no sub", await sign(header, { ...claims, sub: undefined })],
    ["no sid", await sign(header, { ...claims, sid: undefined })],
    ["no exp", await sign(header, { ...claims, exp: undefined })],
    ["sub is a number", await raw(JSON.stringify(header), JSON.stringify({ ...claims, sub: 42 }))],
    ["unknown critical header", await raw(JSON.stringify({ ...header, crit: ["x-evil"], "x-evil": true }), JSON.stringify(claims))],
    ["unencoded payload (b64: false)", await raw(JSON.stringify({ ...header, b64: false, crit: ["b64"] }), JSON.stringify(claims))],
    ["a refresh token in the access cookie", base64url.encode(crypto.getRandomValues(new Uint8Array(32)))],
    ["truncated signature", valid.slice(0, -12)],
    ["signature removed", `${vh}.${vp}.`],
    ["signature from another token", `${vh}.${enc({ ...claims, sub: "someone-else" })}.${vs}`],
    ["bad base64 in the header", `%%%.${vp}.${vs}`],
    ["bad base64 in the payload", `${vh}.***.${vs}`],
    ["payload that is not JSON", `${vh}.${enc("hello, world")}.${vs}`],
    ["payload that is a JSON array", await raw(JSON.stringify(header), JSON.stringify([claims]))],
    ["duplicated exp, the last one expired", await raw(JSON.stringify(header), JSON.stringify(claims).replace(/}$/, `,"exp":${now - 60}}`))],
    ["duplicated iss, the last one not ours", await raw(JSON.stringify(header), JSON.stringify(claims).replace(/}$/, `,"iss":"evil"}`))],
    ["duplicated alg, the last one none", `${base64url.encode(JSON.stringify(header).replace(/}$/, `,"alg":"none"}`))}.${vp}.${vs}`],
    ["four segments", `${valid}.extra`],
    ["five segments (JWE shape)", `${vh}.a.b.c.d`],
    ["Bearer prefix", `Bearer ${valid}`.replace(" ", "%20")],
    ["empty", ""],
    [`a genuine token grown to ${justOver.length} bytes, just over the cap`, justOver],
    [`a genuine token grown to ${wellOver.length} bytes`, wellOver],
  ];
  return { cases, rawControl, justUnderTheCap: justUnder };
}




// Forged and malformed access tokens for the token battery. Some are signed with the test
// server's real key, so that the one thing wrong with them is the thing under test.
import { createPublicKey } from "node:crypto";
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK } from "jose";
import { serverSecrets } from "./settings";


const enc = (value: unknown) => base64url.encode(typeof value === "string" ? value : JSON.stringify(value));

export async function forgedTokens(subject: { userId: string; sessionId: string }): Promise<[string, string][]> {
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
  // Built by hand: the JSON has to say what a library would refuse to write.
  const raw = async (h: string, c: string) => {
    const input = `${base64url.encode(h)}.${base64url.encode(c)}`;
    const valid = (await sign(header, claims)).split(".")[2];
    return `${input}.${valid}`;
  };
  const valid = await sign(header, claims);
  const [vh, vp, vs] = valid.split(".");

  return [
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
    ["100 KB of junk", "x".repeat(100_000)],
    ["1 MB token", `${vh}.${"A".repeat(1_000_000)}.${vs}`],
  ];
}




// Verifying access tokens. Edge-safe (jose only): the middleware and the Node-side session helper
// both verify through verifyAccessToken, so there is one definition of "valid". Signing is Node's
// alone (lib/server/signing-key.ts): nothing here can sign.
import { errors, jwtVerify, type JWTHeaderParameters } from "jose";
import { ACCESS_TOKEN_ALG, getVerifyingKeys } from "./verifying-keys";

export const ACCESS_TOKEN_TYP = "at+jwt"; // RFC 9068: keeps other JWTs from passing as access tokens

// A cookie value this long is not one of ours; refuse it before any parsing work.
const MAX_TOKEN_LENGTH = 4096;

export type AccessTokenSettings = {
  verifyingKeys: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  /** Leeway for clocks that disagree between the machines that sign and verify. */
  clockToleranceSeconds: number;
};

/** `authenticatedAt`: the token's auth_time, when the person last proved who they are in its session (RFC 9068). */
export type AccessClaims = { userId: string; sessionId: string; expiresAt: Date; authenticatedAt?: Date };

export type AccessTokenResult =
  | { ok: true; claims: AccessClaims }
  | { ok: false; code: "expired" | "invalid" };

// Tokens already verified in this process (or edge isolate), with their claims. A browser sends
// the same access token with every request for minutes, and an ES256 verification costs about a
// third of a millisecond; a Map lookup does not. Only a successful verification is remembered,
// under the exact token string and key ring, and `exp` is still checked against the clock on
// every use.
const VERIFIED_CACHE_SIZE = 10_000;
let verified = { keys: "", claims: new Map<string, AccessClaims>() };

function remembered(token: string, settings: AccessTokenSettings, now: Date): AccessTokenResult | null {
  if (verified.keys !== settings.verifyingKeys) verified = { keys: settings.verifyingKeys, claims: new Map() };
  const claims = verified.claims.get(token);
  if (!claims) return null;
  if (now.getTime() < claims.expiresAt.getTime() + settings.clockToleranceSeconds * 1000) return { ok: true, claims };
  verified.claims.delete(token);
  return { ok: false, code: "expired" };
}

function remember(token: string, claims: AccessClaims) {
  if (verified.claims.size >= VERIFIED_CACHE_SIZE) verified.claims.delete(verified.claims.keys().next().value!);
  verified.claims.set(token, claims);
}

/** Any token that is not exactly one of ours is `invalid`; throws only on broken configuration. */
export async function verifyAccessToken(
  token: string,
  settings: AccessTokenSettings,
  now: Date,
): Promise<AccessTokenResult> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, code: "invalid" };
  const known = remembered(token, settings, now);
  if (known) return known;
  // Outside the try: a broken key configuration is a fault to surface, not a reason to sign
  // everyone out.
  const verifying = await getVerifyingKeys(settings.verifyingKeys);
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = header.kid ? verifying.get(header.kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      {
        algorithms: [ACCESS_TOKEN_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ["sub", "sid", "iat", "exp"],
        clockTolerance: settings.clockToleranceSeconds,
        currentDate: now,
      },
    );
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") {
      return { ok: false, code: "invalid" };
    }
    const authTime = typeof payload.auth_time === "number" ? new Date(payload.auth_time * 1000) : undefined;
    const claims = { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp! * 1000), ...(authTime ? { authenticatedAt: authTime } : {}) };
    remember(token, claims);
    return { ok: true, claims };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, code: "expired" };
    return { ok: false, code: "invalid" };
  }
}

// The middleware renews a token a little before it stops being accepted, not at the last
// instant: the render verifies it again a moment later, and a token that expired in between
// would send a signed-in person to the sign-in page. A third of the lifetime, at most 10 s.
const RENEW_AHEAD_MAX_SECONDS = 10;

/** True once `claims`' token has less than the renewal margin left before it is refused. */
export function isDueForRenewal(claims: AccessClaims, settings: AccessTokenSettings, now: Date): boolean {
  const margin = Math.min(RENEW_AHEAD_MAX_SECONDS, settings.accessTokenTtlSeconds / 3) * 1000;
  const refusedFrom = claims.expiresAt.getTime() + settings.clockToleranceSeconds * 1000;
  return now.getTime() >= refusedFrom - margin;
}

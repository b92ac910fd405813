// The session as server components and route handlers see it. Node only.
//
// The middleware verifies the access token too, but nothing here trusts that it ran: every call
// verifies the token from the request's cookie itself, then checks that its session is still
// live, so a session ended elsewhere is refused at once rather than when its access token expires.
// React `cache` makes each of those once per request: one signature check, one indexed read.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { getDb, type Db } from "@/lib/db";
import { verifyAccessToken, type AccessClaims, type AccessTokenSettings } from "@/lib/edge/access-token";
import { cookieNames } from "@/lib/edge/cookies";
import { getConfig } from "@/lib/env";
import { isStoreFault } from "./faults";
import { log } from "./log";
import { metrics } from "./metrics";
import { getLiveSession } from "./store/sessions";

export type CurrentSession = {
  claims: AccessClaims;
  user: { id: string; email: string; emailVerified: boolean };
  session: { id: string; createdAt: Date; idleExpiresAt: Date; expiresAt: Date; persistent: boolean };
};

/**
 * The claims of a valid access token, or null. No database: for what only needs to know whether
 * someone is probably signed in (the header's links). Never enough to authorize anything.
 */
export const getAccessClaims = cache(async (): Promise<AccessClaims | null> => {
  const jar = await cookies(); // first: reading the request is what makes a render dynamic
  const config = getConfig();
  const token = jar.get(cookieNames(config).access)?.value;
  if (!token) return null;
  const result = await verifyAccessToken(token, config, new Date());
  return result.ok ? result.claims : null;
});

/**
 * The signed-in person and their live session; null when the access token is not valid or the
 * session has ended. Throws when the store cannot be read.
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const jar = await cookies(); // first: reading the request is what makes a render dynamic
  const config = getConfig();
  const token = jar.get(cookieNames(config).access)?.value;
  return token ? loadCurrentSession(token, getDb(), config, new Date()) : null;
});

/** getCurrentSession without the request: the token, the store and the clock are parameters. */
export async function loadCurrentSession(
  accessToken: string,
  db: Db,
  settings: AccessTokenSettings,
  now: Date,
): Promise<CurrentSession | null> {
  const verified = await verifyAccessToken(accessToken, settings, now);
  if (!verified.ok) return null;
  const { claims } = verified;
  const live = await getLiveSession(db, claims.sessionId, now);
  if (!live || live.userId !== claims.userId) return null;
  const { user, ...session } = live;
  return { claims, user, session };
}

export type RequiredSession = { ok: true; current: CurrentSession } | { ok: false; reason: "store_unavailable" };

/**
 * For pages that only *show* who is signed in: when the store cannot be read, render as if signed
 * out rather than fail. Pages that need the session use requireSession instead.
 */
export async function getSessionOrNull(): Promise<CurrentSession | null> {
  try {
    return await getCurrentSession();
  } catch (error) {
    unstable_rethrow(error);
    if (!isStoreFault(error)) throw error;
    log().error({ fault: error instanceof Error ? error.message : String(error) }, "could not read the session");
    metrics().storeFaults.inc();
    return null;
  }
}

/**
 * For protected pages: the live session, or a redirect to the sign-in page coming back to `path`.
 * A store fault is returned, not thrown, so the page can say "try again" instead of failing; any
 * other error is a bug and is thrown to Next's error page.
 */
export async function requireSession(path: string): Promise<RequiredSession> {
  let current: CurrentSession | null;
  try {
    current = await getCurrentSession();
  } catch (error) {
    unstable_rethrow(error); // Next's own signals (dynamic rendering, redirects) travel as throws
    if (!isStoreFault(error)) throw error;
    log().error({ fault: error instanceof Error ? error.message : String(error) }, "could not read the session");
    metrics().storeFaults.inc();
    return { ok: false, reason: "store_unavailable" };
  }
  if (!current) redirect(`/login?next=${encodeURIComponent(path)}`);
  return { ok: true, current };
}

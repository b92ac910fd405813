// The session as server components and route handlers see it. Node only.
//
// The middleware verifies the access token too, but nothing here trusts that it ran: every call
// verifies the token from the request's cookie itself. React `cache` makes that once per request.
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { verifyAccessToken, type AccessClaims } from "./access-token";
import { ACCESS_COOKIE } from "./cookies";
import { getLiveSession } from "./session-store";

export type Session = AccessClaims;

/** The signed-in session from a valid access token, or null. */
export const getSession = cache(async (): Promise<Session | null> => {
  const token = (await cookies()).get(ACCESS_COOKIE)?.value;
  if (!token) return null;
  const result = await verifyAccessToken(token, getConfig(), new Date());
  return result.ok ? result.claims : null;
});

/** The signed-in session; otherwise redirects to the sign-in page, coming back to `path`. */
export async function requireSession(path: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(path)}`);
  return session;
}

export type CurrentSession = {
  claims: Session;
  user: { id: string; email: string };
  session: { id: string; createdAt: Date; idleExpiresAt: Date; expiresAt: Date; persistent: boolean };
};

/**
 * The signed-in person with their stored session: null when the access token is not valid or the
 * session has ended. Reads the database, so it throws when the store is unavailable.
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const claims = await getSession();
  if (!claims) return null;
  const live = await getLiveSession(getDb(), claims.sessionId, new Date());
  if (!live || live.userId !== claims.userId) return null;
  const { user, ...session } = live;
  return { claims, user: { id: user.id, email: user.email }, session };
});

// Sessions and their refresh tokens in the database. Node only.
//
// The one place that creates, rotates and revokes refresh tokens. Every function takes the
// database and the clock as parameters so tests can use a throw-away database and a frozen time.
// Expected outcomes are values; a thrown error means the store itself failed (lib/server/faults.ts
// tells an outage from a bug). Recording what happened is the account actions' job, not this one's.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import type { ClientInfo } from "@/lib/edge/client-info";
import { isPrismaError } from "@/lib/server/faults";
import { metrics } from "@/lib/server/metrics";
import {
  deriveSuccessorToken,
  generateRefreshToken,
  hashRefreshToken,
  looksLikeRefreshToken,
} from "@/lib/server/refresh-token";

export type SessionSettings = {
  /** The REFRESH_TOKEN_KEY ring's current key: it derives successors. */
  refreshTokenKey: string;
  /** Every key of the ring (current first): a token rotated under an earlier key is still followed. */
  refreshTokenKeys?: string[];
  sessionIdleTtlSeconds: number;
  sessionAbsoluteTtlSeconds: number;
  refreshGraceSeconds: number;
};

export type SessionRecord = {
  id: string;
  userId: string;
  persistent: boolean;
  createdAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
  /** When the person last proved who they are here (null: before the column; createdAt stands in). */
  authenticatedAt: Date | null;
  /** How, RFC 8176 values comma-separated. */
  amr: string;
};

/** The columns of a SessionRecord, for a query that returns one. */
const SESSION_RECORD = { id: true, userId: true, persistent: true, createdAt: true, idleExpiresAt: true, expiresAt: true, authenticatedAt: true, amr: true } as const;

export type IssuedRefreshToken = { session: SessionRecord; refreshToken: string };

export type RotateFailure = "invalid" | "expired" | "revoked" | "reused";
export type RotateResult =
  /**
   * `via`: this request rotated the token, or another had and this one got the successor.
   * `replaces`: the session this one replaced in its browser, which can end now that the browser
   * is seen with this one (endReplacedSession).
   */
  | ({ ok: true; via: "rotated" | "grace"; replaces?: string } & IssuedRefreshToken)
  | { ok: false; code: Exclude<RotateFailure, "reused"> }
  /** The session was ended because a consumed token came back: `session` says whose it was. */
  | { ok: false; code: "reused"; session: ReusedSession; ended: boolean };

/**
 * What a new session is made of. `authenticatedAt`: when the person proved who they are, if not
 * now (a sign-in through another provider whose own sign-in was earlier: its `auth_time`).
 */
export type NewSessionInput = { userId: string; persistent: boolean; amr?: string; authenticatedAt?: Date } & Partial<ClientInfo>;

/** The session a reused token belonged to, as it was last seen (its device and address). */
export type ReusedSession = { id: string; userId: string; userAgent: string | null; ip: string | null };

export type { ClientInfo };

// How far the grace path follows a chain of successors (T → S → S2 …) to the live token. Two
// rotations inside one grace window are already unusual; more than this is not honest traffic.
const MAX_SUCCESSOR_HOPS = 4;

const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

export async function createSession(
  db: Db,
  input: NewSessionInput,
  settings: SessionSettings,
  now: Date,
): Promise<IssuedRefreshToken> {
  const { data, refreshToken } = newSession(input, settings, now);
  return { session: await db.session.create({ data }), refreshToken };
}

/**
 * createSession for a sign-in that checked `passwordHash`: null when the password changed since,
 * or the account is locked. A password change ends every other session in one transaction; a
 * sign-in that read the old hash just before must not create its session just after that sweep.
 * The guard is an update of the user row to itself where the hash is still the one checked: it
 * fails if the change came first, and otherwise holds the row (PostgreSQL) or the database
 * (SQLite) until this session is committed, so a change that comes after waits, and its sweep
 * then sees this session and ends it. A lock is such a change too.
 */
export function createSessionIfPasswordUnchanged(
  db: Db,
  input: NewSessionInput & { passwordHash: string | null },
  settings: SessionSettings,
  now: Date,
): Promise<IssuedRefreshToken | null> {
  const { passwordHash, ...fields } = input;
  return createGuardedSession(db, fields, { passwordHash }, settings, now);
}

/** createSession for a sign-in that proved no password (a passkey, a mailed code): null when the account is locked. */
export function createSessionIfUnlocked(
  db: Db,
  input: NewSessionInput,
  settings: SessionSettings,
  now: Date,
): Promise<IssuedRefreshToken | null> {
  return createGuardedSession(db, input, {}, settings, now);
}

function createGuardedSession(
  db: Db,
  input: NewSessionInput,
  guard: { passwordHash?: string | null },
  settings: SessionSettings,
  now: Date,
): Promise<IssuedRefreshToken | null> {
  const { data, refreshToken } = newSession(input, settings, now);
  return db.$transaction(async (tx) => {
    const unchanged = await tx.user.updateMany({ where: { id: input.userId, lockedAt: null, ...guard }, data: { lockedAt: null } });
    if (unchanged.count !== 1) return null;
    return { session: await tx.session.create({ data }), refreshToken };
  });
}

function newSession(input: NewSessionInput, settings: SessionSettings, now: Date) {
  const refreshToken = generateRefreshToken();
  const expiresAt = addSeconds(now, settings.sessionAbsoluteTtlSeconds);
  const data = {
    id: randomUUID(),
    userId: input.userId,
    persistent: input.persistent,
    createdAt: now,
    lastActiveAt: now,
    idleExpiresAt: earlier(addSeconds(now, settings.sessionIdleTtlSeconds), expiresAt),
    expiresAt,
    userAgent: input.userAgent ?? null,
    ip: input.ip ?? null,
    authenticatedAt: input.authenticatedAt && input.authenticatedAt < now ? input.authenticatedAt : now,
    amr: input.amr ?? "pwd",
    refreshTokens: {
      create: { id: randomUUID(), tokenHash: hashRefreshToken(refreshToken), createdAt: now },
    },
  };
  return { data, refreshToken };
}

/**
 * Consumes `presented` and returns its successor in the same session.
 *
 * The consume is a compare-and-swap (`consumedAt` set only where it is still null), so of many
 * concurrent requests exactly one rotates. The others, like any request that presents a token
 * consumed less than the grace window ago, receive the same successor, derived again from the
 * presented token. A token consumed longer ago than that is a replay: the whole session is revoked.
 */
export async function rotateRefreshToken(
  db: Db,
  presented: string,
  settings: SessionSettings,
  now: Date,
  client: Partial<ClientInfo> = {},
  /** Runs in the transaction that ends a session for reuse (the action queues its mail there). */
  whenReuseEnds?: (tx: DbOrTx, session: ReusedSession) => Promise<unknown>,
): Promise<RotateResult> {
  if (!looksLikeRefreshToken(presented)) return { ok: false, code: "invalid" };

  const tokenHash = hashRefreshToken(presented);
  const row = await db.refreshToken.findUnique({
    where: { tokenHash },
    select: { id: true, consumedAt: true, session: { select: { id: true, revokedAt: true, expiresAt: true, idleExpiresAt: true, replacesSessionId: true } } },
  });
  if (!row) return { ok: false, code: "invalid" };
  const { session } = row;
  if (session.revokedAt) return { ok: false, code: "revoked" };
  if (now >= session.expiresAt || now >= session.idleExpiresAt) return { ok: false, code: "expired" };

  const successor = deriveSuccessorToken(presented, settings.refreshTokenKey);

  if (!row.consumedAt) {
    // One transaction of three statements, sent together as a batch (cheaper than an interactive
    // transaction by about a quarter of a rotation's time; decision 0003):
    //  1. The compare-and-swap: an update that must find the token unconsumed. Of racers presenting
    //     the same token exactly one does; for the others there is no row to update (P2025) and
    //     the whole transaction rolls back before anything else is written. That, not the
    //     successor's unique index, decides who won: the index only refuses a second copy while
    //     every instance derives the same successor, not during a rolling change of
    //     REFRESH_TOKEN_KEY.
    //  2. The successor.
    //  3. The session moved on, only if nobody has ended it meanwhile (a sign-out racing this
    //     refresh): otherwise no row again, and all of it rolls back.
    // A losing racer, like a token presented again, takes the grace path, which reads what
    // happened and answers for it: the successor, or "revoked".
    try {
      const [, , rotated] = await retryingConflicts(() =>
        db.$transaction([
          db.refreshToken.update({ where: { id: row.id, consumedAt: null }, data: { consumedAt: now }, select: { id: true } }),
          db.refreshToken.create({
            data: { id: randomUUID(), tokenHash: hashRefreshToken(successor), sessionId: session.id, createdAt: now },
            select: { id: true },
          }),
          db.session.update({
            where: { id: session.id, revokedAt: null },
            select: SESSION_RECORD,
            data: {
              lastActiveAt: now,
              idleExpiresAt: earlier(addSeconds(now, settings.sessionIdleTtlSeconds), session.expiresAt),
              // Where the session was last seen, for the person's list of devices.
              ...(client.ip ? { ip: client.ip } : {}),
              ...(client.userAgent ? { userAgent: client.userAgent } : {}),
            },
          }),
        ]),
      );
      return { ok: true, via: "rotated", session: rotated, refreshToken: successor, replaces: session.replacesSessionId ?? undefined };
    } catch (error) {
      // Another request rotated it first, or ended the session: the grace path tells which.
      if (!isPrismaError(error, "P2025") && !isPrismaError(error, "P2002")) throw error;
    }
  }

  return resolveConsumedToken(db, presented, settings, now, whenReuseEnds);
}

// A browser holds one session. When it signs in again while holding another, the held session is
// noted on the new one (replacesSessionId) and ends once the browser is seen with the new one: its
// first refresh, its sign-out, or its own token held at a later sign-in. Not at once: if the
// sign-in's answer never reached the browser (a page navigating away, a dropped connection), the
// browser still holds the old session, and ending it would sign the person out.

/**
 * Notes the session `heldRefreshToken` belongs to on the new session, if that token is one the
 * browser may really hold: its session live, the token unused or used within the grace window. A
 * token long rotated (a thief's copy) notes nothing: reuse detection is the refresh route's.
 * Returns the session the held one itself replaced, if any: holding this token shows the browser
 * had the held session, so that one can end now (a chain A → B → C ends A too).
 */
export async function noteReplacedSession(
  db: Db,
  input: { newSessionId: string; heldRefreshToken: string },
  settings: SessionSettings,
  now: Date,
): Promise<{ held: string; heldReplaces: string | null } | null> {
  if (!looksLikeRefreshToken(input.heldRefreshToken)) return null;
  const row = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(input.heldRefreshToken) }, include: { session: true } });
  if (!row || row.sessionId === input.newSessionId) return null;
  const { session } = row;
  const live = !session.revokedAt && now < session.expiresAt && now < session.idleExpiresAt;
  const heldNow = !row.consumedAt || now <= addSeconds(row.consumedAt, settings.refreshGraceSeconds);
  if (!live || !heldNow) return null;
  await db.session.update({ where: { id: input.newSessionId }, data: { replacesSessionId: session.id } });
  return { held: session.id, heldReplaces: session.replacesSessionId };
}

/**
 * Ends `replacedId` if `sessionId` still says it replaced it: a compare-and-swap on the note, so of
 * a refresh and a sign-out at once only one ends it (and records it). Outside any other
 * transaction, so it never holds one session's row while waiting for another's.
 */
export async function endReplacedSession(db: Db, sessionId: string, replacedId: string, now: Date): Promise<{ id: string; userId: string } | null> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, replacesSessionId: replacedId }, data: { replacesSessionId: null } });
  if (count !== 1) return null;
  const replaced = await db.session.findUnique({ where: { id: replacedId }, select: { id: true, userId: true } });
  return replaced && (await revokeSession(db, replacedId, "signed_out", now)) ? replaced : null;
}

/** The session `sessionId` replaced in its browser and has not ended yet, if any. */
export async function replacedBy(db: Db, sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { replacesSessionId: true } });
  return row?.replacesSessionId ?? null;
}

/** The presented token was already consumed: within the grace window, hand out the live successor. */
async function resolveConsumedToken(
  db: Db,
  presented: string,
  settings: SessionSettings,
  now: Date,
  whenReuseEnds?: (tx: DbOrTx, session: ReusedSession) => Promise<unknown>,
): Promise<RotateResult> {
  const tokenHash = hashRefreshToken(presented);
  const row = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash }, include: { session: true } });
  if (row.session.revokedAt) return { ok: false, code: "revoked" };
  if (!row.consumedAt) {
    // The successor's hash is taken, yet this token was never consumed: not a race but a fault.
    throw new Error("refresh rotation failed: the successor exists but the token was not consumed");
  }

  const graceEndsAt = addSeconds(row.consumedAt, settings.refreshGraceSeconds);
  if (now <= graceEndsAt) {
    // Derived with the current key, or — when the key changed within the window — an earlier one.
    const keys = settings.refreshTokenKeys?.length ? settings.refreshTokenKeys : [settings.refreshTokenKey];
    for (const key of keys) {
      let candidate = deriveSuccessorToken(presented, key);
      for (let hop = 0; hop < MAX_SUCCESSOR_HOPS; hop++) {
        const next = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(candidate) } });
        if (!next) break;
        if (!next.consumedAt) {
          const session = await db.session.findUniqueOrThrow({ where: { id: row.sessionId } });
          return { ok: true, via: "grace", session, refreshToken: candidate };
        }
        candidate = deriveSuccessorToken(candidate, key);
      }
    }
  }

  const session = { id: row.sessionId, userId: row.session.userId, userAgent: row.session.userAgent, ip: row.session.ip };
  return { ok: false, code: "reused", session, ended: await endSessionForReuse(db, session, now, whenReuseEnds) };
}

/**
 * Ends a session because one of its consumed tokens came back after the grace window. Of several
 * replays at once, the one whose revoke ends the session runs the hook (one mail).
 */
export function endSessionForReuse(
  db: Db,
  session: ReusedSession,
  now: Date,
  whenReuseEnds?: (tx: DbOrTx, session: ReusedSession) => Promise<unknown>,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const ended = await revokeSession(tx, session.id, "refresh_token_reused", now);
    if (ended && whenReuseEnds) await whenReuseEnds(tx, session);
    return ended;
  });
}

/**
 * What a refresh token a browser presents (outside a refresh: a sign-out, confirming it's you) is:
 * the session's current token (unused, or used within the grace window) or one rotated long ago —
 * a copy someone else kept, which the caller treats as a reuse. Null for a token never issued.
 */
export async function inspectRefreshToken(
  db: Db,
  token: string,
  settings: Pick<SessionSettings, "refreshGraceSeconds">,
  now: Date,
): Promise<{ session: ReusedSession; current: boolean } | null> {
  if (!looksLikeRefreshToken(token)) return null;
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
    select: { consumedAt: true, session: { select: { id: true, userId: true, userAgent: true, ip: true } } },
  });
  if (!row) return null;
  const current = !row.consumedAt || now <= addSeconds(row.consumedAt, settings.refreshGraceSeconds);
  return { session: row.session, current };
}

export type RevokeReason =
  | "signed_out"
  | "ended_from_another_session"
  | "signed_out_everywhere"
  | "password_changed"
  | "refresh_token_reused"
  | "account_locked"
  | "email_change_undone"
  | "ended_by_operator";

/** Ends a session: every token of its family stops refreshing. False when it had already ended. */
export async function revokeSession(db: DbOrTx, sessionId: string, reason: RevokeReason, now: Date): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  metrics().sessionsEnded.inc({ reason }, count);
  return count > 0;
}

/**
 * Ends one of `userId`'s live sessions. Null when there is no such live session of theirs: an
 * unknown id and another person's id look the same to the caller.
 */
export async function revokeUserSession(
  db: Db,
  target: { userId: string; sessionId: string },
  reason: RevokeReason,
  now: Date,
): Promise<{ userAgent: string | null } | null> {
  const session = await db.session.findFirst({
    where: { id: target.sessionId, userId: target.userId, ...liveAt(now) },
    select: { userAgent: true },
  });
  if (!session) return null;
  await revokeSession(db, target.sessionId, reason, now);
  return session;
}

/** Ends every live session of `userId` except `keepSessionId` (none, to end them all). */
export async function revokeOtherSessions(
  db: Db,
  target: { userId: string; keepSessionId: string | null },
  reason: RevokeReason,
  now: Date,
): Promise<number> {
  const { count } = await endOtherSessionsStatement(db, target, reason, now);
  metrics().sessionsEnded.inc({ reason }, count);
  return count;
}

/** revokeOtherSessions as a statement not yet run, for a batch transaction. */
export function endOtherSessionsStatement(
  db: DbOrTx,
  target: { userId: string; keepSessionId: string | null },
  reason: RevokeReason,
  now: Date,
) {
  return db.session.updateMany({ where: otherLiveSessions(target, now), data: { revokedAt: now, revokedReason: reason } });
}

/** Where-clause: `userId`'s live sessions but `keepSessionId`. */
function otherLiveSessions(target: { userId: string; keepSessionId: string | null }, now: Date) {
  return {
    userId: target.userId,
    ...(target.keepSessionId ? { id: { not: target.keepSessionId } } : {}),
    ...liveAt(now),
  };
}

/** The person's sessions that can still refresh, most recently active first. */
export function listLiveSessions(db: Db, userId: string, now: Date) {
  return db.session.findMany({
    where: { userId, ...liveAt(now) },
    orderBy: { lastActiveAt: "desc" },
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastActiveAt: true },
  });
}

const liveAt = (now: Date) => ({ revokedAt: null, expiresAt: { gt: now }, idleExpiresAt: { gt: now } });

/** The session a refresh token belongs to, whatever its state; null for an unknown token. */
export async function findSessionByRefreshToken(
  db: Db,
  token: string,
): Promise<{ sessionId: string; userId: string } | null> {
  if (!looksLikeRefreshToken(token)) return null;
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
    select: { session: { select: { id: true, userId: true } } },
  });
  return row ? { sessionId: row.session.id, userId: row.session.userId } : null;
}

export type LiveSession = SessionRecord & { user: { id: string; email: string; emailVerified: boolean } };

/**
 * The session with its user while it can still refresh; null once it has ended. One primary-key
 * read, on every authenticated request — so it is one plain SQL statement: Prisma's findUnique
 * with the user included took 0.58 ms here, this takes 0.14 ms (measured on SQLite).
 */
export async function getLiveSession(db: Db, sessionId: string, now: Date): Promise<LiveSession | null> {
  const rows = await db.$queryRaw<(SessionRecord & { revokedAt: Date | null; email: string; emailVerifiedAt: Date | null; lockedAt: Date | null })[]>`
    SELECT s."id", s."userId", s."persistent", s."createdAt", s."idleExpiresAt", s."expiresAt", s."revokedAt", s."authenticatedAt", s."amr",
           u."email", u."emailVerifiedAt", u."lockedAt"
      FROM "Session" s JOIN "User" u ON u."id" = s."userId"
     WHERE s."id" = ${sessionId}`;
  const row = rows[0];
  // A lock ends every session in its own transaction; the account's lock is checked too, so that
  // nothing can outlive it.
  if (!row || row.revokedAt || row.lockedAt || now >= row.expiresAt || now >= row.idleExpiresAt) return null;
  const { email, revokedAt: _revoked, emailVerifiedAt, lockedAt: _locked, ...session } = row;
  return { ...session, user: { id: row.userId, email, emailVerified: emailVerifiedAt !== null } };
}

/**
 * Runs `transaction` again when the database refused it for a deadlock or a serialization
 * failure (P2034), as PostgreSQL asks; any other error, or a third refusal, reaches the caller.
 */
export async function retryingConflicts<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isPrismaError(error, "P2034")) throw error;
    }
  }
}

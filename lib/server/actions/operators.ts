// The operator console's actions: finding a person, seeing their account, and helping them or
// stopping an attack — each one audited, mailed to the person and shown in their security
// activity. Node only. docs/decisions/0012-operators.md.
//
// Who may: an account with the operator role (`npm run admin -- grant`, read on every request, so
// a revoked role stops at once), a strong second factor on it (an authenticator app or a passkey),
// and a session that proved one (`amr` has `mfa`); every change also needs that proof to be fresh.
// Anyone else is told there is nothing here (404), exactly as for a route that does not exist.
// Operators never see a password, token, code or key, and cannot sign in as the person.
import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db";
import { describeActivity } from "@/lib/server/activity";
import { describeDevice } from "@/lib/server/device";
import { generateLinkToken } from "@/lib/server/email-secrets";
import { log } from "@/lib/server/log";
import { metrics } from "@/lib/server/metrics";
import { mails } from "@/lib/server/mail/mails";
import { hashPassword } from "@/lib/server/password";
import { LIFETIME_MINUTES, newChallenge } from "@/lib/server/store/challenges";
import { listIdentities } from "@/lib/server/store/identities";
import { allAudit, appendAudit, findPeople, listAudit, operatorOf, type AuditAction, type AuditFilter } from "@/lib/server/store/operators";
import { endOtherSessionsStatement } from "@/lib/server/store/sessions";
import type { SecurityEventType } from "@/lib/server/store/security-events";
import { holdAccount, lockAccount } from "@/lib/server/store/users";
import type { ActionContext, Actor } from "./context";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { queue, sendQueuedMail } from "./mail";

/** The operator acting: their session, and their address for the audit log. */
export type Operator = Actor & { email: string };

export type NoConsole = { ok: false; code: "not_found" } | { ok: false; code: "operator_needs_second_factor" } | { ok: false; code: "operator_needs_strong_sign_in" };

/**
 * The gate of every operator page and route. `not_found` for anyone without the role (the same
 * answer as for a route that does not exist); the role without an app or a passkey on the account
 * is told to set one up; a session that proved no second factor is told to confirm with it.
 */
export async function operatorAccess(actor: Actor, ctx: ActionContext): Promise<{ ok: true; operator: Operator } | NoConsole> {
  const role = await operatorOf(ctx.db, actor.userId);
  if (!role) return { ok: false, code: "not_found" };
  const [factor, passkeys, session] = await Promise.all([
    ctx.db.totpFactor.findUnique({ where: { userId: actor.userId }, select: { confirmedAt: true } }),
    ctx.db.passkey.count({ where: { userId: actor.userId } }),
    ctx.db.session.findUnique({ where: { id: actor.sessionId }, select: { amr: true } }),
  ]);
  if (!factor?.confirmedAt && passkeys === 0) return { ok: false, code: "operator_needs_second_factor" };
  if (!session?.amr.split(",").includes("mfa")) return { ok: false, code: "operator_needs_strong_sign_in" };
  return { ok: true, operator: { ...actor, email: role.email } };
}

/** Whether the account holds the role (the account page links the console then). */
export async function holdsOperatorRole(actor: Actor, ctx: ActionContext): Promise<boolean> {
  return (await operatorOf(ctx.db, actor.userId)) !== null;
}

/** A change needs the strong proof to be fresh too (REAUTH_MAX_AGE_SECONDS). */
async function needsFreshStrongSignIn(operator: Operator, ctx: ActionContext): Promise<NeedsFreshSignIn | null> {
  const stale = await needsFreshSignIn(operator, ctx);
  if (stale) return stale;
  const session = await ctx.db.session.findUnique({ where: { id: operator.sessionId }, select: { amr: true } });
  return session?.amr.split(",").includes("mfa") ? null : { ok: false, code: "reauthentication_required" };
}

export type OperatorSelf = { ok: false; code: "operator_self"; message: string };
/** What a change can be refused for once the person is looked at. */
type Refused = { ok: false; code: "user_not_found" | "session_not_found" | "no_password" | "mail_not_found" | "mail_not_failed" | "lock_needs_owner"; message?: string };
type Refusal = NeedsFreshSignIn | OperatorSelf | Refused;

const PAGE = 25;

// Every account and mail id is a UUID: anything else names nobody (and never reaches a query).
const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** People whose address starts with `q` (case-insensitive), 25 at a time after `after`. */
export async function searchPeople(input: { q: string; after?: string }, ctx: ActionContext) {
  const { people, more } = await findPeople(ctx.db, { prefix: input.q.trim(), after: input.after, limit: PAGE, postgres: isPostgres(ctx) });
  return {
    users: people.map((p) => ({ id: p.id, email: p.email, emailVerified: p.emailVerifiedAt !== null, createdAt: p.createdAt, locked: p.lockedAt !== null, operator: p.operatorSince !== null })),
    next: more ? people[people.length - 1].email : null,
  };
}

const isPostgres = (ctx: ActionContext) => /^postgres(ql)?:/.test(ctx.config.databaseUrl);

/** Everything an operator may see of a person: no secret, no hash, no token, no mail body. */
export async function personDetail(userId: string, ctx: ActionContext) {
  const { db, now } = ctx;
  if (!isId(userId)) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, emailVerifiedAt: true, createdAt: true, lockedAt: true, lockedReason: true, operatorSince: true, passwordHash: true },
  });
  if (!user) return null;
  const [sessions, lastSignIn, totp, recoveryCodesLeft, passkeys, identities, events, mail] = await Promise.all([
    db.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now }, idleExpiresAt: { gt: now } },
      orderBy: { lastActiveAt: "desc" },
      select: { id: true, createdAt: true, lastActiveAt: true, userAgent: true, ip: true, amr: true },
    }),
    db.session.findFirst({ where: { userId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
    db.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true } }),
    listIdentities(db, userId),
    db.securityEvent.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50 }),
    db.outboxMail.findMany({
      where: { to: user.email },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, kind: true, subject: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true, nextAttemptAt: true },
    }),
  ]);
  const providerName = (id: string) => ctx.config.providers.find((p) => p.id === id)?.name ?? id;
  return {
    user: {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      createdAt: user.createdAt,
      lastSignInAt: lastSignIn?.createdAt ?? null,
      locked: user.lockedAt !== null,
      lockedAt: user.lockedAt,
      lockedReason: user.lockedReason,
      operator: user.operatorSince !== null,
      hasPassword: user.passwordHash !== null,
    },
    sessions: sessions.map((s) => ({ id: s.id, device: describeDevice(s.userAgent), ip: s.ip, createdAt: s.createdAt, lastActiveAt: s.lastActiveAt, amr: s.amr.split(",") })),
    secondFactor: { app: totp?.confirmedAt ? { since: totp.confirmedAt } : null, recoveryCodesLeft: totp?.confirmedAt ? recoveryCodesLeft : 0 },
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, synced: p.backedUp })),
    providers: identities.map((i) => ({ id: i.id, provider: i.provider, name: providerName(i.provider), email: i.email, connectedAt: i.createdAt, lastUsedAt: i.lastUsedAt })),
    activity: events.map((e) => {
      const item = describeActivity(e);
      return { id: item.id, type: item.type, title: item.title, detail: item.detail, device: item.device, ip: item.ip, createdAt: item.createdAt };
    }),
    mail: mail.map((m) => ({
      id: m.id,
      kind: m.kind,
      subject: m.subject,
      status: m.status as "pending" | "sent" | "failed",
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      nextAttemptAt: m.status === "pending" ? m.nextAttemptAt : null,
    })),
  };
}

export type PersonDetail = NonNullable<Awaited<ReturnType<typeof personDetail>>>;

/**
 * One change to someone's account, the way every change goes: the operator's proof fresh, the
 * person found (and not the operator, where `self` says why not), then — in one transaction — the
 * change, its audit row, the entry in the person's activity and the mail that tells them.
 */
async function change<T>(
  operator: Operator,
  userId: string,
  how: {
    action: AuditAction;
    reason?: string | null;
    self?: string;
    run: (tx: DbOrTx, person: { id: string; email: string }) => Promise<{ detail?: string | null; tell?: { type: SecurityEventType; detail?: string | null } | null; result?: T } | Refused>;
  },
  ctx: ActionContext,
): Promise<{ ok: true; result?: T } | Refusal> {
  const stale = await needsFreshStrongSignIn(operator, ctx);
  if (stale) return stale;
  if (how.self && userId === operator.userId) return { ok: false, code: "operator_self", message: how.self };
  if (!isId(userId)) return { ok: false, code: "user_not_found" };
  const outcome = await ctx.db.$transaction(async (tx) => {
    // The person's row held first: two operators' changes (or the person's own) run one after the
    // other, and the account cannot be deleted under a change (no half-seen state, no 500).
    await holdAccount(tx, userId);
    const person = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, operatorSince: true } });
    if (!person) return { ok: false as const, code: "user_not_found" as const };
    const done = await how.run(tx, person);
    if ("ok" in done) return done;
    await appendAudit(
      tx,
      { operatorId: operator.userId, operator: operator.email, action: how.action, userId: person.id, userEmail: person.email, reason: how.reason ?? null, detail: done.detail ?? null, ip: ctx.client.ip, sessionId: operator.sessionId },
      ctx.now,
    );
    if (done.tell) {
      // The person's activity names no operator and no IP: "an administrator", as in the mail.
      await tx.securityEvent.create({ data: { id: randomUUID(), userId: person.id, type: done.tell.type, detail: done.tell.detail ?? null, ip: null, userAgent: null, createdAt: ctx.now } });
    }
    return { ok: true as const, result: done.result };
  });
  if (!outcome.ok) return outcome;
  metrics().operatorActions.inc({ action: how.action });
  log().warn({ requestId: ctx.requestId, event: `operator_${how.action}`, operatorId: operator.userId, userId, ip: ctx.client.ip ?? undefined }, "operator action");
  sendQueuedMail();
  return outcome;
}

/** Ends one of the person's sessions (`sessionId`), or all of them. */
export async function endSessionsOf(operator: Operator, userId: string, input: { sessionId?: string }, ctx: ActionContext) {
  return change<number>(
    operator,
    userId,
    {
      action: "sessions_revoked",
      run: async (tx, person) => {
        const where = { userId: person.id, revokedAt: null, expiresAt: { gt: ctx.now }, idleExpiresAt: { gt: ctx.now }, ...(input.sessionId ? { id: input.sessionId } : {}) };
        const one = input.sessionId ? await tx.session.findFirst({ where, select: { userAgent: true } }) : null;
        if (input.sessionId && !one) return { ok: false as const, code: "session_not_found" as const };
        const { count } = await tx.session.updateMany({ where, data: { revokedAt: ctx.now, revokedReason: "ended_by_operator" } });
        const which = one ? `the session on ${describeDevice(one.userAgent)}` : `${count} session${count === 1 ? "" : "s"}`;
        await queue(tx, mails.byOperator(person.email, { did: `An administrator signed you out of ${which}.` }, ctx.config), ctx);
        metrics().sessionsEnded.inc({ reason: "ended_by_operator" }, count);
        return { detail: which, tell: { type: "operator_sessions_ended", detail: which }, result: count };
      },
    },
    ctx,
  );
}

/** Locks the account: no sign-in by any way, no reset, every session ended at once. */
export async function lockPerson(operator: Operator, userId: string, input: { reason: string }, ctx: ActionContext) {
  return change(
    operator,
    userId,
    {
      action: "account_locked",
      reason: input.reason,
      self: "You cannot lock your own account: you would lose the console. Ask another operator.",
      run: async (tx, person) => {
        const already = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { lockedAt: true } });
        if (already.lockedAt) return { detail: "already locked" };
        const ended = await lockAccount(tx, { userId: person.id, reason: "operator" }, ctx.now);
        await queue(tx, mails.byOperator(person.email, { did: "An administrator locked your Keycard account. Nobody can sign in to it or reset its password until it is unlocked, and every session of it was signed out.", contactSupport: true }, ctx.config), ctx);
        return { detail: `${ended} session${ended === 1 ? "" : "s"} ended`, tell: { type: "account_locked", detail: "By an administrator" } };
      },
    },
    ctx,
  );
}

export async function unlockPerson(operator: Operator, userId: string, input: { reason?: string }, ctx: ActionContext) {
  return change(
    operator,
    userId,
    {
      action: "account_unlocked",
      reason: input.reason ?? null,
      run: async (tx, person) => {
        const lock = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { lockedAt: true, lockedReason: true } });
        // An undone address change found its address taken: the address the account has now may
        // be a hijacker's, with their password and factors. Unlocking would hand it to them.
        if (lock.lockedReason === "email_undo_conflict") return { ok: false as const, code: "lock_needs_owner" as const };
        const { count } = await tx.user.updateMany({ where: { id: person.id, lockedAt: { not: null } }, data: { lockedAt: null, lockedReason: null } });
        if (count === 0) return { detail: "was not locked" };
        await queue(tx, mails.byOperator(person.email, { did: "An administrator unlocked your Keycard account: you can sign in again (or reset your password)." }, ctx.config), ctx);
        return { tell: { type: "operator_unlocked" } };
      },
    },
    ctx,
  );
}

/** The current password stops working; a reset link is mailed (it asks for the second factor, as every reset does). */
export async function requirePasswordReset(operator: Operator, userId: string, ctx: ActionContext) {
  const voided = await hashPassword(generateLinkToken(), ctx.config);
  return change(
    operator,
    userId,
    {
      action: "password_reset_required",
      self: "Change your own password from your account page.",
      run: async (tx, person) => {
        const { count } = await tx.user.updateMany({ where: { id: person.id, passwordHash: { not: null } }, data: { passwordHash: voided } });
        if (count === 0) return { ok: false as const, code: "no_password" as const, message: "This account has no password: it signs in with a passkey or another provider." };
        await tx.pendingSignIn.deleteMany({ where: { userId: person.id } });
        const reset = newChallenge(tx, { purpose: "password_reset", email: person.email, userId: person.id }, ctx.config, ctx.now);
        await reset.statement;
        await queue(tx, mails.byOperator(person.email, { did: "An administrator asked you to choose a new password: your current one no longer works. Your sessions, passkeys and two-step sign-in are unchanged.", reset: { token: reset.secret, minutes: LIFETIME_MINUTES.password_reset } }, ctx.config), ctx);
        return { tell: { type: "operator_password_reset_required" } };
      },
    },
    ctx,
  );
}

/**
 * Removes the authenticator app, its recovery codes and every passkey, after the person proved who
 * they are out of band (`reason` says how). An account left with no way in gets a link to choose a
 * password.
 */
export async function removeSecondFactor(operator: Operator, userId: string, input: { reason: string }, ctx: ActionContext) {
  return change(
    operator,
    userId,
    {
      action: "second_factor_removed",
      reason: input.reason,
      self: "You cannot remove your own second factor here: the console needs it. Ask another operator.",
      run: async (tx, person) => {
        const app = await tx.totpFactor.deleteMany({ where: { userId: person.id } });
        await tx.recoveryCode.deleteMany({ where: { userId: person.id } });
        const passkeys = await tx.passkey.deleteMany({ where: { userId: person.id } });
        await tx.pendingSignIn.deleteMany({ where: { userId: person.id } });
        const left = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true, identities: { select: { provider: true } } } });
        const offered = new Set(ctx.config.providers.map((p) => p.id));
        const wayIn = left.passwordHash !== null || left.identities.some((i) => offered.has(i.provider));
        const reset = wayIn ? null : newChallenge(tx, { purpose: "password_reset", email: person.email, userId: person.id }, ctx.config, ctx.now);
        if (reset) await reset.statement;
        const what = [app.count > 0 ? "two-step sign-in (the authenticator app and its recovery codes)" : null, passkeys.count > 0 ? `${passkeys.count} passkey${passkeys.count === 1 ? "" : "s"}` : null].filter(Boolean).join(" and ") || "nothing (none were set up)";
        await queue(
          tx,
          mails.byOperator(person.email, { did: `An administrator removed ${what} from your Keycard account, after you proved who you are to them. Set them up again from your account page.`, ...(reset ? { reset: { token: reset.secret, minutes: LIFETIME_MINUTES.password_reset } } : {}) }, ctx.config),
          ctx,
        );
        return { detail: what, tell: { type: "operator_second_factor_removed", detail: what } };
      },
    },
    ctx,
  );
}

/** Sends a mail that failed once more (its codes or links may have expired: the person can ask again). */
export async function resendMail(operator: Operator, userId: string, mailId: string, ctx: ActionContext) {
  return change(
    operator,
    userId,
    {
      action: "mail_resent",
      run: async (tx, person) => {
        if (!isId(mailId)) return { ok: false as const, code: "mail_not_found" as const };
        const mail = await tx.outboxMail.findFirst({ where: { id: mailId, to: person.email }, select: { status: true, kind: true, subject: true, createdAt: true } });
        if (!mail) return { ok: false as const, code: "mail_not_found" as const };
        if (mail.status !== "failed") return { ok: false as const, code: "mail_not_failed" as const };
        // Queued anew: its tries, and the time after which it is given up, start again.
        await tx.outboxMail.update({ where: { id: mailId }, data: { status: "pending", attempts: 0, createdAt: ctx.now, nextAttemptAt: ctx.now, claimedUntil: null, lastError: null } });
        return { detail: `${mail.kind}: ${mail.subject} (first written ${mail.createdAt.toISOString()})`, tell: { type: "operator_mail_resent", detail: mail.subject } };
      },
    },
    ctx,
  );
}

/** Deletes the account, as the person's own "Delete my account" does, with a last mail saying who. */
export async function deletePerson(operator: Operator, userId: string, input: { reason: string }, ctx: ActionContext) {
  return change(
    operator,
    userId,
    {
      action: "account_deleted",
      reason: input.reason,
      self: "Delete your own account from your account page.",
      run: async (tx, person) => {
        const wasOperator = (await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { operatorSince: true } })).operatorSince !== null;
        await queue(tx, mails.byOperator(person.email, { did: "An administrator deleted your Keycard account and everything in it. This address is free: you can create a new account with it.", contactSupport: true }, ctx.config), ctx);
        await tx.emailChallenge.deleteMany({ where: { userId: person.id } });
        await tx.webAuthnChallenge.deleteMany({ where: { userId: person.id } });
        await tx.user.delete({ where: { id: person.id } });
        // The operator role goes with the account: the log says so.
        return { detail: wasOperator ? "was an operator (the role went with the account)" : null };
      },
    },
    ctx,
  );
}

/** The audit log, newest first, filtered; an operator or person named by address or id. */
export async function auditEntries(input: { operator?: string; user?: string; action?: AuditAction; before?: string }, ctx: ActionContext) {
  const idOf = async (who: string | undefined) => {
    if (!who) return undefined;
    const found = who.includes("@") ? await ctx.db.user.findUnique({ where: { email: who.trim().toLowerCase() }, select: { id: true } }) : { id: who };
    // An address nobody has now still filters (to nothing here; the entries keep the address they had).
    return found?.id ?? `unknown:${who}`;
  };
  const filter: AuditFilter = { operatorId: await idOf(input.operator), userId: await idOf(input.user), action: input.action };
  const { entries, more } = await listAudit(ctx.db, filter, { limit: 50, before: input.before });
  return { entries, next: more ? entries[entries.length - 1].id : null };
}

/**
 * The whole log, to take away: a fresh second factor first (everything in it, in one file), and
 * the export itself is an entry of the log. Then its lines, oldest first.
 */
export async function startAuditExport(operator: Operator, ctx: ActionContext): Promise<{ ok: true; lines: AsyncGenerator<string> } | NeedsFreshSignIn> {
  const stale = await needsFreshStrongSignIn(operator, ctx);
  if (stale) return stale;
  await ctx.db.$transaction((tx) =>
    appendAudit(tx, { operatorId: operator.userId, operator: operator.email, action: "audit_exported", userId: null, userEmail: null, ip: ctx.client.ip, sessionId: operator.sessionId }, ctx.now),
  );
  metrics().operatorActions.inc({ action: "audit_exported" });
  return { ok: true, lines: auditExport(ctx) };
}

/** The whole log as JSON lines, oldest first. */
export async function* auditExport(ctx: ActionContext): AsyncGenerator<string> {
  for await (const entry of allAudit(ctx.db)) yield JSON.stringify({ ...entry, createdAt: entry.createdAt.toISOString() });
}

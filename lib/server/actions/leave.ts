// Leaving: deleting the account, and taking one's data along first. Node only.
import "server-only";
import { describeDevice } from "@/lib/server/device";
import { mails } from "@/lib/server/mail/mails";
import { SECURITY_EVENT_RETENTION_DAYS } from "@/lib/server/store/security-events";
import { log } from "@/lib/server/log";
import type { ActionContext, Actor } from "./context";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { connectedProviders } from "./providers";

/**
 * Deletes the account: every session and token, known browser, event and pending code goes with
 * it (the database's cascades, and the codes by hand), in one transaction with the goodbye mail.
 * Needs a fresh sign-in and the address typed out, so neither a borrowed laptop nor a slip of the
 * finger can do it.
 */
export async function deleteAccount(
  actor: Actor,
  input: { confirm: string },
  ctx: ActionContext,
): Promise<{ ok: true } | NeedsFreshSignIn | { ok: false; code: "confirmation_mismatch" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  if (input.confirm !== user.email) return { ok: false, code: "confirmation_mismatch" };
  await ctx.db.$transaction([
    queue(ctx.db, mails.accountDeleted(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx),
    ctx.db.emailChallenge.deleteMany({ where: { userId: actor.userId } }),
    ctx.db.webAuthnChallenge.deleteMany({ where: { userId: actor.userId } }),
    ctx.db.user.delete({ where: { id: actor.userId } }),
  ]);
  sendQueuedMail();
  // The account's own history is gone with it; the operator's log keeps the fact.
  log().warn({ requestId: ctx.requestId, event: "account_deleted", userId: actor.userId, ip: ctx.client.ip ?? undefined }, "security event");
  return { ok: true };
}

/**
 * Everything Keycard keeps about the person, as they would read it. No secret, no hash. Needs a
 * fresh sign-in: the file maps where and when the person signs in, which a borrowed laptop must
 * not carry away.
 */
export async function exportAccountData(actor: Actor, ctx: ActionContext): Promise<{ ok: true; data: AccountData } | NeedsFreshSignIn> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  return { ok: true, data: await accountData(actor, ctx) };
}

export type AccountData = Awaited<ReturnType<typeof accountData>>;

async function accountData(actor: Actor, ctx: ActionContext) {
  const { db } = ctx;
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, email: true, createdAt: true, emailVerifiedAt: true } });
  const [sessions, devices, events, factor, recoveryCodesLeft, passkeys] = await Promise.all([
    db.session.findMany({
      where: { userId: actor.userId },
      orderBy: { createdAt: "desc" },
      select: { id: true, createdAt: true, lastActiveAt: true, expiresAt: true, revokedAt: true, revokedReason: true, userAgent: true, ip: true, persistent: true, authenticatedAt: true, amr: true },
    }),
    db.knownDevice.findMany({ where: { userId: actor.userId }, orderBy: { firstSeenAt: "asc" }, select: { firstSeenAt: true, lastSeenAt: true } }),
    db.securityEvent.findMany({ where: { userId: actor.userId }, orderBy: { createdAt: "desc" }, select: { type: true, detail: true, ip: true, userAgent: true, createdAt: true, sessionId: true } }),
    db.totpFactor.findUnique({ where: { userId: actor.userId }, select: { confirmedAt: true, createdAt: true } }),
    db.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } }),
    // Without their keys: a public key is not a secret, but it is not the person's data either.
    db.passkey.findMany({ where: { userId: actor.userId }, select: { name: true, createdAt: true, lastUsedAt: true, backedUp: true, deviceType: true } }),
  ]);
  // Providers connected: which, the address they gave, when — no token (none is kept).
  const providers = (await connectedProviders(actor, ctx)).map(({ name, provider, email, createdAt, lastUsedAt }) => ({ provider, name, email, connectedAt: createdAt, lastUsedAt }));
  return {
    exportedAt: ctx.now.toISOString(),
    profile: { id: user.id, email: user.email, createdAt: user.createdAt, emailVerifiedAt: user.emailVerifiedAt },
    sessions: sessions.map(({ userAgent, amr, ...s }) => ({ ...s, device: describeDevice(userAgent), userAgent, amr: amr.split(","), current: s.id === actor.sessionId })),
    knownBrowsers: devices,
    passkeys,
    providers,
    hasPassword: (await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true } })).passwordHash !== null,
    twoFactor: factor?.confirmedAt ? { authenticatorApp: { since: factor.confirmedAt }, recoveryCodesLeft } : null,
    securityActivity: { keptForDays: SECURITY_EVENT_RETENTION_DAYS, events: events.map((e) => ({ ...e, device: describeDevice(e.userAgent) })) },
  };
}

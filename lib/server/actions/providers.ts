// Signing in through another provider (Google, Microsoft, GitHub, any OpenID provider), connecting
// one to an account, and confirming it's you with one. Node only. docs/decisions/0011-providers.md.
//
// An identity is the provider and its subject, never the address:
// - a known identity signs its account in (new-browser mail, activity, the replaced session; with
//   two-step sign-in on, the code is asked after it too); `amr` says `fed`;
// - a new identity whose address has no account makes one: its address proved when the provider
//   vouches for it (`email_verified`, GitHub's verified primary), else by a mailed code first; such
//   an account has no password until the person sets one;
// - a new identity whose address has an account is never connected silently: the person signs in
//   to that account first (its password and second step, or a passkey), then confirms.
// The attempt is bound to the browser (an HttpOnly cookie's hash) and used once; PKCE, state and
// nonce never leave the server.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import type { ProviderSettings } from "@/lib/env";
import { isPrismaError } from "@/lib/server/faults";
import { takeMailAttempt, takeProviderStart } from "@/lib/server/limits";
import { log } from "@/lib/server/log";
import { mails } from "@/lib/server/mail/mails";
import { authorizationUrl, finishAtProvider, newAttemptSecrets, type ProviderFailure, type ProviderProfile } from "@/lib/server/providers/protocol";
import { LIFETIME_MINUTES, newChallenge } from "@/lib/server/store/challenges";
import {
  createIdentityStatement,
  createProviderSignIn,
  findIdentity,
  findWaitingForCode,
  finishWaitingForCode,
  holdForCode,
  findPendingLink,
  hashBrowserValue,
  holdLink,
  listIdentities,
  newBrowserValue,
  takeProviderSignIn,
  touchIdentity,
  useLink,
  waysIn,
  type ProviderSignInRow,
} from "@/lib/server/store/identities";
import { createSessionIfUnlocked, getLiveSession } from "@/lib/server/store/sessions";
import { holdAccount } from "@/lib/server/store/users";
import type { DbOrTx } from "@/lib/db";
import { createPendingSignIn, getTotpFactor } from "@/lib/server/store/two-factor";
import { randomUUID } from "node:crypto";
import type { IssuedTokens } from "@/lib/server/tokens";
import { accountLocked, record, type AccountLocked, type ActionContext, type Actor, type RateLimited } from "./context";
import { markSignInFresh, needsFreshSignIn, withRenewedTokens, type NeedsFreshSignIn } from "./fresh-sign-in";
import { proveSecondFactor } from "./second-factor";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { signedInWith, type SignedIn } from "./sign-in";

export type ProviderPurpose = "sign_in" | "connect" | "reauthenticate";

/** The configured providers, in the order of their buttons. */
export function providerButtons(ctx: Pick<ActionContext, "config">): { id: string; name: string }[] {
  return ctx.config.providers.map(({ id, name }) => ({ id, name }));
}

const providerOf = (ctx: ActionContext, id: string): ProviderSettings | undefined => ctx.config.providers.find((p) => p.id === id);

/** The redirect URI registered with a provider: APP_ORIGIN/api/auth/oauth/<id>/callback. */
export const redirectUriOf = (ctx: ActionContext, id: string) => `${ctx.config.appOrigin}/api/auth/oauth/${id}/callback`;

export type StartResult =
  | { ok: true; redirect: URL; browserValue: string }
  | RateLimited
  | NeedsFreshSignIn
  | { ok: false; code: "provider_not_found" | "provider_not_connected" }
  | ProviderFailure;

/**
 * Leaving for the provider: an attempt stored (limited per IP), bound to this browser's cookie
 * (kept if it has one), and the address of the provider's authorization endpoint. Connecting needs
 * a fresh sign-in; confirming it's you needs an identity of that provider on the account.
 */
export async function startAtProvider(
  input: { providerId: string; purpose: ProviderPurpose; next: string; remember: boolean; browserValue?: string; actor?: Actor },
  ctx: ActionContext,
): Promise<StartResult> {
  const provider = providerOf(ctx, input.providerId);
  if (!provider) return { ok: false, code: "provider_not_found" };
  if (input.purpose !== "sign_in") {
    if (!input.actor) throw new Error(`${input.purpose} needs the signed-in person`);
    if (input.purpose === "connect") {
      const stale = await needsFreshSignIn(input.actor, ctx);
      if (stale) return stale;
    } else if (!(await listIdentities(ctx.db, input.actor.userId)).some((i) => i.provider === provider.id)) {
      return { ok: false, code: "provider_not_connected" };
    }
  }
  const taken = await takeProviderStart(ctx.db, ctx.client.ip, ctx.config.limits, ctx.now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const secrets = await newAttemptSecrets();
  const redirect = await authorizationUrl(provider, { ...secrets, redirectUri: redirectUriOf(ctx, provider.id), reauthenticate: input.purpose === "reauthenticate" });
  if (!(redirect instanceof URL)) return redirect;
  const browserValue = input.browserValue && /^[A-Za-z0-9_-]{43}$/.test(input.browserValue) ? input.browserValue : newBrowserValue();
  await createProviderSignIn(
    ctx.db,
    {
      browser: hashBrowserValue(browserValue),
      provider: provider.id,
      purpose: input.purpose,
      state: secrets.state,
      nonce: secrets.nonce,
      codeVerifier: secrets.codeVerifier,
      next: input.next,
      persistent: input.remember,
      userId: input.actor?.userId ?? null,
      sessionId: input.actor?.sessionId ?? null,
    },
    ctx.now,
  );
  return { ok: true, redirect, browserValue };
}

export type CallbackResult =
  | { ok: true; kind: "signed_in"; signedIn: SignedIn; next: string }
  | { ok: true; kind: "second_factor"; pendingToken: string; next: string }
  | { ok: true; kind: "verify_email"; challengeId: string }
  | { ok: true; kind: "link"; email: string; providerName: string; signedInAs: string | null }
  | { ok: true; kind: "connected"; next: string }
  | { ok: true; kind: "reauthenticated"; tokens: IssuedTokens; next: string }
  | { ok: true; kind: "reauth_code" }
  | { ok: false; code: "provider_cancelled"; providerName: string }
  | { ok: false; code: "provider_unreachable"; providerName: string }
  | { ok: false; code: "provider_refused"; why: string; providerName: string }
  | AccountLocked;

/**
 * The provider's callback: the attempt this browser started (found by `state` and its cookie, used
 * once), the answer checked at the provider's side (protocol.ts), then what it means for accounts.
 * A refusal creates nothing and is recorded.
 */
export async function finishProviderCallback(
  input: { providerId: string; callback: URL; browserValue: string | undefined; browser: HeldByBrowser; signedInAs?: Actor | null },
  ctx: ActionContext,
): Promise<CallbackResult> {
  const provider = providerOf(ctx, input.providerId);
  const providerName = provider?.name ?? input.providerId;
  const refuse = async (why: string, userId?: string | null): Promise<CallbackResult> => {
    if (userId) await record(ctx, { userId, type: "provider_refused", detail: `${providerName}: ${why}` });
    log().warn({ requestId: ctx.requestId, event: "provider_refused", provider: input.providerId, why, ip: ctx.client.ip ?? undefined }, "security event");
    return { ok: false, code: "provider_refused", why, providerName };
  };
  if (!provider) return refuse("no such provider here");
  const state = input.callback.searchParams.get("state") ?? "";
  const attempt = input.browserValue ? await takeProviderSignIn(ctx.db, { state, browser: hashBrowserValue(input.browserValue), provider: provider.id }, ctx.now) : null;
  if (!attempt) return refuse("this sign-in was not started in this browser, has expired, or was used already");
  const answer = await finishAtProvider(provider, input.callback, {
    state: attempt.state,
    nonce: attempt.nonce,
    codeVerifier: attempt.codeVerifier,
    redirectUri: redirectUriOf(ctx, provider.id),
    reauthenticate: attempt.purpose === "reauthenticate",
  });
  if (!answer.ok) {
    if (answer.code === "provider_refused") return refuse(answer.why, attempt.userId);
    return answer.code === "provider_cancelled" ? { ok: false, code: "provider_cancelled", providerName } : { ok: false, code: "provider_unreachable", providerName };
  }
  if (attempt.purpose === "connect") return connect(provider, attempt, answer, ctx);
  if (attempt.purpose === "reauthenticate") return confirmItsYou(provider, attempt, answer, input.browser, ctx);
  return signInWith(provider, attempt, answer, input.browser, input.signedInAs ?? null, ctx);
}

/** A sign-in (or a sign-up) through the provider. See the top of this file. */
async function signInWith(
  provider: ProviderSettings,
  attempt: ProviderSignInRow,
  profile: ProviderProfile,
  browser: HeldByBrowser,
  signedInAs: Actor | null,
  ctx: ActionContext,
): Promise<CallbackResult> {
  const { db, now } = ctx;
  const known = await findIdentity(db, provider.id, profile.subject);
  if (known) {
    await touchIdentity(db, known.id, now);
    return startSignedIn(known.userId, attempt, browser, ctx, { provedAt: provedAt(provider, profile, ctx) });
  }
  if (!profile.email) {
    const why = provider.kind === "github" ? "your GitHub account has no verified primary address" : `${provider.name} did not give an address`;
    return { ok: false, code: "provider_refused", why, providerName: provider.name };
  }
  const owner = await db.user.findUnique({ where: { email: profile.email }, select: { id: true } });
  if (owner && !profile.emailVerified) {
    // Anyone can type any address at such a provider: nothing is held for this account (a shared
    // browser left at the confirm page would offer the owner someone else's identity).
    return { ok: false, code: "provider_refused", why: `${provider.name} did not confirm that this address is yours, and an account here has it — sign in to that account, then connect ${provider.name} from your account page`, providerName: provider.name };
  }
  if (owner) {
    // Never connected silently: the account's owner proves it first, then confirms.
    await holdLink(db, attempt.id, { subject: profile.subject, email: profile.email, linkUserId: owner.id }, now);
    const me = signedInAs?.userId === owner.id ? profile.email : null;
    return { ok: true, kind: "link", email: profile.email, providerName: provider.name, signedInAs: me };
  }
  if (!profile.emailVerified) return verifyAddressFirst(provider, attempt, profile, ctx);
  // A new account, its address vouched for by the provider, without a password.
  let userId: string;
  try {
    userId = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { id: randomUUID(), email: profile.email!, passwordHash: null, createdAt: now, emailVerifiedAt: now }, select: { id: true } });
      await createIdentityStatement(tx, { userId: user.id, provider: provider.id, subject: profile.subject, email: profile.email }, now);
      return user.id;
    });
  } catch (error) {
    // The same person's other tab made it first, or the address was proved meanwhile: sign in again.
    if (isPrismaError(error, "P2002")) return { ok: false, code: "provider_refused", why: "an account for this address was just made: sign in again", providerName: provider.name };
    throw error;
  }
  return startSignedIn(userId, attempt, browser, ctx, { newAccount: true, provedAt: provedAt(provider, profile, ctx) });
}

/** A session — or, with two-step sign-in on, the pending sign-in its code finishes — for a proved identity. */
/**
 * When the person proved who they are, for the session's freshness ("sudo mode"): the provider's
 * own sign-in (`auth_time`), which may be weeks old — a browser that holds the provider's session
 * is not proof of the person. An OpenID provider that does not say is taken as not recent. GitHub
 * cannot say, nor be asked again: its sign-in counts as now (docs/security.md, Known limits).
 */
function provedAt(provider: ProviderSettings, profile: ProviderProfile, ctx: ActionContext): Date {
  if (provider.kind === "github") return ctx.now;
  return profile.authTime ?? new Date(ctx.now.getTime() - (ctx.config.reauthMaxAgeSeconds + 1) * 1000);
}

async function startSignedIn(
  userId: string,
  attempt: ProviderSignInRow,
  browser: HeldByBrowser,
  ctx: ActionContext,
  how: { newAccount?: boolean; provedAt: Date },
): Promise<CallbackResult> {
  const { db, config, now } = ctx;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, lockedAt: true } });
  if (user.lockedAt) return accountLocked(config);
  const factor = await getTotpFactor(db, userId);
  if (factor?.confirmedAt) {
    const pending = await createPendingSignIn(db, { userId, persistent: attempt.persistent, passwordHash: null, ...ctx.client }, now);
    return { ok: true, kind: "second_factor", pendingToken: pending.token, next: attempt.next };
  }
  const issued = await createSessionIfUnlocked(db, { userId, persistent: attempt.persistent, amr: "fed", authenticatedAt: how.provedAt, ...ctx.client }, config, now);
  if (!issued) return accountLocked(config);
  const signedIn = await signedInWith({ id: user.id, email: user.email }, issued, ctx, { browser, mailIfNew: !how.newAccount });
  return { ok: true, kind: "signed_in", signedIn, next: attempt.next };
}

/**
 * A new identity whose address the provider does not vouch for, and that has no account: the
 * address is proved by a mailed code first, as at sign-up; the code makes the account, with this
 * identity and no password (sign-up.ts).
 */
async function verifyAddressFirst(provider: ProviderSettings, attempt: ProviderSignInRow, profile: ProviderProfile, ctx: ActionContext): Promise<CallbackResult> {
  const { db, config, now } = ctx;
  const email = profile.email!;
  const taken = await takeMailAttempt(db, { email, ip: ctx.client.ip, purpose: "sign_up" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "provider_refused", why: "too many codes were mailed to this address: try again later", providerName: provider.name };
  const challenge = newChallenge(db, { purpose: "sign_up", email, persistent: attempt.persistent, identityProvider: provider.id, identitySubject: profile.subject }, config, now);
  const mail = mails.signUpCode(email, { code: challenge.secret, challengeId: challenge.id, minutes: LIFETIME_MINUTES.sign_up }, config.appOrigin);
  await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  sendQueuedMail();
  return { ok: true, kind: "verify_email", challengeId: challenge.id };
}

/** Connecting the provider to the signed-in account that started it (a fresh sign-in, checked at the start). */
async function connect(provider: ProviderSettings, attempt: ProviderSignInRow, profile: ProviderProfile, ctx: ActionContext): Promise<CallbackResult> {
  const userId = attempt.userId!;
  // The session that started it must still be live (not signed out, ended elsewhere, or its
  // account locked or deleted meanwhile).
  const live = attempt.sessionId ? await getLiveSession(ctx.db, attempt.sessionId, ctx.now) : null;
  if (!live || live.userId !== userId) return { ok: false, code: "provider_refused", why: "the session that asked for it has ended: sign in and connect again", providerName: provider.name };
  const existing = await findIdentity(ctx.db, provider.id, profile.subject);
  if (existing && existing.userId !== userId) {
    await record(ctx, { userId, type: "provider_refused", detail: `${provider.name}: that account is connected to another Keycard account` });
    return { ok: false, code: "provider_refused", why: `this ${provider.name} account is connected to another Keycard account`, providerName: provider.name };
  }
  if (!existing) await connectIdentity(userId, provider, profile.subject, profile.email, attempt.sessionId, ctx);
  return { ok: true, kind: "connected", next: attempt.next };
}

/** Connects an identity to the account (mailed and recorded); `also` runs first in its transaction and may call it off. False when it was not connected. */
async function connectIdentity(
  userId: string,
  provider: ProviderSettings,
  subject: string,
  email: string | null,
  sessionId: string | null,
  ctx: ActionContext,
  also: (tx: DbOrTx) => Promise<boolean> = async () => true,
): Promise<boolean> {
  const { db, now } = ctx;
  try {
    const done = await db.$transaction(async (tx) => {
      if (!(await also(tx))) return false;
      await createIdentityStatement(tx, { userId, provider: provider.id, subject, email }, now);
      const owner = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
      await queue(tx, mails.providerChanged(owner.email, { connected: true, name: provider.name, email, circumstances: circumstancesOf(ctx) }, ctx.config.appOrigin), ctx);
      return true;
    });
    if (!done) return false;
  } catch (error) {
    if (isPrismaError(error, "P2002")) return false;
    throw error;
  }
  sendQueuedMail();
  await record(ctx, { userId, sessionId, type: "provider_connected", detail: email ? `${provider.name} (${email})` : provider.name });
  return true;
}

/** Confirming it's you through the provider: its identity on this account, a sign-in there just now; then the session's tokens renewed. */
async function confirmItsYou(provider: ProviderSettings, attempt: ProviderSignInRow, profile: ProviderProfile, browser: HeldByBrowser, ctx: ActionContext): Promise<CallbackResult> {
  const actor: Actor = { userId: attempt.userId!, sessionId: attempt.sessionId! };
  const identity = await findIdentity(ctx.db, provider.id, profile.subject);
  if (identity?.userId !== actor.userId) {
    await record(ctx, { ...actor, type: "reauthentication_failed", detail: `${provider.name}: another account there` });
    return { ok: false, code: "provider_refused", why: `that ${provider.name} account is not the one connected to yours`, providerName: provider.name };
  }
  // With the app on, the provider was the first step: its code finishes it (finishConfirmationWithCode).
  const factor = await getTotpFactor(ctx.db, actor.userId);
  if (factor?.confirmedAt) {
    await holdForCode(ctx.db, attempt.id, ctx.now);
    return { ok: true, kind: "reauth_code" };
  }
  const renewed = await withRenewedTokens(actor, browser.refreshToken, ctx, async () => {
    await markSignInFresh(actor, "fed", ctx);
    return { ok: true as const };
  });
  if (!renewed.ok) return { ok: false, code: "provider_refused", why: "this browser no longer holds the session that asked", providerName: provider.name };
  return { ok: true, kind: "reauthenticated", tokens: renewed.tokens, next: attempt.next };
}

/**
 * The second step of confirming it's you through a provider, on an account with an authenticator
 * app: its code, in the browser the provider sent back, within five minutes. Limited and recorded
 * as with the password; the tokens are renewed, the session fresh with `fed,otp,mfa`.
 */
export async function finishConfirmationWithCode(
  actor: Actor,
  input: { browserValue: string | undefined; code: string; refreshToken: string | undefined },
  ctx: ActionContext,
): Promise<{ ok: true; tokens: IssuedTokens; next: string } | RateLimited | { ok: false; code: "confirmation_expired" | "code_incorrect" | "unauthenticated" }> {
  return withRenewedTokens(actor, input.refreshToken, ctx, async () => {
    const waiting = input.browserValue ? await findWaitingForCode(ctx.db, { browser: hashBrowserValue(input.browserValue), sessionId: actor.sessionId }, ctx.now) : null;
    if (!waiting) return { ok: false as const, code: "confirmation_expired" as const };
    const proof = await proveSecondFactor(actor.userId, input.code, ctx, { sessionId: actor.sessionId });
    if (typeof proof === "object") return proof;
    if (proof === "wrong") {
      await record(ctx, { ...actor, type: "reauthentication_failed", detail: "wrong code" });
      return { ok: false as const, code: "code_incorrect" as const };
    }
    if (!(await finishWaitingForCode(ctx.db, waiting.id, ctx.now))) return { ok: false as const, code: "confirmation_expired" as const };
    await markSignInFresh(actor, "fed,otp,mfa", ctx);
    return { ok: true as const, next: waiting.next };
  });
}

/** Whether this browser holds a confirmation through a provider that waits for the app's code (the page asks for it only then). */
export async function waitingForCode(actor: Actor, browserValue: string | undefined, ctx: ActionContext): Promise<{ providerName: string } | null> {
  if (!browserValue) return null;
  const waiting = await findWaitingForCode(ctx.db, { browser: hashBrowserValue(browserValue), sessionId: actor.sessionId }, ctx.now);
  return waiting ? { providerName: providerOf(ctx, waiting.provider)?.name ?? waiting.provider } : null;
}

/** The identity this browser brought back that waits for the signed-in account to confirm it. */
export async function pendingLinkFor(actor: Actor, browserValue: string | undefined, ctx: ActionContext) {
  if (!browserValue) return null;
  const link = await findPendingLink(ctx.db, hashBrowserValue(browserValue), ctx.now);
  if (!link || link.linkUserId !== actor.userId) return null;
  return { providerName: providerOf(ctx, link.provider)?.name ?? link.provider, email: link.email };
}

/**
 * The account's owner, signed in (freshly: they just proved the account, or confirm it's them
 * now), connects the identity waiting in this browser. Only to the account that has its address.
 */
export async function confirmPendingLink(actor: Actor, browserValue: string | undefined, ctx: ActionContext): Promise<{ ok: true } | NeedsFreshSignIn | { ok: false; code: "link_expired" | "provider_refused" }> {
  const link = browserValue ? await findPendingLink(ctx.db, hashBrowserValue(browserValue), ctx.now) : null;
  if (!link || link.linkUserId !== actor.userId) return { ok: false, code: "link_expired" };
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const provider = providerOf(ctx, link.provider);
  if (!provider) return { ok: false, code: "link_expired" };
  const connected = await connectIdentity(actor.userId, provider, link.subject, link.email, actor.sessionId, ctx, (tx) => useLink(tx, link.id, ctx.now));
  return connected ? { ok: true } : { ok: false, code: "provider_refused" };
}

/** The account's connected providers, for /account and the data download (no tokens: none are kept). */
export async function connectedProviders(actor: Actor, ctx: ActionContext) {
  const identities = await listIdentities(ctx.db, actor.userId);
  return identities.map((i) => ({ id: i.id, provider: i.provider, name: providerOf(ctx, i.provider)?.name ?? i.provider, email: i.email, createdAt: i.createdAt, lastUsedAt: i.lastUsedAt }));
}

/** The ways in an account has, for pages and for the rule that the last one never goes. */
export async function waysInOf(actor: Actor, ctx: ActionContext) {
  return waysIn(ctx.db, actor.userId);
}

/** Disconnecting a provider: a fresh sign-in, never the last way in, mailed and recorded. */
export async function disconnectProvider(actor: Actor, input: { id: string }, ctx: ActionContext): Promise<{ ok: true } | NeedsFreshSignIn | { ok: false; code: "identity_not_found" | "last_way_in" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const identity = await ctx.db.providerIdentity.findUnique({ where: { id: input.id } });
  if (!identity || identity.userId !== actor.userId) return { ok: false, code: "identity_not_found" };
  const name = providerOf(ctx, identity.provider)?.name ?? identity.provider;
  const removed = await ctx.db.$transaction(async (tx) => {
    // Counted in the transaction that removes it, the account's row held: two removals at once
    // cannot take the last two.
    await holdAccount(tx, actor.userId);
    if ((await waysIn(tx, actor.userId)).total <= 1) return false;
    const { count } = await tx.providerIdentity.deleteMany({ where: { id: identity.id, userId: actor.userId } });
    if (count !== 1) return false;
    const owner = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
    await queue(tx, mails.providerChanged(owner.email, { connected: false, name, email: identity.email, circumstances: circumstancesOf(ctx) }, ctx.config.appOrigin), ctx);
    return true;
  });
  if (!removed) return { ok: false, code: "last_way_in" };
  sendQueuedMail();
  await record(ctx, { ...actor, type: "provider_disconnected", detail: identity.email ? `${name} (${identity.email})` : name });
  return { ok: true };
}

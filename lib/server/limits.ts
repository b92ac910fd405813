// The rate-limit policy of each account action, in one place. Node only.
//
// Sign-in attempts are counted three ways, each with its own window (config `RATE_LIMIT_LOGIN_*`):
//   per account and IP  — the tight one: one place guessing one password;
//   per IP              — one place guessing across many accounts;
//   per account         — many places guessing one account.
// The per-account limit would let an attacker lock a person out of their own account (a
// lockout-DoS), so it does not apply from an IP the person has signed in from in the last 30 days:
// their usual place keeps its own per-account-and-IP budget, which the attacker cannot spend.
// The per-IP limit is waived the same way, so it can never lock everyone out at once: when many
// people share one address (a campus NAT, or a CDN with TRUSTED_PROXIES set too low), guesses
// from it still stop new accounts being tried from there, but each person who has signed in from
// there before keeps signing in, held only by their own per-account-and-IP budget.
// Attempts are taken before the password is checked, and a right password gives them back.
import "server-only";
import type { Db } from "@/lib/db";
import type { Config } from "@/lib/env";
import { log } from "./log";
import { metrics } from "./metrics";
import { clearLimit, giveBackAttempt, takeAttempt, type Taken } from "./store/rate-limits";

const KNOWN_IP_DAYS = 30;

type Limits = Config["limits"];
type Who = { email: string; ip: string | null };

/**
 * The place an address is counted under: an IPv4 address as it is; an IPv6 address by its /64,
 * the block one host or one customer line is given (it can pick a new address in it at will).
 */
export function limitPlace(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("%")[0].split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return ip;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

const where = limitPlace;

const signInKeys = ({ email, ip }: Who) => ({
  accountIp: `login:account-ip:${email}|${where(ip)}`,
  ip: `login:ip:${where(ip)}`,
  account: `login:account:${email}`,
});

/** Takes one sign-in attempt on every counter, or says how long to wait. */
export async function takeSignInAttempt(db: Db, who: Who, limits: Limits, now: Date): Promise<Taken> {
  const k = signInKeys(who);
  const place = await takeAttempt(db, k.accountIp, limits.loginAccountIp, now);
  if (!place.ok) return refusedBy("login_account_ip", place);
  let known: boolean | undefined;
  const knownPlace = async () => (known ??= await isKnownPlace(db, who, now));
  for (const [name, key, limit] of [
    ["login_ip", k.ip, limits.loginIp],
    ["login_account", k.account, limits.loginAccount],
  ] as const) {
    const taken = await takeAttempt(db, key, limit, now);
    if (!taken.ok && !(await knownPlace())) return refusedBy(name, taken);
  }
  return { ok: true };
}

/** A refusal, counted by the limit that made it (keycard_rate_limit_refusals_total). */
function refusedBy(limit: string, taken: Taken): Taken {
  if (!taken.ok) {
    metrics().rateLimitRefusals.inc({ limit });
    log().warn({ event: "rate_limited", limit }, "security event");
  }
  return taken;
}

/** A right password: the attempt did not count, and this place's failures for the account are wiped. */
export async function settleSuccessfulSignIn(db: Db, who: Who): Promise<void> {
  const k = signInKeys(who);
  await clearLimit(db, k.accountIp);
  await giveBackAttempt(db, k.ip);
  await giveBackAttempt(db, k.account);
}

/** Every sign-up counts, not only failed ones: the limit is on making accounts in bulk. */
export async function takeSignUpAttempt(db: Db, ip: string | null, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("register_ip", await takeAttempt(db, `register:ip:${where(ip)}`, limits.registerIp, now));
}

/** Refreshes with a token that was never issued (guesses); honest ones pay nothing. */
export async function countFailedRefresh(db: Db, ip: string | null, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("refresh_ip", await takeAttempt(db, `refresh:ip:${where(ip)}`, limits.refreshIp, now));
}

const passwordKey = (userId: string) => `password:account:${userId}`;

/** Guesses at the current password from a signed-in session, per account. */
export async function takePasswordCheck(db: Db, userId: string, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("password_account", await takeAttempt(db, passwordKey(userId), limits.passwordAccount, now));
}

export function settleRightPassword(db: Db, userId: string): Promise<void> {
  return clearLimit(db, passwordKey(userId));
}

async function isKnownPlace(db: Db, { email, ip }: Who, now: Date): Promise<boolean> {
  if (!ip) return false;
  const since = new Date(now.getTime() - KNOWN_IP_DAYS * 24 * 3600 * 1000);
  const session = await db.session.findFirst({ where: { ip, createdAt: { gte: since }, user: { email } }, select: { id: true } });
  return session !== null;
}

export type MailPurpose = "sign_up" | "password_reset" | "email_change";

/**
 * Mail a stranger can make Keycard send (sign-up codes, reset links, email-change codes): per
 * address, so nobody can fill a victim's inbox, and per IP. Taken before anything is written.
 * Each purpose has its own per-address budget: sign-ups spent on a victim's address must not
 * leave its owner unable to ask for a reset link.
 */
export async function takeMailAttempt(db: Db, who: Who & { purpose: MailPurpose }, limits: Limits, now: Date): Promise<Taken> {
  const ip = await takeAttempt(db, `mail:ip:${where(who.ip)}`, limits.mailIp, now);
  if (!ip.ok) return refusedBy("mail_ip", ip);
  return refusedBy("mail_address", await takeAttempt(db, `mail:address:${who.purpose}:${who.email}`, limits.mailAddress, now));
}

/** Sign-ins through another provider started (a stored row each), per IP. */
export async function takeProviderStart(db: Db, ip: string | null, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("provider_ip", await takeAttempt(db, `provider:ip:${where(ip)}`, limits.providerIp, now));
}

/** Passkey sign-in challenges (a stored row each), per IP: nobody can fill the table. */
export async function takePasskeyChallenge(db: Db, ip: string | null, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("passkey_ip", await takeAttempt(db, `passkey:ip:${where(ip)}`, limits.passkeyIp, now));
}

/** Where a second-step code comes from: the account, the place it is counted under, and whether the account knows that place. */
export type CodePlace = { userId: string; place: string; known: boolean };

const codeKeys = (at: CodePlace) => ({ place: `second-factor:place:${at.userId}|${at.place}`, account: `second-factor:account:${at.userId}` });

/**
 * Second-step codes (a sign-in's second step, confirming it's you), on counters of their own:
 * someone who knows the password and guesses codes must not spend the owner's password checks.
 * Per account and place; and, from a place the account does not know, per account too — so
 * guesses from elsewhere never lock the owner out where they sign in. Taken before the comparison.
 */
export async function takeSecondFactorCheck(db: Db, at: CodePlace, limits: Limits, now: Date): Promise<Taken> {
  const k = codeKeys(at);
  const place = await takeAttempt(db, k.place, limits.secondFactorPlace, now);
  if (!place.ok) return refusedBy("second_factor_place", place);
  if (at.known) return { ok: true };
  return refusedBy("second_factor_account", await takeAttempt(db, k.account, limits.secondFactorAccount, now));
}

/** A right code: its attempt did not count, and this place's wrong ones are wiped. */
export async function settleRightCode(db: Db, at: CodePlace): Promise<void> {
  const k = codeKeys(at);
  await clearLimit(db, k.place);
  if (!at.known) await giveBackAttempt(db, k.account);
}

/** Whether `userId` signed in from `ip` in the last 30 days (a place the account knows). */
export async function signedInFrom(db: Db, userId: string, ip: string | null, now: Date): Promise<boolean> {
  if (!ip) return false;
  const since = new Date(now.getTime() - KNOWN_IP_DAYS * 24 * 3600 * 1000);
  return (await db.session.findFirst({ where: { userId, ip, createdAt: { gte: since } }, select: { id: true } })) !== null;
}

/**
 * Wrong mailed codes (sign-up, new address) per address, across every code sent to it: each code
 * has its own five tries, and this caps how many codes one address can have tried in a day.
 * Taken before the comparison; a right code gives it back.
 */
export async function takeMailCodeTry(db: Db, email: string, limits: Limits, now: Date): Promise<Taken> {
  return refusedBy("mail_code_address", await takeAttempt(db, `mail-code:address:${email}`, limits.mailCodeAddress, now));
}

export function giveBackMailCodeTry(db: Db, email: string): Promise<void> {
  return giveBackAttempt(db, `mail-code:address:${email}`);
}

/** Mail telling an owner their password was entered without the right code: at most one every six hours. */
export async function takePasswordKnownNotice(db: Db, userId: string, now: Date): Promise<boolean> {
  return (await takeAttempt(db, `notice:password-known:${userId}`, { max: 1, windowSeconds: 6 * 3600 }, now)).ok;
}

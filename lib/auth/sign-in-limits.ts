// Limits on guessing passwords. Node only.
//
// Three counters of failed sign-ins, each with its own window (config `RATE_LIMIT_LOGIN_*`):
//   per account and IP  — the tight one: one place guessing one password;
//   per IP              — one place guessing across many accounts;
//   per account         — many places guessing one account.
// The per-account limit would let an attacker lock a person out of their own account (a
// lockout-DoS), so it does not apply from an IP the person has signed in from in the last 30 days:
// their usual place keeps its own per-account-and-IP budget, which the attacker cannot spend.
import type { Config } from "@/lib/env";
import type { Db } from "@/lib/db";
import { checkLimit, clearLimit, countAttempt, type LimitState } from "./rate-limit";

const KNOWN_IP_DAYS = 30;

type Who = { email: string; ip: string | null };
type Limits = Config["limits"];

const keys = ({ email, ip }: Who) => {
  const where = ip ?? "unknown";
  return { accountIp: `login:account-ip:${email}|${where}`, ip: `login:ip:${where}`, account: `login:account:${email}` };
};

export async function checkSignInAllowed(db: Db, who: Who, limits: Limits, now: Date): Promise<LimitState> {
  const k = keys(who);
  for (const [key, limit] of [
    [k.accountIp, limits.loginAccountIp],
    [k.ip, limits.loginIp],
  ] as const) {
    const state = await checkLimit(db, key, limit, now);
    if (!state.ok) return state;
  }
  const accountWide = await checkLimit(db, k.account, limits.loginAccount, now);
  if (!accountWide.ok && !(await isKnownPlace(db, who, now))) return accountWide;
  return { ok: true };
}

export async function recordFailedSignIn(db: Db, who: Who, limits: Limits, now: Date): Promise<void> {
  const k = keys(who);
  await countAttempt(db, k.accountIp, limits.loginAccountIp, now);
  await countAttempt(db, k.ip, limits.loginIp, now);
  await countAttempt(db, k.account, limits.loginAccount, now);
}

/** A right password wipes this place's failures for the account (not the IP's or the account's). */
export async function recordSuccessfulSignIn(db: Db, who: Who): Promise<void> {
  await clearLimit(db, keys(who).accountIp);
}

async function isKnownPlace(db: Db, { email, ip }: Who, now: Date): Promise<boolean> {
  if (!ip) return false;
  const since = new Date(now.getTime() - KNOWN_IP_DAYS * 24 * 3600 * 1000);
  const session = await db.session.findFirst({ where: { ip, createdAt: { gte: since }, user: { email } }, select: { id: true } });
  return session !== null;
}

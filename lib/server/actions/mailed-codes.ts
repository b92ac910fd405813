// Trying a six-digit code mailed to an address (a sign-up's, a new address's). Node only.
//
// Each code has its five tries (store/challenges.ts tryCode). Across codes, an address has a
// ceiling of tries a day (RATE_LIMIT_MAIL_CODE_ADDRESS), taken before the comparison and given
// back by a right code: without it, asking for code after code would give a guesser five more
// tries each time.
import "server-only";
import { giveBackMailCodeTry, takeMailCodeTry } from "@/lib/server/limits";
import { tryCode, type ChallengePurpose, type CodeCheck } from "@/lib/server/store/challenges";
import type { ActionContext, RateLimited } from "./context";

export async function tryMailedCode(
  input: { id: string; purpose: ChallengePurpose; code: string; userId?: string },
  ctx: ActionContext,
): Promise<CodeCheck | RateLimited> {
  const { db, config, now } = ctx;
  const sentTo = await db.emailChallenge.findUnique({ where: { id: input.id }, select: { email: true } });
  if (!sentTo) return { ok: false, reason: "spent" };
  const taken = await takeMailCodeTry(db, sentTo.email, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const check = await tryCode(db, input, config, now);
  if (check.ok) await giveBackMailCodeTry(db, sentTo.email);
  return check;
}

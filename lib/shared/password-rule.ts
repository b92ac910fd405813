// The rule a new password meets, without the dictionaries that score it: what counts as strong
// enough, what the owner's address makes guessable, and the sentence that says why not. The
// browser scores with lib/shared/password-strength.ts, the server on its password worker
// (lib/server/password.ts); both judge the score here, so they say the same thing.

/** zxcvbn's scale is 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

/** What zxcvbn says of a password, reduced to what the rule uses. */
export type Scored = { score: number; warning: string | null; suggestions: string[] };

export type Strength = Scored & { ok: boolean };

/** The address and its parts ("jane.doe@example.com" → jane, doe, example…): guessable for its owner. */
export function guessableFromEmail(email: string): string[] {
  const [local = "", domain = ""] = email.toLowerCase().split("@");
  const parts = [email, local, domain, ...local.split(/[._+-]+/), ...domain.split(".")];
  return [...new Set(parts.filter((p) => p.length >= 3))];
}

export function judge(scored: Scored): Strength {
  return { ...scored, ok: scored.score >= MIN_PASSWORD_SCORE };
}

/** One sentence for the person: why, then what to do. */
export function strengthMessage(s: Strength): string {
  const why = s.warning ?? "This password would be easy to guess.";
  const what = s.suggestions[0] ?? "Add another word or two.";
  return `${why} ${what}`;
}

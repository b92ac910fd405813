// How guessable a new password is (lib/shared: the browser and Node both use it; the edge never does): zxcvbn-ts with its common and English dictionaries. Used by the
// server to refuse weak passwords (sign-up, change, reset) and by the forms to say the same thing
// as the person types (loaded there only when a new-password field is used: the dictionaries are
// large). Never imported by the middleware.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** zxcvbn's scale is 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

export type Strength = { ok: boolean; score: number; warning: string | null; suggestions: string[] };

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

/** The address and its parts ("jane.doe@example.com" → jane, doe, example…): guessable for its owner. */
export function guessableFromEmail(email: string): string[] {
  const [local = "", domain = ""] = email.toLowerCase().split("@");
  const parts = [email, local, domain, ...local.split(/[._+-]+/), ...domain.split(".")];
  return [...new Set(parts.filter((p) => p.length >= 3))];
}

export function passwordStrength(password: string, email = ""): Strength {
  const result = zxcvbn().check(password, guessableFromEmail(email));
  return {
    ok: result.score >= MIN_PASSWORD_SCORE,
    score: result.score,
    warning: result.feedback.warning ?? null,
    suggestions: result.feedback.suggestions ?? [],
  };
}

/** One sentence for the person: why, then what to do. */
export function strengthMessage(s: Strength): string {
  const why = s.warning ?? "This password would be easy to guess.";
  const what = s.suggestions[0] ?? "Add another word or two.";
  return `${why} ${what}`;
}

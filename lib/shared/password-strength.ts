// How guessable a new password is, scored in this thread: zxcvbn-ts with its common and English
// dictionaries. The forms load it only when a new-password field is used (the dictionaries are
// large); the server never imports it — it scores on its password worker instead, with the same
// dictionaries (lib/server/password.ts; a test holds the two to the same verdicts).
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { guessableFromEmail, judge, type Strength } from "./password-rule";

export { guessableFromEmail, MIN_PASSWORD_SCORE, strengthMessage, type Strength } from "./password-rule";

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

export function passwordStrength(password: string, email = ""): Strength {
  const result = zxcvbn().check(password, guessableFromEmail(email));
  return judge({ score: result.score, warning: result.feedback.warning ?? null, suggestions: result.feedback.suggestions ?? [] });
}

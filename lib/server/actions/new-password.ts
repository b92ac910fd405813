// The rule every new password meets (sign-up, change, reset), checked on the server whatever the
// form showed. Node only. Scored on the password worker: the dictionaries never load in the
// thread that serves pages.
import "server-only";
import { guessableFromEmail, judge, strengthMessage } from "@/lib/shared/password-rule";
import { scorePassword, type HashSettings } from "@/lib/server/password";

export type WeakPassword = { ok: false; code: "password_too_weak"; why: string };

/** Null when `password` is hard enough to guess for the owner of `email`; else why not. */
export async function refuseWeakPassword(password: string, email: string, settings: HashSettings): Promise<WeakPassword | null> {
  const strength = judge(await scorePassword(password, guessableFromEmail(email), settings));
  return strength.ok ? null : { ok: false, code: "password_too_weak", why: strengthMessage(strength) };
}

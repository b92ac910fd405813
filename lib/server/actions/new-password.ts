// The rule every new password meets (sign-up, change, reset), checked on the server whatever the
// form showed. Node only.
import "server-only";
import { passwordStrength, strengthMessage } from "@/lib/shared/password-strength";

export type WeakPassword = { ok: false; code: "password_too_weak"; why: string };

/** Null when `password` is hard enough to guess for the owner of `email`; else why not. */
export function refuseWeakPassword(password: string, email: string): WeakPassword | null {
  const strength = passwordStrength(password, email);
  return strength.ok ? null : { ok: false, code: "password_too_weak", why: strengthMessage(strength) };
}

// Every mail Keycard sends, in one place. Links are built from APP_ORIGIN only — never from a
// request's Host or X-Forwarded-Host, which whoever sends the request chooses: a forged Host must
// not put another site's address in a reset link.
import "server-only";
import type { Config } from "@/lib/env";
import { renderLetter, type Circumstances, type Letter } from "./letter";

export type MailKind =
  | "sign_up_code"
  | "sign_up_existing"
  | "password_reset"
  | "password_changed"
  | "codes_guessed"
  | "operator_action"
  | "email_change_code"
  | "email_change_existing"
  | "email_changed"
  | "email_changed_again"
  | "email_change_undone"
  | "email_moved_back"
  | "account_locked"
  | "new_sign_in"
  | "refresh_token_reused"
  | "account_deleted"
  | "two_factor_disabled"
  | "passkey_added"
  | "passkey_removed"
  | "two_factor_enabled"
  | "recovery_codes_regenerated"
  | "recovery_code_used"
  | "password_known"
  | "provider_connected"
  | "provider_disconnected"
  | "password_removed"
  | "password_stopped";

export type Mail = { kind: MailKind; to: string; subject: string; text: string; html: string };

/** An absolute link to a page of this app. */
export function appLink(appOrigin: string, path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, `${appOrigin}/`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function mail(kind: MailKind, to: string, letter: Letter, appOrigin: string): Mail {
  return { kind, to, ...renderLetter(letter, appOrigin) };
}

const UNTIL = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
const untilText = (date: Date) => `${UNTIL.format(date)} UTC`;

const NOT_YOU_SIGN_IN =
  "If this wasn't you, someone knows your password: reset it now (every session ends with it), then review your sessions on your account page.";

export const mails = {
  signUpCode(to: string, a: { code: string; challengeId: string; minutes: number }, appOrigin: string): Mail {
    return mail("sign_up_code", to, {
      subject: "Your Keycard sign-up code",
      intro: ["Enter this code to finish creating your Keycard account."],
      code: a.code,
      action: { label: "Finish creating my account", href: appLink(appOrigin, "/register/verify", { challenge: a.challengeId, code: a.code }) },
      outro: [`The code works for ${a.minutes} minutes.`, "If you didn't try to create an account, ignore this mail: nothing happens without the code."],
    }, appOrigin);
  },

  signUpExisting(to: string, appOrigin: string): Mail {
    return mail("sign_up_existing", to, {
      subject: "Someone tried to create a Keycard account with your address",
      intro: [
        "Someone tried to create a Keycard account with this address, but you already have one.",
        "If it was you, sign in instead — or reset your password if you have forgotten it.",
      ],
      action: { label: "Sign in", href: appLink(appOrigin, "/login") },
      outro: [`Forgot your password? ${appLink(appOrigin, "/forgot-password")}`, "If it wasn't you, you can ignore this mail: your account is unchanged."],
    }, appOrigin);
  },

  passwordReset(to: string, a: { token: string; minutes: number }, appOrigin: string): Mail {
    return mail("password_reset", to, {
      subject: "Reset your Keycard password",
      intro: ["Someone (hopefully you) asked to reset the password of your Keycard account."],
      action: { label: "Choose a new password", href: appLink(appOrigin, "/reset-password", { token: a.token }) },
      outro: [
        `The link works once, for ${a.minutes} minutes.`,
        "If you didn't ask, ignore this mail: your password stays as it is.",
      ],
    }, appOrigin);
  },

  passwordChanged(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("password_changed", to, {
      subject: "Your Keycard password was changed",
      intro: ["The password of your Keycard account was just changed, and your other sessions were ended."],
      circumstances,
      action: { label: "It wasn't me: reset my password", href: appLink(appOrigin, "/forgot-password") },
      outro: ["If it was you, there is nothing to do."],
    }, appOrigin);
  },

  emailChangeCode(to: string, a: { code: string; challengeId: string; minutes: number }, appOrigin: string): Mail {
    return mail("email_change_code", to, {
      subject: "Confirm your new Keycard address",
      intro: ["Enter this code on your account page to move your Keycard account to this address."],
      code: a.code,
      action: { label: "Confirm this address", href: appLink(appOrigin, "/account/email", { challenge: a.challengeId, code: a.code }) },
      outro: [`The code works for ${a.minutes} minutes.`, "If you didn't ask for this, ignore this mail."],
    }, appOrigin);
  },

  emailChangeExisting(to: string, appOrigin: string): Mail {
    return mail("email_change_existing", to, {
      subject: "Someone tried to move a Keycard account to your address",
      intro: [
        "Someone signed in to another Keycard account tried to change its address to this one, but this address already has an account.",
        "Nothing was changed.",
      ],
      action: { label: "Sign in", href: appLink(appOrigin, "/login") },
      outro: ["If it wasn't you, you can ignore this mail."],
    }, appOrigin);
  },

  emailChanged(to: string, a: { newEmail: string; token: string; hours: number; circumstances: Circumstances }, appOrigin: string): Mail {
    return mail("email_changed", to, {
      subject: "Your Keycard address was changed",
      intro: [`The address of your Keycard account was changed from this one to ${a.newEmail}. Mail about the account now goes there.`],
      circumstances: a.circumstances,
      action: { label: "This wasn't me", href: appLink(appOrigin, "/undo-email-change", { token: a.token }) },
      outro: [
        `If it wasn't you, the link above puts your address back and ends every session of the account; then you choose a new password. It works for ${a.hours} hours, and nothing done with the account meanwhile can take it from you.`,
        "If it was you, there is nothing to do.",
      ],
    }, appOrigin);
  },

  emailChangedAgain(to: string, a: { newEmail: string; until: Date; circumstances: Circumstances }, appOrigin: string): Mail {
    return mail("email_changed_again", to, {
      subject: "Your Keycard account's address was changed again",
      intro: [
        `The address of the Keycard account that was yours at this address has been changed again, now to ${a.newEmail}.`,
        `The “This wasn't me” link in our earlier mail still puts this address back, whatever was changed since, until ${untilText(a.until)}.`,
      ],
      circumstances: a.circumstances,
      outro: ["If these changes were yours, there is nothing to do."],
    }, appOrigin);
  },

  emailChangeUndone(to: string, a: { token: string; minutes: number; circumstances: Circumstances }, appOrigin: string): Mail {
    return mail("email_change_undone", to, {
      subject: "Your Keycard address is back",
      intro: [
        "Your Keycard account's address is this one again. Every session was signed out, and passkeys, an authenticator app, recovery codes and browsers added since the address was changed were removed.",
        "Whoever changed it knew your password, so it no longer works: choose a new one.",
      ],
      circumstances: a.circumstances,
      action: { label: "Choose a new password", href: appLink(appOrigin, "/reset-password", { token: a.token }) },
      outro: [`The link works once, for ${a.minutes} minutes; after that, ask for another at ${appLink(appOrigin, "/forgot-password")}.`],
    }, appOrigin);
  },

  emailMovedBack(to: string, a: { circumstances: Circumstances }, appOrigin: string): Mail {
    return mail("email_moved_back", to, {
      subject: "A Keycard account no longer uses this address",
      intro: ["The owner of a Keycard account that had this address put their earlier address back with the link we sent them. This address no longer belongs to it, and every session of it was signed out."],
      circumstances: a.circumstances,
      outro: ["If you changed that account's address yourself, sign in with the address you changed it from."],
    }, appOrigin);
  },

  accountLocked(to: string, a: { why: string; contact: string; circumstances: Circumstances }, appOrigin: string): Mail {
    return mail("account_locked", to, {
      subject: "A Keycard account was locked to protect it",
      intro: [a.why, "Nobody can sign in to it or reset its password until support unlocks it. Every session of it was signed out."],
      circumstances: a.circumstances,
      outro: [`To get it back, contact ${a.contact} and say which address it had.`],
    }, appOrigin);
  },

  newSignIn(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("new_sign_in", to, {
      subject: "A new sign-in to your Keycard account",
      intro: ["Your Keycard account was just signed in to from a device it hasn't seen before."],
      circumstances,
      action: { label: "Review your sessions", href: appLink(appOrigin, "/account") },
      outro: ["If it was you, there is nothing to do.", NOT_YOU_SIGN_IN],
    }, appOrigin);
  },

  passkeyChanged(to: string, a: { added: boolean; name: string }, circumstances: Circumstances, appOrigin: string): Mail {
    return mail(a.added ? "passkey_added" : "passkey_removed", to, {
      subject: a.added ? "A passkey was added to your Keycard account" : "A passkey was removed from your Keycard account",
      intro: [a.added ? `A passkey named “${a.name}” can now sign in to your Keycard account, without a password.` : `The passkey named “${a.name}” can no longer sign in to your Keycard account.`],
      circumstances,
      action: { label: "Review your passkeys", href: appLink(appOrigin, "/account#passkeys-section") },
      outro: ["If it wasn't you, someone signed in to your account: remove any passkey you don't know, and reset your password."],
    }, appOrigin);
  },

  twoFactorDisabled(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("two_factor_disabled", to, {
      subject: "Two-step sign-in was turned off for your Keycard account",
      intro: ["Your Keycard account no longer asks for a code from an authenticator app when signing in. Its recovery codes no longer work."],
      circumstances,
      action: { label: "Review your account", href: appLink(appOrigin, "/account") },
      outro: ["If it wasn't you, someone signed in to your account knows your password: reset it now, then turn two-step sign-in on again."],
    }, appOrigin);
  },

  twoFactorEnabled(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("two_factor_enabled", to, {
      subject: "Two-step sign-in was turned on for your Keycard account",
      intro: ["Your Keycard account now asks for a code from an authenticator app after the password. Ten recovery codes were made for when the app is not at hand."],
      circumstances,
      action: { label: "Review your account", href: appLink(appOrigin, "/account#two-factor-section") },
      outro: ["If it wasn't you, someone signed in to your account: reset your password now; the reset asks for the app's code, so contact support if it is not yours."],
    }, appOrigin);
  },

  recoveryCodesRegenerated(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("recovery_codes_regenerated", to, {
      subject: "New recovery codes for your Keycard account",
      intro: ["New recovery codes were made for your Keycard account's two-step sign-in. The earlier ones no longer work."],
      circumstances,
      action: { label: "Review your account", href: appLink(appOrigin, "/account#two-factor-section") },
      outro: ["If it wasn't you, someone signed in to your account with your password and a code: sign out everywhere and reset your password."],
    }, appOrigin);
  },

  recoveryCodeUsed(to: string, a: { left: number; circumstances: Circumstances }, appOrigin: string): Mail {
    const left = a.left === 0 ? "none are left: make new ones now" : `${a.left} ${a.left === 1 ? "is" : "are"} left`;
    return mail("recovery_code_used", to, {
      subject: "A recovery code was used to sign in to your Keycard account",
      intro: [`A recovery code was used instead of the authenticator app's code, and cannot be used again; ${left}.`],
      circumstances: a.circumstances,
      action: { label: "Review your account", href: appLink(appOrigin, "/account#two-factor-section") },
      outro: ["If it wasn't you, someone has your password and your recovery codes: sign out everywhere, reset your password and make new recovery codes."],
    }, appOrigin);
  },

  passwordKnown(to: string, a: { via: "password" | "reset" | "provider"; circumstances: Circumstances }, appOrigin: string): Mail {
    const words = {
      password: {
        subject: "Someone entered your Keycard password",
        what: "Someone entered the right password for your Keycard account, then a wrong code — or none — for two-step sign-in, so they were not let in.",
        then: "If it wasn't you, someone knows your password: change it.",
        action: { label: "Change my password", href: appLink(appOrigin, "/account#password") },
      },
      reset: {
        subject: "Someone used a password reset link for your Keycard account",
        what: "Someone opened a password reset link mailed to you and chose a new password, then gave a wrong code — or none — for two-step sign-in. Nothing was changed.",
        then: "If it wasn't you, someone can read your mail: secure your mailbox.",
        action: { label: "Review your account", href: appLink(appOrigin, "/account") },
      },
      provider: {
        subject: "Someone signed in to Keycard through a provider connected to your account",
        what: "Someone signed in through a provider connected to your Keycard account (Google, GitHub…), then gave a wrong code — or none — for two-step sign-in, so they were not let in.",
        then: "If it wasn't you, someone can use that provider account: secure it, or disconnect it from your Keycard account.",
        action: { label: "Review how you sign in", href: appLink(appOrigin, "/account#ways-section") },
      },
    }[a.via];
    return mail("password_known", to, {
      subject: words.subject,
      intro: [words.what, `${words.then} (We send this at most once every few hours.)`],
      circumstances: a.circumstances,
      action: words.action,
      outro: ["Two-step sign-in kept them out; if it was you, there is nothing to do."],
    }, appOrigin);
  },

  passwordStopped(to: string, a: { token: string; minutes: number; failures: number }, appOrigin: string): Mail {
    return mail("password_stopped", to, {
      subject: "Your Keycard password was switched off",
      intro: [
        `Your password was entered with ${a.failures} wrong two-step codes in a row, so someone knows it and is guessing codes. It no longer works; your sessions, passkeys and two-step sign-in are unchanged.`,
        "Choose a new password with the link below (the reset asks for your app's code too).",
      ],
      action: { label: "Choose a new password", href: appLink(appOrigin, "/reset-password", { token: a.token }) },
      outro: [`The link works once, for ${a.minutes} minutes; after that, ask for another at ${appLink(appOrigin, "/forgot-password")}.`],
    }, appOrigin);
  },

  /** An operator changed the account: what they did, and — when the person needs one — a reset link or whom to contact. */
  byOperator(to: string, a: { did: string; reset?: { token: string; minutes: number }; contactSupport?: boolean }, config: Pick<Config, "appOrigin" | "supportContact">): Mail {
    const contact = config.supportContact ?? "the service's support";
    return mail("operator_action", to, {
      subject: "An administrator changed your Keycard account",
      intro: [a.did],
      ...(a.reset ? { action: { label: "Choose a new password", href: appLink(config.appOrigin, "/reset-password", { token: a.reset.token }) } } : {}),
      outro: [
        ...(a.reset ? [`The link works once, for ${a.reset.minutes} minutes; after that, ask for another at ${appLink(config.appOrigin, "/forgot-password")}.`] : []),
        a.contactSupport ? `Questions: contact ${contact}.` : `If you did not ask for this, contact ${contact}.`,
      ],
    }, config.appOrigin);
  },

  codesGuessed(to: string, a: { failures: number }, appOrigin: string): Mail {
    return mail("codes_guessed", to, {
      subject: "Someone is guessing your Keycard two-step codes",
      intro: [
        `${a.failures} wrong two-step codes were entered in a row after signing in to your account through a provider connected to it, so someone can sign in to that provider as you and is guessing codes. Two-step sign-in kept them out.`,
        "Secure that provider account (change its password, sign out its other sessions), or disconnect it from your Keycard account.",
      ],
      action: { label: "Review how you sign in", href: appLink(appOrigin, "/account#ways-section") },
      outro: ["If it was you mistyping, there is nothing to do."],
    }, appOrigin);
  },

  providerChanged(to: string, a: { connected: boolean; name: string; email: string | null; circumstances: Circumstances }, appOrigin: string): Mail {
    const which = a.email ? `${a.name} (${a.email})` : a.name;
    return mail(a.connected ? "provider_connected" : "provider_disconnected", to, {
      subject: a.connected ? `${a.name} can now sign you in to Keycard` : `${a.name} no longer signs you in to Keycard`,
      intro: [a.connected ? `Your Keycard account was connected to ${which}: signing in there now signs you in here.` : `Your Keycard account is no longer connected to ${which}.`],
      circumstances: a.circumstances,
      action: { label: "Review how you sign in", href: appLink(appOrigin, "/account#ways-section") },
      outro: [a.connected ? "If it wasn't you, disconnect it now and change your password: someone was signed in to your account." : "If it wasn't you, someone signed in to your account: review how you sign in and change your password."],
    }, appOrigin);
  },

  passwordRemoved(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("password_removed", to, {
      subject: "Your Keycard password was removed",
      intro: ["Your Keycard account no longer has a password: it signs in with a passkey or another provider only. Your other sessions were ended."],
      circumstances,
      action: { label: "Review how you sign in", href: appLink(appOrigin, "/account#ways-section") },
      outro: ["If it wasn't you, set a password again from the sign-in page's \"Forgot your password?\" and review your account."],
    }, appOrigin);
  },

  accountDeleted(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("account_deleted", to, {
      subject: "Your Keycard account was deleted",
      intro: [
        "Your Keycard account and everything in it — sessions, devices, security activity — was deleted. Goodbye, and thank you.",
      ],
      circumstances,
      outro: [
        "If it wasn't you, someone was signed in to your account and confirmed it with your password. The account cannot be brought back, but this address is free: you can create a new account with it.",
      ],
    }, appOrigin);
  },

  refreshTokenReused(to: string, circumstances: Circumstances, appOrigin: string): Mail {
    return mail("refresh_token_reused", to, {
      subject: "A Keycard session was ended to protect your account",
      intro: [
        "A session of your Keycard account was ended because its sign-in token was used twice — which happens when a copy of it is in someone else's hands.",
        "The device below may have to sign in again.",
      ],
      circumstances,
      action: { label: "Review your sessions", href: appLink(appOrigin, "/account") },
      outro: [NOT_YOU_SIGN_IN],
    }, appOrigin);
  },
};

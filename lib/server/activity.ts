// Security events in words a person reads under "Security activity".
import "server-only";
import { describeDevice } from "./device";

const TITLES: Record<string, string> = {
  signed_in: "Signed in",
  signed_out: "Signed out",
  signed_out_everywhere: "Signed out everywhere",
  session_ended: "Ended a session on another device",
  other_sessions_ended: "Signed out of all other sessions",
  password_changed: "Password changed",
  password_change_failed: "A wrong current password was entered to change the password",
  refresh_token_reused: "A refresh token was reused, so that session was ended",
  password_reset: "Password reset from a link sent by mail",
  password_reset_requested: "A password reset link was mailed",
  reauthenticated: "Confirmed it’s you, to make a change",
  two_factor_enabled: "Two-step sign-in turned on (authenticator app)",
  passkey_added: "Passkey added",
  passkey_removed: "Passkey removed",
  two_factor_disabled: "Two-step sign-in turned off",
  recovery_codes_regenerated: "New recovery codes made (the old ones stopped working)",
  second_factor_failed: "A wrong code was entered at the second step of a sign-in",
  // How, in the detail: a wrong password, a wrong code, a passkey refused.
  reauthentication_failed: "A try to confirm it’s you failed",
  email_change_requested: "A code was mailed to confirm a new address",
  email_changed: "Email address changed",
  email_change_undone: "Email address change undone from the old address",
  account_locked: "Account locked to protect it",
  provider_connected: "Another provider connected: it can sign you in",
  provider_disconnected: "Another provider disconnected: it no longer signs you in",
  provider_refused: "A sign-in through another provider was refused",
  password_set: "Password set",
  password_removed: "Password removed: it no longer signs you in",
  password_stopped: "Password switched off after too many wrong codes (a reset link was mailed)",
  second_step_unfinished: "A sign-in stopped at the second step: no right code was given",
  operator_sessions_ended: "An administrator signed you out",
  operator_unlocked: "An administrator unlocked your account",
  operator_password_reset_required: "An administrator asked you to choose a new password (a link was mailed)",
  operator_second_factor_removed: "An administrator removed your second factor, after you proved who you are",
  operator_mail_resent: "An administrator sent a mail to you again",
};

export type ActivityItem = {
  id: string;
  type: string;
  title: string;
  /** More about it: the device of an ended session, how many sessions ended. */
  detail: string | null;
  /** Where the request came from; null when it came from no browser (an administrator's change). */
  device: string | null;
  ip: string | null;
  createdAt: Date;
};

export function describeActivity(event: {
  id: string;
  type: string;
  detail: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
}): ActivityItem {
  return {
    id: event.id,
    type: event.type,
    title: TITLES[event.type] ?? event.type,
    detail: event.type === "refresh_token_reused" && event.detail ? `Session on ${event.detail}` : event.detail,
    // Neither: it came from no browser (an administrator, or the server itself).
    device: event.userAgent || event.ip ? describeDevice(event.userAgent) : null,
    ip: event.ip,
    createdAt: event.createdAt,
  };
}

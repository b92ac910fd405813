// What every account action works with: the store, the settings, the moment, who is asking.
// Passed in, never reached for, so tests run an action against a throw-away database at a frozen time.
import "server-only";
import type { Db } from "@/lib/db";
import type { ClientInfo } from "@/lib/edge/client-info";
import type { Config } from "@/lib/env";
import { log } from "@/lib/server/log";
import { recordSecurityEvent, type SecurityEventType } from "@/lib/server/store/security-events";

export type ActionContext = { db: Db; config: Config; now: Date; client: ClientInfo; requestId?: string };

/**
 * The signed-in person an action acts for. `authenticatedAt`: the auth_time of the access token
 * the request came with, when it came with one — a fresh sign-in is bound to the tokens issued
 * with it (fresh-sign-in.ts), not only to the session.
 */
export type Actor = { userId: string; sessionId: string; authenticatedAt?: Date };

/** The account is locked (store/users.ts lockAccount): nobody signs in, nobody resets. `message` names whom to contact. */
export type AccountLocked = { ok: false; code: "account_locked"; message: string };

export function accountLocked(config: Pick<Config, "supportContact">): AccountLocked {
  return { ok: false, code: "account_locked", message: lockedMessage(config) };
}

export function lockedMessage(config: Pick<Config, "supportContact">): string {
  return `This account is locked to protect it: nobody can sign in to it or reset its password. To get it back, contact ${supportContact(config)}.`;
}

/** Too many attempts: wait this long. */
export type RateLimited = { ok: false; code: "rate_limited"; retryAfterSeconds: number };

/** Writes an entry of the person's security activity, from this request's device and IP. */
export async function record(
  ctx: ActionContext,
  event: { userId: string; sessionId?: string | null; type: SecurityEventType; detail?: string | null },
): Promise<void> {
  await recordSecurityEvent(ctx.db, event, ctx.client, ctx.now);
  // The ones an operator may want to alert on also go to the log, at warn.
  if (WORTH_A_WARNING.has(event.type)) {
    log().warn(
      { requestId: ctx.requestId, event: event.type, userId: event.userId, sessionId: event.sessionId ?? undefined, ip: ctx.client.ip ?? undefined },
      "security event",
    );
  }
}

const WORTH_A_WARNING = new Set<SecurityEventType>(["refresh_token_reused", "session_ended", "other_sessions_ended", "signed_out_everywhere", "password_change_failed", "reauthentication_failed", "two_factor_disabled", "second_factor_failed", "passkey_added", "passkey_removed", "password_reset", "email_changed", "email_change_undone", "account_locked", "password_stopped", "second_step_unfinished", "provider_connected", "provider_disconnected", "provider_refused", "password_removed"]);

/** How a person reaches whoever runs the service (SUPPORT_CONTACT), in words for a page or a mail. */
export function supportContact(config: Pick<Config, "supportContact">): string {
  return config.supportContact ?? "the service's support";
}

/** "3 sessions ended", "1 other session ended". */
export function sessionsEnded(count: number, other = false): string {
  return `${count} ${other ? "other " : ""}session${count === 1 ? "" : "s"} ended`;
}

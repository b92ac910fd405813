// The account's own security history: what a person sees under "Security activity". Node only.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { ClientInfo } from "@/lib/edge/client-info";

export const SECURITY_EVENT_RETENTION_DAYS = 90;

export type SecurityEventType =
  | "signed_in"
  | "signed_out"
  | "signed_out_everywhere"
  | "session_ended"
  | "other_sessions_ended"
  | "password_changed"
  | "password_change_failed"
  | "refresh_token_reused"
  | "password_reset"
  | "password_reset_requested"
  | "reauthenticated"
  | "two_factor_enabled"
  | "passkey_added"
  | "passkey_removed"
  | "two_factor_disabled"
  | "recovery_codes_regenerated"
  | "second_factor_failed"
  | "reauthentication_failed"
  | "email_change_requested"
  | "email_changed"
  | "email_change_undone"
  | "account_locked"
  | "password_stopped"
  | "provider_connected"
  | "provider_disconnected"
  | "provider_refused"
  | "password_set"
  | "password_removed"
  | "second_step_unfinished"
  | "operator_sessions_ended"
  | "operator_unlocked"
  | "operator_password_reset_required"
  | "operator_second_factor_removed"
  | "operator_mail_resent";

export async function recordSecurityEvent(
  db: Db,
  event: { userId: string; sessionId?: string | null; type: SecurityEventType; detail?: string | null },
  client: Partial<ClientInfo>,
  now: Date,
): Promise<void> {
  await db.securityEvent.create({
    data: {
      id: randomUUID(),
      userId: event.userId,
      sessionId: event.sessionId ?? null,
      type: event.type,
      detail: event.detail ?? null,
      ip: client.ip ?? null,
      userAgent: client.userAgent ?? null,
      createdAt: now,
    },
  });
}

/** The person's events of the last 90 days, newest first. */
export function listSecurityEvents(db: Db, userId: string, now: Date, take = 50) {
  const since = new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * 24 * 3600 * 1000);
  return db.securityEvent.findMany({
    where: { userId, createdAt: { gte: since } },
    orderBy: { createdAt: "desc" },
    take,
  });
}

import { accountDone, answerFailure } from "@/lib/auth/answers";
import { changePasswordFromForm, changePasswordInput, MESSAGES } from "@/lib/auth/credentials";
import { withSession } from "@/lib/auth/route-guard";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import { changePassword } from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readInput } from "@/lib/http/read-input";

const ACCOUNT_FORM = { page: "/account", fragment: "password" };

export const POST = withSession(async (request, current) => {
  const config = getConfig();
  const now = new Date();
  const input = await readInput(request, changePasswordInput, {
    maxBytes: config.maxBodyBytes,
    formToObject: changePasswordFromForm,
  });
  if (!input.ok) return answerFailure(input.mode, input.error, ACCOUNT_FORM);

  const db = getDb();
  const changed = await changePassword(
    db,
    { userId: current.user.id, ...input.data, keepSessionId: current.session.id },
    config,
    now,
  );
  if (!changed.ok) {
    const error = { status: 400, code: "wrong_password", message: MESSAGES.wrong_password, fields: { currentPassword: "wrong_password" } };
    return answerFailure(input.mode, error, ACCOUNT_FORM);
  }
  const detail = changed.endedSessions > 0 ? `${changed.endedSessions} other session${changed.endedSessions === 1 ? "" : "s"} ended` : null;
  await recordSecurityEvent(db, { userId: current.user.id, sessionId: current.session.id, type: "password_changed", detail }, clientInfo(request), now);
  return accountDone(request, "password_changed");
});

import { answerFailure, tooManyAttempts } from "@/lib/auth/answers";
import { credentialsFromForm, loginInput, MESSAGES } from "@/lib/auth/credentials";
import { startSession } from "@/lib/auth/sign-in";
import { checkSignInAllowed, recordFailedSignIn, recordSuccessfulSignIn } from "@/lib/auth/sign-in-limits";
import { verifyUserPassword } from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readInput } from "@/lib/http/read-input";
import { withStoreFaults } from "@/lib/http/with-store-faults";

export const POST = withStoreFaults(async (request: Request) => {
  const config = getConfig();
  const now = new Date();
  const input = await readInput(request, loginInput, {
    maxBytes: config.maxBodyBytes,
    formToObject: credentialsFromForm,
  });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/login", echo: input.raw });

  const { email, password, remember, next } = input.data;
  const db = getDb();
  const who = { email, ip: clientInfo(request).ip };
  const allowed = await checkSignInAllowed(db, who, config.limits, now);
  if (!allowed.ok) {
    const { error, headers } = tooManyAttempts(allowed.retryAfterSeconds);
    return answerFailure(input.mode, error, { page: "/login", echo: input.data }, headers);
  }

  const user = await verifyUserPassword(db, { email, password }, config);
  if (!user) {
    await recordFailedSignIn(db, who, config.limits, now);
    // One answer for an unknown email and a wrong password: the form must not reveal who has an account.
    const error = { status: 401, code: "invalid_credentials", message: MESSAGES.invalid_credentials };
    return answerFailure(input.mode, error, { page: "/login", echo: input.data });
  }
  await recordSuccessfulSignIn(db, who);
  return startSession(request, { mode: input.mode, status: 200, user, persistent: remember, next }, config, now);
});

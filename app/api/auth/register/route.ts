import { answerFailure, tooManyAttempts } from "@/lib/auth/answers";
import { credentialsFromForm, MESSAGES, registerInput } from "@/lib/auth/credentials";
import { checkLimit, countAttempt } from "@/lib/auth/rate-limit";
import { startSession } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { readInput } from "@/lib/http/read-input";
import { withStoreFaults } from "@/lib/http/with-store-faults";

export const POST = withStoreFaults(async (request: Request) => {
  const config = getConfig();
  const now = new Date();
  const input = await readInput(request, registerInput, {
    maxBytes: config.maxBodyBytes,
    formToObject: credentialsFromForm,
  });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/register", echo: input.raw });

  const { email, password, remember, next } = input.data;
  const db = getDb();
  // Every sign-up counts, not only failed ones: the limit is on making accounts in bulk.
  const key = `register:ip:${clientInfo(request).ip ?? "unknown"}`;
  const allowed = await checkLimit(db, key, config.limits.registerIp, now);
  if (!allowed.ok) {
    const { error, headers } = tooManyAttempts(allowed.retryAfterSeconds);
    return answerFailure(input.mode, error, { page: "/register", echo: input.data }, headers);
  }
  await countAttempt(db, key, config.limits.registerIp, now);

  const created = await createUser(db, { email, password }, config, now);
  if (!created.ok) {
    const error = { status: 409, code: "email_taken", message: MESSAGES.email_taken };
    return answerFailure(input.mode, error, { page: "/register", echo: input.data });
  }
  return startSession(request, { mode: input.mode, status: 201, user: created.user, persistent: remember, next }, config, now);
});

import { answerFailure } from "@/lib/auth/answers";
import { credentialsFromForm, MESSAGES, registerInput } from "@/lib/auth/credentials";
import { startSession } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { getConfig } from "@/lib/env";
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
  const created = await createUser(getDb(), { email, password }, config, now);
  if (!created.ok) {
    const error = { status: 409, code: "email_taken", message: MESSAGES.email_taken };
    return answerFailure(input.mode, error, { page: "/register", echo: input.data });
  }
  return startSession(request, { mode: input.mode, status: 201, user: created.user, persistent: remember, next }, config, now);
});

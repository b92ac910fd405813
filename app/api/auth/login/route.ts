import { answerFailure, answerMailSent, answerRefusal, answerSignedIn } from "@/lib/edge/answer";
import { heldByBrowser, secondStepCookie } from "@/lib/edge/cookies";
import { safeNextPath } from "@/lib/edge/next-path";
import { credentialsFromForm, loginInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { signIn } from "@/lib/server/actions/sign-in";
import { route } from "@/lib/server/route";

const FORM = { page: "/login" };

export const POST = route(async (request, ctx) => {
  const input = await readInput(request, loginInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: credentialsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { ...FORM, echo: input.raw, cookies: ctx.config });

  const result = await signIn({ ...input.data, browser: heldByBrowser(request, ctx.config) }, ctx);
  if (!result.ok && result.code === "second_factor_required") {
    // No token yet: a short-lived cookie naming the pending sign-in, and the code's page.
    const next = `/login/verify${input.data.next ? `?next=${encodeURIComponent(safeNextPath(input.data.next))}` : ""}`;
    return answerMailSent(input.mode, { status: "second_factor_required" }, next, [secondStepCookie(result.pendingToken, ctx.config)]);
  }
  if (!result.ok) return answerRefusal(input.mode, result, { ...FORM, echo: input.data, cookies: ctx.config });
  return answerSignedIn(input.mode, result, input.data.next);
});

import { z } from "zod";
import { NextResponse } from "next/server";
import { answerFailure, answerRefusal, CONFIRM_FORM, CONFIRM_WITH_PROVIDER_FORM, failWith, json, NO_STORE, seeOther, withCookies } from "@/lib/edge/answer";
import { PLAIN_PAGE_CSP, plainPage } from "@/lib/edge/plain-page";
import { providerCookie, providerCookieName } from "@/lib/edge/cookies";
import { apiError } from "@/lib/edge/errors";
import { safeNextPath } from "@/lib/edge/next-path";
import { readInput } from "@/lib/edge/read-input";
import { startAtProvider } from "@/lib/server/actions/providers";
import { getCurrentSession } from "@/lib/server/current-session";
import { route } from "@/lib/server/route";

const startInput = z.strictObject({
  purpose: z.enum(["sign_in", "connect", "reauthenticate"]).default("sign_in"),
  next: z.string().max(2048).optional(),
  remember: z.boolean().default(true),
});

const fromForm = (form: URLSearchParams) => ({
  purpose: form.get("purpose") ?? undefined,
  next: form.get("next") ?? undefined,
  remember: ["on", "1", "true"].includes(form.get("remember") ?? "on"),
});

// Leaving for another provider: a plain form's post (it works without JavaScript) answered with a
// 303 to the provider, or JSON `{redirect}` for a script to follow. Connecting one, or confirming
// it's you with one, needs the signed-in session.
export const POST = route<{ params: Promise<{ provider: string }> }>(async (request, ctx, { params }) => {
  const input = await readInput(request, startInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fromForm });
  const back = { page: "/login" };
  if (!input.ok) return answerFailure(input.mode, input.error, back);
  const { purpose, remember } = input.data;
  const current = purpose === "sign_in" ? null : await getCurrentSession();
  if (purpose !== "sign_in" && !current) return input.mode === "form" ? seeOther("/login?next=%2Faccount") : failWith("unauthenticated");
  const next = safeNextPath(input.data.next ?? (purpose === "sign_in" ? undefined : "/account"));
  const providerId = (await params).provider;
  const started = await startAtProvider(
    {
      providerId,
      purpose,
      next,
      remember,
      browserValue: request.cookies.get(providerCookieName(ctx.config))?.value,
      actor: current ? { userId: current.user.id, sessionId: current.session.id, authenticatedAt: current.claims.authenticatedAt } : undefined,
    },
    ctx,
  );
  if (!started.ok) {
    if (started.code === "reauthentication_required") return answerRefusal(input.mode, started, CONFIRM_FORM);
    if (started.code === "provider_unreachable") {
      const name = ctx.config.providers.find((p) => p.id === providerId)?.name ?? "the provider";
      const message = `We couldn’t reach ${name} just now. Nothing was changed; please try again in a moment.`;
      if (input.mode === "json") return answerFailure("json", apiError("provider_unreachable", { message }), back, { "retry-after": "5" });
      return new NextResponse(plainPage({ title: `We couldn’t reach ${name}`, paragraphs: [message], link: { href: purpose === "sign_in" ? "/login" : "/account", label: "Try again" } }), {
        status: 503,
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": NO_STORE, "content-security-policy": PLAIN_PAGE_CSP, "retry-after": "5" },
      });
    }
    if (started.code === "provider_cancelled" || started.code === "provider_refused") return answerFailure(input.mode, apiError("provider_refused"), back);
    const form = purpose === "sign_in" ? back : purpose === "reauthenticate" ? CONFIRM_WITH_PROVIDER_FORM : { page: "/account", fragment: "ways-section" };
    return answerRefusal(input.mode, started, form);
  }
  const answer = input.mode === "form" ? seeOther(started.redirect.toString()) : json({ redirect: started.redirect.toString() });
  return withCookies(answer, [providerCookie(started.browserValue, ctx.config)]);
});

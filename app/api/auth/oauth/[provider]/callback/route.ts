import { NextResponse } from "next/server";
import { NO_STORE, seeOther, withCookies } from "@/lib/edge/answer";
import { heldByBrowser, providerCookieName, secondStepCookie, signUpCookie } from "@/lib/edge/cookies";
import { PLAIN_PAGE_CSP, plainPage } from "@/lib/edge/plain-page";
import { finishProviderCallback } from "@/lib/server/actions/providers";
import { getCurrentSession } from "@/lib/server/current-session";
import { route } from "@/lib/server/route";

// Back from the provider (its redirect, a top-level GET). A sign-in ends signed in, at the second
// step, at the code mailed to an address the provider did not vouch for, or at proving the account
// an address already has; a failure is a plain page (400, or 503 when the provider could not be
// reached), and nothing is created.
export const GET = route<{ params: Promise<{ provider: string }> }>(async (request, ctx, { params }) => {
  const current = await getCurrentSession();
  const result = await finishProviderCallback(
    {
      providerId: (await params).provider,
      callback: new URL(request.url),
      browserValue: request.cookies.get(providerCookieName(ctx.config))?.value,
      browser: heldByBrowser(request, ctx.config),
      signedInAs: current ? { userId: current.user.id, sessionId: current.session.id } : null,
    },
    ctx,
  );
  if (!result.ok) {
    if (result.code === "account_locked") return seeOther("/login?error=account_locked");
    if (result.code === "provider_cancelled") return seeOther(current ? "/account?error=provider_cancelled#ways-section" : "/login?error=provider_cancelled");
    if (result.code === "provider_unreachable") {
      return page(503, { title: `We couldn’t reach ${result.providerName}`, paragraphs: [`${result.providerName} did not answer in time. Nothing was changed, and nobody was signed out.`, "Please try again in a moment."], link: { href: current ? "/account" : "/login", label: "Try again" } });
    }
    return page(400, { title: "That sign-in didn’t work", paragraphs: [`Signing in with ${result.providerName} was refused: ${result.why}.`, "Nothing was created or changed. Start again from the sign-in page."], link: { href: current ? "/account" : "/login", label: current ? "Back to your account" : "Back to sign in" } });
  }
  switch (result.kind) {
    case "signed_in":
      return withCookies(seeOther(result.next), result.signedIn.tokens.cookies);
    case "second_factor":
      return withCookies(seeOther(`/login/verify?next=${encodeURIComponent(result.next)}`), [secondStepCookie(result.pendingToken, ctx.config)]);
    case "verify_email":
      return withCookies(seeOther("/register/verify?via=provider"), [signUpCookie(result.challengeId, ctx.config)]);
    case "link":
      return seeOther(result.signedInAs ? "/account/connect" : "/login?next=%2Faccount%2Fconnect&link=1");
    case "connected":
      return seeOther(`${result.next.split("#")[0]}${result.next.includes("?") ? "&" : "?"}notice=provider_connected#ways-section`);
    case "reauth_code":
      return seeOther("/account/confirm-code");
    case "reauthenticated":
      return withCookies(seeOther(`${result.next.split("#")[0]}${result.next.includes("?") ? "&" : "?"}notice=reauthenticated`), result.tokens.cookies);
  }
});

function page(status: number, content: Parameters<typeof plainPage>[0]): NextResponse {
  return new NextResponse(plainPage(content), { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": NO_STORE, "content-security-policy": PLAIN_PAGE_CSP } });
}

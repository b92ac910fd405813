// Signing out ends the session on the server (its refresh token stops working everywhere), then
// clears the cookies. `?everywhere=1` ends every session of the account, and needs a live one.
// Idempotent otherwise: signing out twice, or while signed out, still answers 204.
import { failWith, noContent, seeOther, withCookies, withoutTokenCookies } from "@/lib/edge/answer";
import { clearedProviderCookie, cookieNames } from "@/lib/edge/cookies";
import { inputMode } from "@/lib/edge/read-input";
import { signOut, signOutEverywhere } from "@/lib/server/actions/sign-out";
import { answerThrown, route } from "@/lib/server/route";

export const POST = route(async (request, ctx) => {
  const form = inputMode(request) === "form";
  const names = cookieNames(ctx.config);
  const held = { refreshToken: request.cookies.get(names.refresh)?.value, accessToken: request.cookies.get(names.access)?.value };
  try {
    if (request.nextUrl.searchParams.get("everywhere") === "1") {
      const result = await signOutEverywhere(held, ctx);
      if (!result.ok && result.code === "reauthentication_required") {
        return form ? seeOther("/account?form=confirm&error=reauthentication_required#confirm-section") : failWith(result.code);
      }
      if (!result.ok) return form ? seeOther("/login") : failWith(result.code);
    } else {
      await signOut(held, ctx);
    }
  } catch (error) {
    // The cookies stay: clearing them would hide a session that is still live on the server.
    return form ? seeOther("/dashboard?signout=failed") : answerThrown(request, error);
  }
  // A provider's sign-in waiting in this browser goes too: the next person at it must not find it.
  return withCookies(withoutTokenCookies(form ? seeOther("/login?signedout=1") : noContent(), ctx.config), [clearedProviderCookie(ctx.config)]);
});

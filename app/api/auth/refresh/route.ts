// The one refresh path. The middleware calls it for page and API requests; browsers and other
// clients may call it directly. Nothing else rotates refresh tokens.
import { errorResponse, failWith, json, tooManyAttempts, withCookies, withoutTokenCookies } from "@/lib/edge/answer";
import { cookieNames } from "@/lib/edge/cookies";
import { refreshTokens } from "@/lib/server/actions/refresh";
import { route } from "@/lib/server/route";

export const POST = route(async (request, ctx) => {
  const result = await refreshTokens(request.cookies.get(cookieNames(ctx.config).refresh)?.value, ctx);
  if (result.ok) {
    const { accessTokenExpiresAt, sessionExpiresAt, cookies } = result.tokens;
    return withCookies(json({ accessTokenExpiresAt, sessionExpiresAt }), cookies);
  }
  if (result.code === "rate_limited") {
    // The cookies stay: too many failures from this IP is not a reason to sign anyone out.
    const { error, headers } = tooManyAttempts(result.retryAfterSeconds);
    return errorResponse(error, headers);
  }
  return withoutTokenCookies(failWith(result.code), ctx.config);
});

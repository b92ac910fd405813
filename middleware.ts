// Edge middleware: checks the access token on protected pages and API routes and, when it is
// missing or expired, refreshes it silently from the refresh cookie so that the page the person
// asked for renders signed in on the very first response.
//
// Runs on the Edge runtime, so it imports nothing that needs Node or the database; the refresh
// itself happens in the Node route handler it calls (docs/decisions/0001-edge-middleware.md).
import { NextResponse, type NextRequest } from "next/server";
import { isDueForRenewal, verifyAccessToken, type AccessClaims } from "@/lib/auth/access-token";
import { cookieNames } from "@/lib/auth/cookies";
import { refreshAtEdge, replaceCookies } from "@/lib/auth/edge-refresh";
import { MIDDLEWARE_HEADERS, SESSION_ID_HEADER, USER_ID_HEADER } from "@/lib/auth/request-headers";
import { routePolicy, type RoutePolicy } from "@/lib/auth/route-policy";
import { getConfig, type Config } from "@/lib/env";
import { CSRF_REFUSAL, isCrossSite } from "@/lib/http/csrf";
import { contentSecurityPolicy, nonce, servesPage } from "@/lib/http/content-security-policy";
import { UNAVAILABLE_PAGE_CSP, unavailablePage } from "@/lib/http/unavailable-page";

const PROTECTED_CACHE_CONTROL = "private, no-store, max-age=0";

export async function middleware(request: NextRequest) {
  const policy = routePolicy(request.nextUrl.pathname);
  const headers = new Headers(request.headers);
  for (const name of MIDDLEWARE_HEADERS) headers.delete(name);

  let config: Config;
  try {
    config = getConfig();
  } catch (error) {
    console.error("[keycard]", error);
    return unavailable(request, policy, headers);
  }

  // Pages get a Content-Security-Policy with a fresh nonce. Next reads it from the request
  // headers and puts the nonce on its own scripts; the browser gets the same policy.
  const csp = servesPage(request) ? contentSecurityPolicy(nonce(), !config.production) : null;
  if (csp) headers.set("content-security-policy", csp);

  const response = await authenticate(request, policy, headers, config);
  if (csp && !response.headers.has("content-security-policy")) response.headers.set("content-security-policy", csp);
  return response;
}

async function authenticate(request: NextRequest, policy: RoutePolicy, headers: Headers, config: Config): Promise<NextResponse> {
  // Every state-changing request, on every route, is checked here before anything else runs.
  if (isCrossSite(request, config.appOrigin)) {
    return NextResponse.json({ error: CSRF_REFUSAL }, { status: 403, headers: { "cache-control": "no-store" } });
  }
  if (policy === "public") return NextResponse.next({ request: { headers } });
  const now = new Date();
  const names = cookieNames(config);

  // A valid token is used as it is, unless it is about to expire: then it is renewed now, so that
  // it cannot expire between this check and the render's own (but it still serves if renewal fails).
  let stillValid: AccessClaims | null = null;
  const access = request.cookies.get(names.access)?.value;
  if (access) {
    const verified = await verifyAccessToken(access, config, now);
    if (verified.ok && !isDueForRenewal(verified.claims, config, now)) return proceed(headers, policy, verified.claims);
    if (verified.ok) stillValid = verified.claims;
  }

  const refresh = request.cookies.get(names.refresh)?.value;
  if (!refresh) return stillValid ? proceed(headers, policy, stillValid) : signedOut(request, policy, headers);

  const outcome = await refreshAtEdge({ name: names.refresh, value: refresh }, {
    internalOrigin: config.internalOrigin,
    userAgent: request.headers.get("user-agent"),
    forwardedFor: request.headers.get("x-forwarded-for"),
  });

  if (outcome.kind === "unavailable") return stillValid ? proceed(headers, policy, stillValid) : unavailable(request, policy, headers);
  if (outcome.kind === "signed-out") return withSetCookie(signedOut(request, policy, headers), outcome.setCookie);

  // The render must see the new access token in this same request: rewrite the Cookie header
  // before NextResponse.next() copies the request headers.
  headers.set("cookie", replaceCookies(headers.get("cookie"), outcome.values));
  const verified = await verifyAccessToken(outcome.values.get(names.access) ?? "", config, now);
  if (!verified.ok) return unavailable(request, policy, headers);
  return withSetCookie(proceed(headers, policy, verified.claims), outcome.setCookie);
}

function proceed(headers: Headers, policy: RoutePolicy, claims: AccessClaims) {
  headers.set(USER_ID_HEADER, claims.userId);
  headers.set(SESSION_ID_HEADER, claims.sessionId);
  const response = NextResponse.next({ request: { headers } });
  if (policy !== "optional") response.headers.set("cache-control", PROTECTED_CACHE_CONTROL);
  return response;
}

function signedOut(request: NextRequest, policy: RoutePolicy, headers: Headers) {
  if (policy === "protected-page") {
    const login = request.nextUrl.clone();
    login.pathname = "/login";
    login.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
    const response = NextResponse.redirect(login, 307);
    response.headers.set("cache-control", PROTECTED_CACHE_CONTROL);
    return response;
  }
  if (policy === "protected-api") {
    return NextResponse.json(
      { error: { code: "unauthenticated", message: "You are not signed in." } },
      { status: 401, headers: { "cache-control": PROTECTED_CACHE_CONTROL } },
    );
  }
  return NextResponse.next({ request: { headers } });
}

function unavailable(request: NextRequest, policy: RoutePolicy, headers: Headers) {
  const retry = { "retry-after": "5", "cache-control": PROTECTED_CACHE_CONTROL };
  if (policy === "protected-page") {
    return new NextResponse(unavailablePage(request.nextUrl.pathname + request.nextUrl.search), {
      status: 503,
      headers: { ...retry, "content-type": "text/html; charset=utf-8", "content-security-policy": UNAVAILABLE_PAGE_CSP },
    });
  }
  if (policy === "protected-api") {
    return NextResponse.json(
      { error: { code: "store_unavailable", message: "Sign-in is briefly unavailable. Please try again in a moment." } },
      { status: 503, headers: retry },
    );
  }
  // A page that merely shows who is signed in renders signed out, and keeps the cookies.
  return NextResponse.next({ request: { headers } });
}

function withSetCookie(response: NextResponse, setCookie: string[]) {
  for (const line of setCookie) response.headers.append("set-cookie", line);
  return response;
}

export const config = {
  // Everything but Next's static files; routePolicy decides what needs a session.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt).*)"],
};

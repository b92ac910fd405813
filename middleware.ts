// Edge middleware: checks the access token on protected pages and API routes and, when it is
// missing or expired, refreshes it silently from the refresh cookie so that the page the person
// asked for renders signed in on the very first response.
//
// Runs on the Edge runtime: it imports only lib/edge/ and lib/env.ts, never Node or the database
// (lib/architecture.test.ts holds that line); the refresh itself happens in the Node route
// handler it calls (docs/decisions/0001-edge-middleware.md).
import { NextResponse, type NextRequest } from "next/server";
import { isDueForRenewal, verifyAccessToken, type AccessClaims } from "@/lib/edge/access-token";
import { errorResponse, failWith, PRIVATE_NO_STORE } from "@/lib/edge/answer";
import { contentSecurityPolicy, nonce, servesPage } from "@/lib/edge/content-security-policy";
import { cookieNames } from "@/lib/edge/cookies";
import { clientInfo } from "@/lib/edge/client-info";
import { isCrossSite } from "@/lib/edge/csrf";
import { apiError } from "@/lib/edge/errors";
import { callRefreshRoute, replaceCookies } from "@/lib/edge/refresh-call";
import { logPageRequest } from "@/lib/edge/page-log";
import { MIDDLEWARE_HEADERS, REQUEST_ID_HEADER, SESSION_ID_HEADER, USER_ID_HEADER } from "@/lib/edge/request-headers";
import { routePolicy, type RoutePolicy } from "@/lib/edge/route-policy";
import { UNAVAILABLE_PAGE_CSP, unavailablePage } from "@/lib/edge/unavailable-page";
import { getEdgeConfig, type EdgeConfig } from "@/lib/env";

export async function middleware(request: NextRequest) {
  let config: EdgeConfig;
  try {
    config = getEdgeConfig();
  } catch (error) {
    console.error("[keycard]", error);
    return unavailable(request, routePolicy(request.nextUrl.pathname), strippedHeaders(request));
  }
  return handle(request, config);
}

/** The middleware with its configuration as a parameter (tests give their own). */
export async function handle(request: NextRequest, config: EdgeConfig): Promise<NextResponse> {
  const started = performance.now();
  const policy = routePolicy(request.nextUrl.pathname);
  const headers = strippedHeaders(request);
  // One id per request for the logs: a trusted proxy's X-Request-Id, else a new one.
  const requestId = requestIdFor(request, config);
  headers.set(REQUEST_ID_HEADER, requestId);

  // Pages get a Content-Security-Policy with a fresh nonce. Next reads it from the request
  // headers and puts the nonce on its own scripts; the browser gets the same policy.
  const csp = servesPage(request) ? contentSecurityPolicy(nonce(), !config.production, config.providerOrigins) : null;
  if (csp) headers.set("content-security-policy", csp);

  const response = await authenticate(request, policy, headers, config);
  if (csp && !response.headers.has("content-security-policy")) response.headers.set("content-security-policy", csp);
  // Browsers remember HTTPS-only for two years; never on plain-HTTP development.
  if (config.cookieSecure) response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  response.headers.set("x-request-id", requestId);
  if (policy === "protected-page" || policy === "optional") {
    logPageRequest({
      requestId,
      method: request.method,
      pathname: request.nextUrl.pathname,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      userId: headers.get(USER_ID_HEADER) ?? undefined,
      sessionId: headers.get(SESSION_ID_HEADER) ?? undefined,
      ip: clientInfo(request, config.trustedProxies).ip,
    });
  }
  return response;
}

/** A trusted proxy's X-Request-Id when it looks like one (no header injection, bounded), else a new UUID. */
function requestIdFor(request: NextRequest, config: EdgeConfig): string {
  const given = config.trustedProxies > 0 ? request.headers.get("x-request-id") : null;
  return given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
}

async function authenticate(request: NextRequest, policy: RoutePolicy, headers: Headers, config: EdgeConfig): Promise<NextResponse> {
  // Every state-changing request, on every route, is checked here before anything else runs.
  if (isCrossSite(request, config)) return failWith("csrf");
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

  const outcome = await callRefreshRoute({ name: names.refresh, value: refresh }, {
    internalOrigin: config.internalOrigin,
    userAgent: request.headers.get("user-agent"),
    forwardedFor: request.headers.get("x-forwarded-for"),
    hop: config.internalHop,
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

/** The request's headers without any that only the middleware may set. */
function strippedHeaders(request: NextRequest): Headers {
  const headers = new Headers(request.headers);
  for (const name of MIDDLEWARE_HEADERS) headers.delete(name);
  return headers;
}

function proceed(headers: Headers, policy: RoutePolicy, claims: AccessClaims) {
  headers.set(USER_ID_HEADER, claims.userId);
  headers.set(SESSION_ID_HEADER, claims.sessionId);
  const response = NextResponse.next({ request: { headers } });
  if (policy !== "optional") response.headers.set("cache-control", PRIVATE_NO_STORE);
  return response;
}

function signedOut(request: NextRequest, policy: RoutePolicy, headers: Headers) {
  if (policy === "protected-page") {
    const login = request.nextUrl.clone();
    login.pathname = "/login";
    login.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
    const response = NextResponse.redirect(login, 307);
    response.headers.set("cache-control", PRIVATE_NO_STORE);
    return response;
  }
  if (policy === "protected-api") return failWith("unauthenticated", { "cache-control": PRIVATE_NO_STORE });
  return NextResponse.next({ request: { headers } });
}

function unavailable(request: NextRequest, policy: RoutePolicy, headers: Headers) {
  const retry = { "retry-after": "5", "cache-control": PRIVATE_NO_STORE };
  if (policy === "protected-page") {
    return new NextResponse(unavailablePage(request.nextUrl.pathname + request.nextUrl.search), {
      status: 503,
      headers: { ...retry, "content-type": "text/html; charset=utf-8", "content-security-policy": UNAVAILABLE_PAGE_CSP },
    });
  }
  if (policy === "protected-api") return errorResponse(apiError("store_unavailable"), retry);
  // A page that merely shows who is signed in renders signed out, and keeps the cookies.
  return NextResponse.next({ request: { headers } });
}

function withSetCookie(response: NextResponse, setCookie: string[]) {
  for (const line of setCookie) response.headers.append("set-cookie", line);
  return response;
}

export const config = {
  // Everything but Next's static files and three public documents, each matched whole (a path
  // that only starts like one, /robots.txtX, is not excluded); routePolicy decides what needs a session.
  matcher: ["/((?!(?:_next/static|_next/image)(?:/|$)|(?:favicon\\.ico|icon\\.svg|robots\\.txt)$).*)"],
};

// Which requests need a signed-in person. Edge-safe. Fails closed: every page and API route needs a
// session unless it is listed below as public or optional, so a page someone adds is protected
// without anyone remembering to list it. The middleware's `matcher` only keeps static assets out.

export type RoutePolicy =
  /** A page that needs a session: signed-out visitors go to the sign-in page. */
  | "protected-page"
  /** An API route that needs a session: signed-out callers get 401 JSON. */
  | "protected-api"
  /** A page that shows who is signed in if anyone is (home, sign-in, sign-up): refresh, never redirect. */
  | "optional"
  /** Needs no session at all: the auth routes themselves, public documents, Next's own files. */
  | "public";

const PUBLIC_PATHS = new Set([
  "/api/auth/login",
  "/api/auth/register",
  "/api/auth/refresh",
  // Signing out works with whatever the browser still holds, even an expired session.
  "/api/auth/logout",
  // Mailed codes and links: the person proving an address is not signed in (yet, or any more).
  "/api/auth/register/verify",
  // The second step of a sign-in: a pending attempt, not yet a session (a code, or a passkey).
  "/api/auth/login/verify",
  "/api/auth/login/verify/passkey/options",
  "/api/auth/login/verify/passkey",
  // Signing in with a passkey: the attempt's challenge, then its signed answer.
  "/api/auth/passkeys/sign-in/options",
  "/api/auth/passkeys/sign-in",
  "/api/auth/register/resend",
  "/api/auth/password-reset",
  "/api/auth/password-reset/confirm",
  "/api/auth/email/undo",
  // Answers 404 unless mail goes to the local mailbox (a developer's machine).
  "/dev/mailbox",
  "/.well-known/jwks.json",
  // A load balancer's health checks carry no session; the metrics route checks its own token.
  "/api/health/live",
  "/api/health/ready",
  "/metrics",
  "/favicon.ico",
  "/icon.svg",
  "/robots.txt",
  // Exists only in the benchmark's own build (next.config.js): the unprotected page it measures.
  "/bench/open",
  "/api/bench/empty",
]);
const PUBLIC_PREFIXES = ["/_next/", "/dev/mailbox/"];
const OPTIONAL_PAGES = new Set(["/", "/login", "/login/verify", "/register", "/register/verify", "/forgot-password", "/reset-password", "/undo-email-change"]);

// Leaving for another provider and coming back: anyone may (a sign-in), and a session is used when
// there is one (connecting a provider, confirming it's you), so it is refreshed on the way.
const PROVIDER_ROUTE = /^\/api\/auth\/oauth\/[a-z][a-z0-9-]{0,31}\/(start|callback)$/;

export function routePolicy(pathname: string): RoutePolicy {
  if (PUBLIC_PATHS.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p))) return "public";
  if (OPTIONAL_PAGES.has(pathname) || PROVIDER_ROUTE.test(pathname)) return "optional";
  return pathname === "/api" || pathname.startsWith("/api/") ? "protected-api" : "protected-page";
}

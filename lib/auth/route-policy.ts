// Which requests need a signed-in person. Edge-safe. The middleware's `matcher` only keeps static
// assets out; this decides everything else.

export type RoutePolicy =
  /** A page that needs a session: signed-out visitors go to the sign-in page. */
  | "protected-page"
  /** An API route that needs a session: signed-out callers get 401 JSON. */
  | "protected-api"
  /** A page that shows who is signed in if anyone is (home, sign-in, sign-up): refresh, never redirect. */
  | "optional"
  /** Everything else, including the auth routes themselves. */
  | "public";

const PROTECTED_PAGES = ["/dashboard", "/account", "/bench/protected"];
const PROTECTED_API = ["/api/auth/session", "/api/auth/sessions", "/api/auth/password", "/api/auth/activity"];
const OPTIONAL_PAGES = ["/", "/login", "/register"];

const under = (pathname: string, prefix: string) =>
  pathname === prefix || pathname.startsWith(prefix === "/" ? "/" : `${prefix}/`);

export function routePolicy(pathname: string): RoutePolicy {
  if (PROTECTED_API.some((p) => under(pathname, p))) return "protected-api";
  if (PROTECTED_PAGES.some((p) => under(pathname, p))) return "protected-page";
  if (OPTIONAL_PAGES.includes(pathname)) return "optional";
  return "public";
}

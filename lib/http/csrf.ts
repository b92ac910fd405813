// Cross-site request forgery: a state-changing request must come from our own pages. Edge-safe.
//
// Browsers say where a request comes from: Sec-Fetch-Site (every current browser) and Origin (on
// every POST). A request with neither is not from a browser (curl, another server, the
// middleware's own refresh call), and CSRF needs a browser carrying someone's cookies, so it may
// pass. SameSite=Lax cookies are the second wall, not the only one.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when a browser sent this state-changing request from another site. */
export function isCrossSite(request: Request, appOrigin: string | undefined): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const site = request.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin";
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return origin !== (appOrigin ?? new URL(request.url).origin);
}

export const CSRF_REFUSAL = {
  code: "csrf",
  message: "This request came from another site, so it was refused. Use Keycard's own pages.",
};

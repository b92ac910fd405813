// Cross-site request forgery: a state-changing request must come from our own pages. Edge-safe.
//
// Browsers say where a request comes from: Sec-Fetch-Site (every current browser) and Origin (on
// every POST). A request with neither is not from a browser (curl, another server, the
// middleware's own refresh call), and CSRF needs a browser carrying someone's cookies, so it may
// pass. SameSite=Lax cookies are the second wall, not the only one.
//
// Without Sec-Fetch-Site, Origin is compared with APP_ORIGIN, or, when that is not set, with the
// address the request was sent to (its Host header, or the nearest trusted proxy's
// X-Forwarded-Host): a browser always sends the Host it is talking to, so a page on another site
// cannot pass as this one, and a client that reached the server as 127.0.0.1 is not refused for
// not calling it localhost.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type Settings = { appOrigin: string | undefined; trustedProxies: number };

/** True when a browser sent this state-changing request from another site. */
export function isCrossSite(request: Request, settings: Settings): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const site = request.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin";
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return origin !== (settings.appOrigin ?? addressedOrigin(request, settings.trustedProxies));
}

/** The origin the client addressed: scheme and host as it sent them. */
function addressedOrigin(request: Request, trustedProxies: number): string {
  const url = new URL(request.url);
  const forwarded = (name: string) =>
    trustedProxies > 0 ? request.headers.get(name)?.split(",").at(-1)?.trim() || null : null;
  const host = forwarded("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const scheme = forwarded("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  return `${scheme}://${host}`;
}

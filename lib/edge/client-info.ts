// Who is asking, as far as a server can tell: recorded with sessions and security events, and the
// key of the per-IP limits. Edge-safe.
//
// X-Forwarded-For is a list each proxy appends to; only the entries added by proxies we run can be
// believed. With TRUSTED_PROXIES=N the client is the Nth entry from the end (what the outermost
// trusted proxy saw). With 0 (no proxy), the last entry: Next.js sets it from the socket when the
// request has none — but keeps one a client sent itself, so without a proxy that strips it a client
// can choose the address it is counted under (docs/deploying.md, docs/security.md).

export type ClientInfo = { userAgent: string | null; ip: string | null };

export function clientInfo(request: Request, trustedProxies: number): ClientInfo {
  const userAgent = request.headers.get("user-agent")?.slice(0, 512) ?? null;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chosen = entries[Math.max(0, entries.length - Math.max(1, trustedProxies))]?.slice(0, 64) ?? null;
  // An IPv4 client on a dual-stack socket arrives as ::ffff:203.0.113.9; people know the IPv4 form.
  const ip = chosen?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1") ?? null;
  return { userAgent, ip };
}

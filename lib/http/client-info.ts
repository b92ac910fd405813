// Who is asking, as far as a server can tell: recorded with sessions and security events.

export function clientInfo(request: Request): { userAgent: string | null; ip: string | null } {
  const userAgent = request.headers.get("user-agent")?.slice(0, 512) ?? null;
  // The last x-forwarded-for entry is the one added by the nearest proxy (Next's own server adds
  // it when there is none); earlier entries are whatever the client claimed.
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim().slice(0, 64) || null;
  // An IPv4 client on a dual-stack socket arrives as ::ffff:203.0.113.9; people know the IPv4 form.
  const ip = last?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1") ?? null;
  return { userAgent, ip };
}

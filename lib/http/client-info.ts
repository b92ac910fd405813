// Who is asking, as far as a server can tell: recorded with sessions and security events.

export function clientInfo(request: Request): { userAgent: string | null; ip: string | null } {
  const userAgent = request.headers.get("user-agent")?.slice(0, 512) ?? null;
  // The last x-forwarded-for entry is the one added by the nearest proxy (Next's own server adds
  // it when there is none); earlier entries are whatever the client claimed.
  const forwarded = request.headers.get("x-forwarded-for");
  const ip = forwarded?.split(",").at(-1)?.trim().slice(0, 64) || null;
  return { userAgent, ip };
}

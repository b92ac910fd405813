// Prometheus text format, for a scraper holding METRICS_TOKEN (`Authorization: Bearer <token>`).
// Without METRICS_TOKEN the route does not exist (404). Never cached.
import { createHash, timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { failWith } from "@/lib/edge/answer";
import { metrics } from "@/lib/server/metrics";
import { route } from "@/lib/server/route";

const digest = (value: string) => createHash("sha256").update(value).digest();

export const GET = route(async (request, ctx) => {
  const token = ctx.config.metricsToken;
  if (!token) return new NextResponse(null, { status: 404, headers: { "cache-control": "no-store" } });
  const presented = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  // Compared as fixed-length digests, in constant time: the answer's timing says nothing of the token.
  if (!timingSafeEqual(digest(presented), digest(token))) {
    return failWith("unauthenticated", { "www-authenticate": 'Bearer realm="metrics"' });
  }
  const { registry } = metrics();
  return new NextResponse(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});

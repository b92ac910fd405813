// 200 only when this instance can serve: the database answers, migrations are applied and the
// signing keys load; 503 with a fixed reason otherwise.
import { errorResponse, json } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { checkReadiness } from "@/lib/server/health";
import { route } from "@/lib/server/route";

export const GET = route(async (_request, ctx) => {
  const readiness = await checkReadiness(ctx.db, ctx.config, ctx.now);
  if (readiness.ready) return json({ status: "ready" });
  return errorResponse(apiError("not_ready", { message: `Not ready: ${readiness.reason.replace(/_/g, " ")}.` }), { "retry-after": "5" });
});

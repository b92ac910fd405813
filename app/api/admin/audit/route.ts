import { answerFailure, json } from "@/lib/edge/answer";
import { operatorAuditInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { auditEntries } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

// The audit log, newest first, 50 at a time: filtered by operator or person (address or id) and
// action; `next` is the `before` of the next page.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute({
  GET: async (request, _operator, ctx) => {
    const parsed = operatorAuditInput.safeParse(Object.fromEntries(request.nextUrl.searchParams));
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "filter"), "filter_invalid"]));
      return answerFailure("json", apiError("validation_failed", { fields }), { page: "/admin/audit" });
    }
    return json(await auditEntries(parsed.data, ctx));
  },
});

import { answerFailure, json } from "@/lib/edge/answer";
import { operatorSearchInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { searchPeople } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

// People whose address starts with `q`, 25 at a time: `next` is the `after` of the next page.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute({
  GET: async (request, _operator, ctx) => {
    const parsed = operatorSearchInput.safeParse(Object.fromEntries(request.nextUrl.searchParams));
    if (!parsed.success) return answerFailure("json", apiError("validation_failed", { fields: { q: "search_invalid" } }), { page: "/admin" });
    return json(await searchPeople(parsed.data, ctx));
  },
});

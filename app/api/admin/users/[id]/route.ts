import { failWith, json } from "@/lib/edge/answer";
import { personDetail } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

type Params = { params: Promise<{ id: string }> };

// One person as an operator sees them: no secret, no hash, no token, no mail body.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute<Params>({
  GET: async (_request, _operator, ctx, { params }) => {
    const person = await personDetail((await params).id, ctx);
    return person ? json(person) : failWith("user_not_found");
  },
});

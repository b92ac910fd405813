import { operatorSessionsInput } from "@/lib/edge/credentials";
import { endSessionsOf } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// Ends one of the person's sessions ({sessionId}) or, with no body, all of them.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorSessionsInput,
  notice: "sessions_revoked",
  fragment: "sessions",
  act: (operator, { id }, input, ctx) => endSessionsOf(operator, id, input, ctx),
});

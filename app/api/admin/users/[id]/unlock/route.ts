import { operatorOptionalReasonInput } from "@/lib/edge/credentials";
import { unlockPerson } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// Lifts an operator's lock.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorOptionalReasonInput,
  notice: "account_unlocked",
  fragment: "actions",
  act: (operator, { id }, input, ctx) => unlockPerson(operator, id, input, ctx),
});

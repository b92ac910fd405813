import { operatorReasonInput } from "@/lib/edge/credentials";
import { lockPerson } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// Locks the account: nobody signs in by any way, nobody resets it, every session ends at once.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorReasonInput,
  notice: "account_locked",
  fragment: "actions",
  act: (operator, { id }, input, ctx) => lockPerson(operator, id, input, ctx),
});

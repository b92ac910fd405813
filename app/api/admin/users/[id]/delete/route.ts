import { operatorReasonInput } from "@/lib/edge/credentials";
import { deletePerson } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// Deletes the account, with a last mail to the person.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorReasonInput,
  notice: "account_deleted",
  fragment: "actions",
  act: (operator, { id }, input, ctx) => deletePerson(operator, id, input, ctx),
});

import { operatorNoInput } from "@/lib/edge/credentials";
import { requirePasswordReset } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// The person's password stops working; a link to choose a new one is mailed.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorNoInput,
  notice: "password_reset_required",
  fragment: "actions",
  act: (operator, { id }, _input, ctx) => requirePasswordReset(operator, id, ctx),
});

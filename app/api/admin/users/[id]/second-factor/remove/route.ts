import { operatorReasonInput } from "@/lib/edge/credentials";
import { removeSecondFactor } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// Removes the app, its recovery codes and the passkeys, after the person proved who they are out of band (reason: how).
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorReasonInput,
  notice: "second_factor_removed",
  fragment: "actions",
  act: (operator, { id }, input, ctx) => removeSecondFactor(operator, id, input, ctx),
});

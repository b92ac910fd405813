import { operatorNoInput } from "@/lib/edge/credentials";
import { resendMail } from "@/lib/server/actions/operators";
import { operatorChange } from "@/lib/server/route";

// A mail to the person that failed, sent once more.
export const { GET, POST, PUT, PATCH, DELETE } = operatorChange({
  input: operatorNoInput,
  notice: "mail_resent",
  fragment: "mail",
  act: (operator, { id, mailId }: { id: string; mailId: string }, _input, ctx) => resendMail(operator, id, mailId, ctx),
});

import { accountDone, answerFailure, answerRefusal } from "@/lib/edge/answer";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { passkeyNameInput } from "@/lib/edge/webauthn-input";
import { renameOwnPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";

const PAGE = { page: "/account", fragment: "passkeys-section" };

export const POST = withSession<{ params: Promise<{ id: string }> }>(async (request, { actor }, ctx, { params }) => {
  const input = await readInput(request, passkeyNameInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, PAGE);
  const result = await renameOwnPasskey(actor, { id: (await params).id, name: input.data.name }, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, PAGE);
  return accountDone(request, "passkey_renamed");
});

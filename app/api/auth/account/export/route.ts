import { NextResponse } from "next/server";
import { failWith, PRIVATE_NO_STORE, seeOther } from "@/lib/edge/answer";
import { exportAccountData } from "@/lib/server/actions/leave";
import { withSession } from "@/lib/server/route";

// "Download my data": a JSON file of everything Keycard keeps about the person. Needs a fresh
// sign-in: a script asking gets 403; a browser following the link without JavaScript is sent to
// the account page's confirm form, then follows it again.
export const GET = withSession(async (request, { actor }, ctx) => {
  const result = await exportAccountData(actor, ctx);
  if (!result.ok) {
    const navigating = request.headers.get("sec-fetch-mode") === "navigate";
    return navigating ? seeOther("/account?form=confirm&error=reauthentication_required#confirm-section") : failWith(result.code);
  }
  return new NextResponse(`${JSON.stringify(result.data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(ctx.now)}"`,
      "cache-control": PRIVATE_NO_STORE,
    },
  });
});

const exportFileName = (now: Date) => `keycard-data-${now.toISOString().slice(0, 10)}.json`;

import { NextResponse } from "next/server";
import { PRIVATE_NO_STORE } from "@/lib/edge/answer";
import { exportAccountData } from "@/lib/server/actions/leave";
import { withSession } from "@/lib/server/route";

// "Download my data": a JSON file of everything Keycard keeps about the person.
export const GET = withSession(async (_request, { actor }, ctx) => {
  const data = await exportAccountData(actor, ctx);
  return new NextResponse(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="keycard-data-${ctx.now.toISOString().slice(0, 10)}.json"`,
      "cache-control": PRIVATE_NO_STORE,
    },
  });
});

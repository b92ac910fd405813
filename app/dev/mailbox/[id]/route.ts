import { NextResponse } from "next/server";
import { failWith } from "@/lib/edge/answer";
import { getConfig } from "@/lib/env";
import { readLocalMail } from "@/lib/server/mail/mailbox";
import { route } from "@/lib/server/route";

// One mail's HTML part as a mail client would show it, from the local mailbox only. Its own
// policy: no script, no request anywhere, the inline styles a mail carries.
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, ctx, { params }) => {
  if (!getConfig().mail.localMailbox) return new NextResponse("Not found", { status: 404 });
  const mail = await readLocalMail((await params).id, ctx);
  if (!mail) return failWith("not_found");
  return new NextResponse(mail.html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "cache-control": "no-store",
    },
  });
});

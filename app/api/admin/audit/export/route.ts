import { NextResponse } from "next/server";
import { NO_STORE } from "@/lib/edge/answer";
import { auditExport } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

// The whole audit log, oldest first, one JSON object per line (for a SIEM), streamed.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute({
  GET: async (_request, _operator, ctx) => {
    const lines = auditExport(ctx);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(new TextEncoder().encode(`${next.value}\n`));
      },
    });
    const day = ctx.now.toISOString().slice(0, 10);
    return new NextResponse(body, {
      headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="keycard-audit-${day}.jsonl"`, "cache-control": NO_STORE },
    });
  },
});

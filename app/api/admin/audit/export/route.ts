import { NextResponse } from "next/server";
import { failWith, NO_STORE } from "@/lib/edge/answer";
import { startAuditExport } from "@/lib/server/actions/operators";
import { log } from "@/lib/server/log";
import { operatorRoute } from "@/lib/server/route";

// The whole audit log, oldest first, one JSON object per line (for a SIEM), streamed. It needs a
// fresh second factor, and is itself written to the log.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute({
  GET: async (_request, operator, ctx) => {
    const started = await startAuditExport(operator, ctx);
    if (!started.ok) return failWith(started.code);
    const { lines } = started;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(new TextEncoder().encode(`${next.value}\n`));
        } catch (error) {
          // Cut off mid-way: the response is aborted, not ended, so a reader never takes a
          // partial file for the whole log.
          log().error({ fault: error instanceof Error ? error.message : String(error) }, "audit export failed");
          controller.error(error);
        }
      },
    });
    const day = ctx.now.toISOString().slice(0, 10);
    return new NextResponse(body, {
      headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="keycard-audit-${day}.jsonl"`, "cache-control": NO_STORE },
    });
  },
});

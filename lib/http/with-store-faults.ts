// A route handler whose unexpected failure (the database down, a disk full) answers 503 with the
// stable code `store_unavailable` instead of a 500, and leaves the browser's cookies alone: a
// fault is never a reason to sign anyone out.
import type { NextResponse } from "next/server";
import { errorResponse, storeUnavailable } from "./errors";

type Handler<R extends Request, C> = (request: R, context: C) => Promise<NextResponse | Response>;

export function withStoreFaults<R extends Request, C>(handler: Handler<R, C>): Handler<R, C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      console.error(`[keycard] ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return errorResponse(storeUnavailable);
    }
  };
}

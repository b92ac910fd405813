// Route handlers that need a signed-in person. Node only.
import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/http/errors";
import { withStoreFaults } from "@/lib/http/with-store-faults";
import { getCurrentSession, type CurrentSession } from "./session";

export const UNAUTHENTICATED = { status: 401, code: "unauthenticated", message: "You are not signed in." };

/**
 * Runs `handler` with the live session, or answers 401 without calling it. The session check reads
 * the database, so a session ended elsewhere is refused here at once, valid access token or not.
 */
export function withSession<C>(
  handler: (request: NextRequest, current: CurrentSession, context: C) => Promise<Response>,
) {
  return withStoreFaults(async (request: NextRequest, context: C) => {
    const current = await getCurrentSession();
    if (!current) return errorResponse(UNAUTHENTICATED);
    return handler(request, current, context);
  });
}

import { NextResponse } from "next/server";
import { getCurrentSession } from "@/lib/auth/session";
import { errorResponse, NO_STORE } from "@/lib/http/errors";
import { withStoreFaults } from "@/lib/http/with-store-faults";

export const GET = withStoreFaults(async () => {
  const current = await getCurrentSession();
  if (!current) return errorResponse({ status: 401, code: "unauthenticated", message: "You are not signed in." });
  const { user, session, claims } = current;
  return NextResponse.json(
    {
      user,
      session: {
        id: session.id,
        createdAt: session.createdAt,
        // The nearer end: the idle limit, which each refresh moves on, never past the absolute one.
        expiresAt: session.idleExpiresAt,
        absoluteExpiresAt: session.expiresAt,
        accessTokenExpiresAt: claims.expiresAt,
      },
    },
    { headers: { "cache-control": NO_STORE } },
  );
});

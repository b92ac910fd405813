import { NextResponse } from "next/server";
import { withSession } from "@/lib/auth/route-guard";
import { NO_STORE } from "@/lib/http/errors";

export const GET = withSession(async (_request, { user, session, claims }) =>
  NextResponse.json(
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
  ),
);

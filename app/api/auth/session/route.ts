import { json } from "@/lib/edge/answer";
import { withSession } from "@/lib/server/route";

export const GET = withSession(async (_request, { user, session, claims }) =>
  json({
    user,
    session: {
      id: session.id,
      createdAt: session.createdAt,
      // The nearer end: the idle limit, which each refresh moves on, never past the absolute one.
      expiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.expiresAt,
      accessTokenExpiresAt: claims.expiresAt,
    },
  }),
);

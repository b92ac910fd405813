import { NextResponse } from "next/server";
import { describeDevice } from "@/lib/auth/device";
import { withSession } from "@/lib/auth/route-guard";
import { listLiveSessions } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { NO_STORE } from "@/lib/http/errors";

export const GET = withSession(async (_request, current) => {
  const sessions = await listLiveSessions(getDb(), current.user.id, new Date());
  return NextResponse.json(
    {
      sessions: sessions.map((s) => ({
        id: s.id,
        device: describeDevice(s.userAgent),
        ip: s.ip,
        createdAt: s.createdAt,
        lastActiveAt: s.lastActiveAt,
        current: s.id === current.session.id,
      })),
    },
    { headers: { "cache-control": NO_STORE } },
  );
});

import { NextResponse } from "next/server";
import { describeActivity } from "@/lib/auth/activity";
import { withSession } from "@/lib/auth/route-guard";
import { listSecurityEvents } from "@/lib/auth/security-events";
import { getDb } from "@/lib/db";
import { NO_STORE } from "@/lib/http/errors";

export const GET = withSession(async (_request, current) => {
  const events = await listSecurityEvents(getDb(), current.user.id, new Date());
  return NextResponse.json({ events: events.map(describeActivity) }, { headers: { "cache-control": NO_STORE } });
});

// The smallest route handler: what `npm run bench` compares the refresh route with.
import { NextResponse } from "next/server";
import { getConfig } from "@/lib/env";

export function POST() {
  if (!getConfig().benchRoutes) return new NextResponse(null, { status: 404 });
  return NextResponse.json({ ok: true });
}

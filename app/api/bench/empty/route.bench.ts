// The smallest route handler: what `npm run bench` compares the refresh route with. In the
// benchmark's own build only (next.config.js: KEYCARD_BENCH_BUILD).
import { NextResponse } from "next/server";

export function POST() {
  return NextResponse.json({ ok: true });
}

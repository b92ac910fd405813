// One JSON line per page request, written by the edge middleware. Edge-safe: pino does not run
// on the edge, so the line is built here in pino's shape (time, level 30, msg) and the fields are
// chosen, not copied — no cookies, no query strings. API requests are logged by their route
// handlers (lib/server/route.ts) instead, so each request has exactly one line.
import { getLogSettings } from "@/lib/env";

const PAGES = new Set(["/", "/login", "/register", "/dashboard", "/account"]);
const QUIET = new Set(["silent", "fatal", "error", "warn"]);

export type PageLine = {
  requestId: string;
  method: string;
  pathname: string;
  status: number;
  durationMs: number;
  userId?: string;
  sessionId?: string;
  ip: string | null;
};

export function logPageRequest(line: PageLine): void {
  if (QUIET.has(getLogSettings().level)) return;
  const { pathname, ip, ...rest } = line;
  console.log(
    JSON.stringify({
      level: 30,
      time: new Date().toISOString(),
      ...rest,
      route: PAGES.has(pathname) ? pathname : "other page",
      ...(ip ? { ip } : {}),
      msg: "page",
    }),
  );
}

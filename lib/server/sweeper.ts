// Work that waits for time rather than for a request: noticing sign-ins abandoned at the second
// step (actions/unfinished-sign-ins.ts). Node only. Every instance runs one sweeper, started with
// the first request it serves, like the mail sender; what one instance claims, no other repeats.
import "server-only";
import type { Db } from "@/lib/db";
import type { Config } from "@/lib/env";
import { tellOwnersOfAbandonedSignIns } from "./actions/unfinished-sign-ins";
import { log } from "./log";

const EVERY_MS = 60_000;
const holder = globalThis as unknown as { keycardSweeper?: NodeJS.Timeout };

export function ensureSweeper(db: Db, config: Config): void {
  if (holder.keycardSweeper) return;
  let running = false;
  holder.keycardSweeper = setInterval(() => {
    if (running) return;
    running = true;
    tellOwnersOfAbandonedSignIns(db, config, new Date())
      .catch((error) => log().error({ err: error }, "the sweep for abandoned sign-ins failed (the next one tries again)"))
      .finally(() => (running = false));
  }, EVERY_MS);
  // Never what keeps a process alive.
  holder.keycardSweeper.unref();
  process.once("SIGTERM", () => clearInterval(holder.keycardSweeper));
}

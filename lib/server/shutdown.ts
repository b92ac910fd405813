// A clean stop during a deploy. Node only.
//
// `next start` already handles SIGTERM well: it stops accepting connections, lets the requests in
// flight finish, then calls process.exit(143). Added here: from the signal on, /api/health/ready
// answers 503 `draining`, so a load balancer that still holds a connection stops choosing this
// instance; a bound, SHUTDOWN_GRACE_SECONDS, after which a request that will not finish no longer
// holds the deploy up (exit 1); and at that final exit, the database pool is closed first and a
// clean stop exits 0, which is what a process manager expects of a stop it asked for.
import "server-only";
import { log } from "./log";

let installed = false;
let draining = false;

export function isDraining(): boolean {
  return draining;
}

/** Once per process, with the process's first database client (the resource a drain protects). */
export function installShutdownHandler(graceSeconds: number, closeDatabase: () => Promise<void>): void {
  if (installed) return;
  installed = true;
  process.once("SIGTERM", () => {
    draining = true;
    // Next exits when its server has closed; close the pool on the way out, and call a clean
    // stop a clean stop (Next's 143 is "killed by SIGTERM").
    const exit = process.exit.bind(process);
    process.exit = ((code?: number | string | null) => {
      void closeDatabase()
        .catch((error) => log().error({ err: error }, "could not close the database pool"))
        .finally(() => exit(code === 143 ? 0 : code));
    }) as typeof process.exit;
    log().warn({ graceSeconds }, "SIGTERM: finishing the requests in flight, then exiting");
    setTimeout(() => {
      log().error({ graceSeconds }, "requests still in flight after the grace period: exiting without them");
      process.exit(1);
    }, graceSeconds * 1000).unref();
  });
}

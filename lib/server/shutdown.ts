// A clean stop during a deploy. Node only.
//
// `next start` already handles SIGTERM well: it stops accepting connections, lets the requests in
// flight finish, then exits (code 143, the conventional 128 + SIGTERM). Two things are added here:
// from the signal on, /api/health/ready answers 503 `draining`, so a load balancer that still
// holds a connection stops choosing this instance; and a bound, SHUTDOWN_GRACE_SECONDS, after
// which a request that will not finish no longer holds the deploy up.
import "server-only";
import { log } from "./log";

let installed = false;
let draining = false;

export function isDraining(): boolean {
  return draining;
}

/** Once per process, with the process's first database client (the resource a drain protects). */
export function installShutdownHandler(graceSeconds: number): void {
  if (installed) return;
  installed = true;
  process.once("SIGTERM", () => {
    draining = true;
    log().warn({ graceSeconds }, "SIGTERM: finishing the requests in flight, then exiting");
    setTimeout(() => {
      log().error({ graceSeconds }, "requests still in flight after the grace period: exiting without them");
      process.exit(1);
    }, graceSeconds * 1000).unref();
  });
}

// Counts and timings for Prometheus (GET /metrics, app/metrics/route.ts). Node only.
//
// Every label value comes from a fixed set — outcomes, reasons, limit names, route patterns — never
// from a raw path, a user id or an email, so no request can add a series. One registry per
// process, kept on globalThis so that `next dev` reloading modules does not register twice.
import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

function create() {
  const registry = new Registry();
  // Process metrics: CPU, memory, event-loop lag, handles. Three of prom-client's defaults are
  // gauges named like counters (`nodejs_active_*_total`), which promtool's lint rejects; the
  // per-type `nodejs_active_handles` and friends say the same, correctly named.
  collectDefaultMetrics({ register: registry, prefix: "keycard_" });
  for (const misnamed of ["handles", "requests", "resources"]) registry.removeSingleMetric(`keycard_nodejs_active_${misnamed}_total`);
  const registers = [registry];
  return {
    registry,
    signIns: new Counter({ name: "keycard_sign_ins_total", help: "Sign-in attempts by outcome.", labelNames: ["outcome"] as const, registers }),
    signUps: new Counter({ name: "keycard_sign_ups_total", help: "Sign-up attempts by outcome.", labelNames: ["outcome"] as const, registers }),
    refreshes: new Counter({ name: "keycard_refreshes_total", help: "Refresh attempts by outcome.", labelNames: ["outcome"] as const, registers }),
    sessionsEnded: new Counter({ name: "keycard_sessions_ended_total", help: "Sessions ended, by reason.", labelNames: ["reason"] as const, registers }),
    rateLimitRefusals: new Counter({ name: "keycard_rate_limit_refusals_total", help: "Requests refused by a rate limit, by limit.", labelNames: ["limit"] as const, registers }),
    storeFaults: new Counter({ name: "keycard_store_faults_total", help: "Requests answered 503 because the database could not be used.", registers }),
    bugs: new Counter({ name: "keycard_internal_errors_total", help: "Requests answered 500: bugs, each logged with its stack.", registers }),
    requestDuration: new Histogram({
      name: "keycard_request_duration_seconds",
      help: "Time spent in route handlers, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    rotation: new Histogram({
      name: "keycard_refresh_rotation_seconds",
      help: "Time to rotate a refresh token in the database.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    passwordWork: new Histogram({
      name: "keycard_password_work_seconds",
      help: "Password work by operation (bcrypt hash or compare, zxcvbn score), on a password thread.",
      labelNames: ["op"] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    passwordWait: new Histogram({
      name: "keycard_password_queue_wait_seconds",
      help: "Time a password operation waited for a password thread.",
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    mailDeliveries: new Counter({
      name: "keycard_mail_deliveries_total",
      help: "Attempts to deliver a queued mail, by outcome (sent, retry, failed) and kind.",
      labelNames: ["outcome", "kind"] as const,
      registers,
    }),
    mailQueued: new Counter({ name: "keycard_mail_queued_total", help: "Mails written to the outbox, by kind.", labelNames: ["kind"] as const, registers }),
    operatorActions: new Counter({ name: "keycard_operator_actions_total", help: "Changes operators made to accounts (each one audited), by action.", labelNames: ["action"] as const, registers }),
    passwordQueue: new Gauge({ name: "keycard_password_checks_in_flight", help: "bcrypt operations waiting or running.", registers }),
  };
}

const holder = globalThis as unknown as { keycardMetrics?: ReturnType<typeof create> };

export function metrics(): ReturnType<typeof create> {
  holder.keycardMetrics ??= create();
  return holder.keycardMetrics;
}

// The route handlers that exist; anything else is "other" (a 404 costs no new series).
const ROUTES = [
  "/api/auth/login",
  "/api/auth/register",
  "/api/auth/refresh",
  "/api/auth/logout",
  "/api/auth/session",
  "/api/auth/sessions",
  "/api/auth/sessions/revoke-others",
  "/api/auth/password",
  "/api/auth/activity",
  "/api/health/live",
  "/api/health/ready",
  "/metrics",
];

/** The route pattern a path belongs to, from a fixed set. */
export function routeLabel(pathname: string): string {
  if (ROUTES.includes(pathname)) return pathname;
  if (/^\/api\/auth\/sessions\/[^/]+$/.test(pathname)) return "/api/auth/sessions/:id";
  return "other";
}

const METHODS = new Set(["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]);

/** Records one route handler's answer. */
export function observeRequest(request: Request, status: number, seconds: number): void {
  const method = METHODS.has(request.method) ? request.method : "other";
  metrics().requestDuration.observe({ route: routeLabel(new URL(request.url).pathname), method, status: String(status) }, seconds);
}

// Account actions in tests: a context at a frozen moment, and the cookies an action answered with.
import { beforeEach } from "node:test";
import type { Db } from "@/lib/db";
import type { ClientInfo } from "@/lib/edge/client-info";
import type { Config } from "@/lib/env";
import type { ActionContext } from "@/lib/server/actions/context";
import { testConfig } from "./settings";
import { useTestDb } from "./test-db";

/**
 * `ctx(seconds, ip?, settings?)`: the context `seconds` after `t0`, from `client` (or another IP),
 * with `config` (or other settings).
 */
export function contextsFrom(db: Db, config: Config, t0: Date, client: ClientInfo) {
  return (seconds = 0, ip = client.ip, settings = config): ActionContext => ({
    db,
    config: settings,
    now: new Date(t0.getTime() + seconds * 1000),
    client: { ...client, ip },
  });
}

/** The value of the cookie whose name ends with `name` ("kc_refresh", "kc_device"…) in an action's answer. */
export function cookieFrom(result: { tokens: { cookies: { name: string; value: string }[] } }, name: string): string {
  const cookie = result.tokens.cookies.find((c) => c.name.endsWith(name));
  if (!cookie) throw new Error(`no ${name} cookie in the answer`);
  return cookie.value;
}

/**
 * What a file of action tests starts from: a throw-away database with its limits cleared before
 * each test, a frozen moment, contexts from one client, unique addresses, one good password.
 */
export function useActionTests(options: { label: string; client: ClientInfo; config?: Config; t0?: Date }) {
  const config = options.config ?? testConfig();
  const t0 = options.t0 ?? new Date("2026-11-29T12:00:00Z");
  const db = useTestDb();
  beforeEach(() => db.rateLimit.deleteMany());
  let n = 0;
  return {
    db,
    config,
    t0,
    ctx: contextsFrom(db, config, t0, options.client),
    email: () => `${options.label}${++n}-${Date.now()}@example.com`,
    PASSWORD: "correct horse battery",
  };
}

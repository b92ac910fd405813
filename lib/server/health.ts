// Is this instance able to serve? For a load balancer's health checks. Node only.
//
// Live: the process answers at all. Ready: the database answers, every committed migration has
// been applied, and the signing keys load. Each check is cheap enough to run every second: one
// `SELECT 1`, and the migration ledger only until it has once been complete (a migration is never
// un-applied). Reasons are short and fixed: no versions, hosts or secrets.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db";
import type { Config } from "@/lib/env";
import { databaseKind } from "@/scripts/database-url.mjs";
import { isStoreFault } from "./faults";
import { isDraining } from "./shutdown";
import { signAccessToken } from "./signing-key";

export type Readiness =
  | { ready: true }
  | { ready: false; reason: "draining" | "database_unreachable" | "migrations_pending" | "signing_keys_invalid" };

let migrationsComplete = false;

export async function checkReadiness(db: Db, config: Config, now: Date): Promise<Readiness> {
  if (isDraining()) return { ready: false, reason: "draining" };
  try {
    await db.$queryRaw`SELECT 1`;
    if (!migrationsComplete) {
      const rows = await db.$queryRaw<{ migration_name: string }[]>`
        SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
      const applied = new Set(rows.map((row) => row.migration_name));
      if (!committedMigrations(config.databaseUrl).every((name) => applied.has(name))) return { ready: false, reason: "migrations_pending" };
      migrationsComplete = true;
    }
  } catch (error) {
    // A database without the ledger table has had no migration at all.
    if (isStoreFault(error)) return { ready: false, reason: "database_unreachable" };
    return { ready: false, reason: "migrations_pending" };
  }
  try {
    await signAccessToken({ userId: "health", sessionId: "health" }, config, now);
  } catch {
    return { ready: false, reason: "signing_keys_invalid" };
  }
  return { ready: true };
}

let committed: { dir: string; names: string[] } | undefined;

// The committed migrations sit in the project the server runs from (scripts/migrate.mjs applies them).
function committedMigrations(databaseUrl: string): string[] {
  const dir = path.join(process.cwd(), "prisma", ...(databaseKind(databaseUrl) === "postgres" ? ["postgres"] : []), "migrations");
  if (committed?.dir !== dir) {
    const names = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    committed = { dir, names };
  }
  return committed.names;
}

/** For tests: forget that the ledger was once complete. */
export function forgetMigrationsChecked(): void {
  migrationsComplete = false;
}


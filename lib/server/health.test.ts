import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import { createDb } from "@/lib/db";
import { testConfig } from "@/lib/testing/settings";
import { TEST_DATABASE, useTestDatabase } from "@/lib/testing/test-db";
import { createThrowawayDatabase } from "@/scripts/throwaway-postgres.mjs";
import { checkReadiness, forgetMigrationsChecked } from "./health";
import { installShutdownHandler } from "./shutdown";

const now = new Date("2026-11-29T12:00:00Z");
const { db, url } = useTestDatabase();
const config = () => testConfig({ DATABASE_URL: url() });

it("a migrated database with working keys is ready", async () => {
  forgetMigrationsChecked();
  assert.deepEqual(await checkReadiness(db, config(), now), { ready: true });
});

it("a committed migration missing from the database is not ready, and says so", async () => {
  forgetMigrationsChecked();
  const [last] = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`;
  await db.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = "finished_at" WHERE "migration_name" = ${last.migration_name}`;
  try {
    assert.deepEqual(await checkReadiness(db, config(), now), { ready: false, reason: "migrations_pending" });
  } finally {
    await db.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = NULL WHERE "migration_name" = ${last.migration_name}`;
  }
});

it("a database never migrated is not ready", async () => {
  forgetMigrationsChecked();
  const fresh = await unmigratedDatabase();
  const empty = createDb(fresh.url, { poolSize: 1 });
  try {
    assert.deepEqual(await checkReadiness(empty, testConfig({ DATABASE_URL: fresh.url }), now), { ready: false, reason: "migrations_pending" });
  } finally {
    await empty.$disconnect();
    await fresh.drop();
  }
});

/** A new, empty database of the kind under test. */
async function unmigratedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (TEST_DATABASE === "postgres") return createThrowawayDatabase(process.env.TEST_DATABASE_URL_POSTGRES!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-health-"));
  return { url: `file:${path.join(dir, "empty.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

it("a database that cannot be reached is not ready", async () => {
  forgetMigrationsChecked();
  const unreachable = createDb("postgresql://keycard@127.0.0.1:9/nowhere", { poolSize: 1 });
  try {
    assert.deepEqual(await checkReadiness(unreachable, testConfig({ DATABASE_URL: "postgresql://keycard@127.0.0.1:9/nowhere" }), now), {
      ready: false,
      reason: "database_unreachable",
    });
  } finally {
    await unreachable.$disconnect();
  }
});

it("signing keys that do not load are not ready", async () => {
  const broken = { ...config(), verifyingKeys: testConfig().verifyingKeys }; // another key pair's public half
  assert.deepEqual(await checkReadiness(db, broken, now), { ready: false, reason: "signing_keys_invalid" });
});

// Last: draining lasts until the process ends.
it("from SIGTERM on, the instance says it is draining", async () => {
  forgetMigrationsChecked();
  installShutdownHandler(300, async () => {});
  assert.deepEqual(await checkReadiness(db, config(), now), { ready: true });
  process.emit("SIGTERM");
  assert.deepEqual(await checkReadiness(db, config(), now), { ready: false, reason: "draining" });
});


import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { TEST_DATABASE } from "@/lib/testing/test-db";
import { migrate } from "./migrate.mjs";
import { DATABASES } from "./schemas.mjs";
import { createThrowawayDatabase } from "./throwaway-postgres.mjs";

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-migrate-"));
  return { dir, url: `file:${path.join(dir, "nested", "app.db")}` };
}

it("creates the database, applies every migration once, and records them as Prisma does", async () => {
  const { dir, url } = scratch();
  const first = await migrate(url);
  assert.ok(first.length >= 1);
  assert.deepEqual(await migrate(url), []);
  const db = new Database(path.join(dir, "nested", "app.db"));
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r: any) => r.name);
  assert.ok(["RefreshToken", "SecurityEvent", "Session", "User", "_prisma_migrations"].every((t) => tables.includes(t)));
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal((db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations"`).get() as { n: number }).n, first.length);
  db.close();
  fs.rmSync(dir, { recursive: true });
});

it("refuses to go on when an applied migration was edited afterwards", async () => {
  const { dir, url } = scratch();
  const copy = path.join(dir, "migrations");
  fs.cpSync(DATABASES.sqlite.migrations, copy, { recursive: true });
  await migrate(url, copy);
  const name = fs.readdirSync(copy).find((n) => fs.statSync(path.join(copy, n)).isDirectory())!;
  fs.appendFileSync(path.join(copy, name, "migration.sql"), "\n-- edited\n");
  await assert.rejects(migrate(url, copy), /was changed after it was applied/);
  fs.rmSync(dir, { recursive: true });
});

// Several instances behind a load balancer start at once, and each runs the migrations first.
if (TEST_DATABASE === "postgres") {
  it("instances starting at once on one PostgreSQL database apply each migration exactly once", async () => {
    const throwaway = await createThrowawayDatabase(process.env.TEST_DATABASE_URL_POSTGRES!);
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrate(throwaway.url)));
      const expected = fs.readdirSync(DATABASES.postgres.migrations).filter((n) => !n.endsWith(".toml")).sort();
      assert.deepEqual(runs.flat().sort(), expected);
      const client = new pg.Client({ connectionString: throwaway.url });
      await client.connect();
      const { rows } = await client.query(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
      await client.end();
      assert.deepEqual(rows.map((r) => r.migration_name), expected);
      assert.deepEqual(await migrate(throwaway.url), []);
    } finally {
      await throwaway.drop();
    }
  });
}

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import Database from "better-sqlite3";
import { MIGRATIONS_DIR, migrate } from "./migrate.mjs";

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-migrate-"));
  return { dir, url: `file:${path.join(dir, "nested", "app.db")}` };
}

it("creates the database, applies every migration once, and records them as Prisma does", () => {
  const { dir, url } = scratch();
  const first = migrate(url);
  assert.ok(first.length >= 1);
  assert.deepEqual(migrate(url), []);
  const db = new Database(path.join(dir, "nested", "app.db"));
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r: any) => r.name);
  assert.ok(["RefreshToken", "SecurityEvent", "Session", "User", "_prisma_migrations"].every((t) => tables.includes(t)));
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal((db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations"`).get() as { n: number }).n, first.length);
  db.close();
  fs.rmSync(dir, { recursive: true });
});

it("refuses to go on when an applied migration was edited afterwards", () => {
  const { dir, url } = scratch();
  const copy = path.join(dir, "migrations");
  fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true });
  migrate(url, copy);
  const name = fs.readdirSync(copy).find((n) => fs.statSync(path.join(copy, n)).isDirectory())!;
  fs.appendFileSync(path.join(copy, name, "migration.sql"), "\n-- edited\n");
  assert.throws(() => migrate(url, copy), /was changed after it was applied/);
  fs.rmSync(dir, { recursive: true });
});

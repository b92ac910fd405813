// A throw-away, migrated SQLite database for integration tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/scripts/migrate.mjs";

export async function createTestDb(): Promise<{ db: Db; dispose: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  migrate(url);
  const db = createDb(url);
  return {
    db,
    dispose: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A throw-away database for the tests of one file: created before the first test, removed after
 * the last. Returns a stand-in that forwards to the real client once it exists, so tests write
 * `db.user.findMany()` as anywhere else.
 */
export function useTestDb(): Db {
  let current: { db: Db; dispose: () => Promise<void> } | undefined;
  before(async () => {
    current = await createTestDb();
  });
  after(() => current?.dispose());
  return new Proxy({} as Db, {
    get(_target, property) {
      if (!current) throw new Error("the test database is created in before(): use it inside a test");
      const value = Reflect.get(current.db, property);
      return typeof value === "function" ? value.bind(current.db) : value;
    },
  });
}

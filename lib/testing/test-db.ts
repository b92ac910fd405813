// A throw-away, migrated database for integration tests: SQLite by default, PostgreSQL when
// TEST_DATABASE=postgres (scripts/run-unit-tests.mjs runs every test file once on each).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/scripts/migrate.mjs";
import { createThrowawayDatabase } from "@/scripts/throwaway-postgres.mjs";

// Test settings, not app settings: read here rather than through lib/env.ts.
export const TEST_DATABASE: "sqlite" | "postgres" = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

type TestDb = { db: Db; url: string; dispose: () => Promise<void> };

export async function createTestDb(): Promise<TestDb> {
  return TEST_DATABASE === "postgres" ? createPostgresTestDb() : createSqliteTestDb();
}

async function createSqliteTestDb(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrate(url);
  const db = createDb(url);
  return {
    db,
    url,
    dispose: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresTestDb(): Promise<TestDb> {
  const server = process.env.TEST_DATABASE_URL_POSTGRES;
  if (!server) throw new Error("TEST_DATABASE=postgres needs TEST_DATABASE_URL_POSTGRES (postgresql://user@host:5432/db)");
  const throwaway = await createThrowawayDatabase(server);
  await migrate(throwaway.url);
  // More connections than an instance would use, so 100 racing refreshes really run at once.
  const db = createDb(throwaway.url, { poolSize: 20 });
  return {
    db,
    url: throwaway.url,
    dispose: async () => {
      await db.$disconnect();
      await throwaway.drop();
    },
  };
}

/**
 * A throw-away database for the tests of one file: created before the first test, removed after
 * the last. Returns a stand-in that forwards to the real client once it exists, so tests write
 * `db.user.findMany()` as anywhere else.
 */
export function useTestDb(): Db {
  return useTestDatabase().db;
}

/** useTestDb, with the database's URL too, for a test that opens a second client (another instance). */
export function useTestDatabase(): { db: Db; url: () => string } {
  let current: TestDb | undefined;
  before(async () => {
    current = await createTestDb();
  });
  after(() => current?.dispose());
  const url = () => {
    if (!current) throw new Error("the test database is created in before(): use it inside a test");
    return current.url;
  };
  const db = new Proxy({} as Db, {
    get(_target, property) {
      if (!current) throw new Error("the test database is created in before(): use it inside a test");
      const value = Reflect.get(current.db, property);
      return typeof value === "function" ? value.bind(current.db) : value;
    },
  });
  return { db, url };
}

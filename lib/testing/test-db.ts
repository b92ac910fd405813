// A throw-away, migrated SQLite database for integration tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

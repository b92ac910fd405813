// Applies the committed migrations in prisma/migrations to a SQLite database, offline.
//
// Prisma 7's `migrate deploy` needs a native engine it downloads on first use; this does the same
// job for SQLite: each pending migration.sql runs in its own transaction and is recorded in
// `_prisma_migrations` exactly as Prisma records it, so `prisma migrate` stays usable on a machine
// that has the engine. New migrations are written with `prisma migrate dev` (or its WebAssembly
// engine) where that is available, then committed.
//
//   node scripts/migrate.mjs            # DATABASE_URL from the environment or .env
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const MIGRATIONS_DIR = path.join(root, "prisma", "migrations");

export function sqliteFile(databaseUrl) {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file URL (file:./data/keycard.db), got "${databaseUrl}"`);
  }
  return path.resolve(databaseUrl.slice("file:".length));
}

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Applies what is pending; returns the names applied. Refuses a migration edited after it ran. */
export function migrate(databaseUrl, migrationsDir = MIGRATIONS_DIR) {
  const file = sqliteFile(databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets readers carry on while a refresh writes; it is a property of the file, set once.
    db.pragma("journal_mode = WAL");
    db.exec(LEDGER);
    const applied = new Map(
      db
        .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((row) => [row.migration_name, row.checksum]),
    );
    const names = fs
      .readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const done = [];
    for (const name of names) {
      const sql = fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (applied.has(name)) {
        if (applied.get(name) !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied. Add a new migration instead.`);
        }
        continue;
      }
      db.transaction(() => {
        db.exec(sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
        ).run(randomUUID(), checksum, name);
      })();
      done.push(name);
    }
    return done;
  } finally {
    db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.loadEnvFile?.(path.join(root, ".env"));
  } catch {
    // no .env: the environment alone decides
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set (run `npm start` once to write a .env, or set it).");
    process.exit(1);
  }
  try {
    const done = migrate(url);
    console.log(done.length ? `Applied ${done.join(", ")} to ${sqliteFile(url)}` : `Database is up to date (${sqliteFile(url)})`);
  } catch (error) {
    console.error(`Migration failed: ${error.message}`);
    process.exit(1);
  }
}

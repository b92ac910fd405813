// Applies the committed migrations to the database DATABASE_URL names, offline: SQLite from
// prisma/migrations, PostgreSQL from prisma/postgres/migrations.
//
// Prisma 7's `migrate deploy` needs a native engine it downloads on first use; this does the same
// job: each pending migration.sql runs in its own transaction and is recorded in
// `_prisma_migrations` exactly as Prisma records it, so `prisma migrate` stays usable on a machine
// that has the engine. New migrations come from `npm run db:new-migration` (scripts/schema-engine.mjs).
//
//   node scripts/migrate.mjs            # DATABASE_URL from the environment or .env
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseKind, redacted, sqliteFile } from "./database-url.mjs";
import { DATABASES } from "./schemas.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// Prisma's own ledger, column for column, in each dialect.
const LEDGER = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgres: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`,
};
const APPLIED = `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
// Several instances starting at once on one PostgreSQL database take turns (any fixed number).
const POSTGRES_LOCK = 727_274_001;

/** The migrations folder for a DATABASE_URL. */
export function migrationsDirFor(databaseUrl) {
  return DATABASES[databaseKind(databaseUrl)].migrations;
}

/** Applies what is pending; resolves to the names applied. Refuses a migration edited after it ran. */
export async function migrate(databaseUrl, migrationsDir = migrationsDirFor(databaseUrl)) {
  const store = databaseKind(databaseUrl) === "postgres" ? await postgresLedger(databaseUrl) : sqliteLedger(databaseUrl);
  try {
    const applied = new Map((await store.applied()).map((row) => [row.migration_name, row.checksum]));
    const done = [];
    for (const name of migrationNames(migrationsDir)) {
      const sql = fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (applied.has(name)) {
        if (applied.get(name) !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied. Add a new migration instead.`);
        }
        continue;
      }
      await store.apply(name, sql, checksum);
      done.push(name);
    }
    return done;
  } finally {
    await store.close();
  }
}

function migrationNames(migrationsDir) {
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function sqliteLedger(databaseUrl) {
  const file = sqliteFile(databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets readers carry on while a refresh writes; it is a property of the file, set once.
  db.pragma("journal_mode = WAL");
  db.exec(LEDGER.sqlite);
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
  );
  return {
    applied: async () => db.prepare(APPLIED).all(),
    apply: async (name, sql, checksum) =>
      db.transaction(() => {
        db.exec(sql);
        record.run(randomUUID(), checksum, name);
      })(),
    close: async () => db.close(),
  };
}

async function postgresLedger(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${POSTGRES_LOCK})`);
    await client.query(LEDGER.postgres);
  } catch (error) {
    await client.end();
    throw error;
  }
  return {
    applied: async () => (await client.query(APPLIED)).rows,
    apply: async (name, sql, checksum) => {
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    // Ending the connection releases the advisory lock.
    close: () => client.end(),
  };
}

// No top-level await: the tests import this file through tsx, which compiles it to CommonJS.
async function main() {
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
  const where = databaseKind(url) === "sqlite" ? sqliteFile(url) : redacted(url);
  try {
    const done = await migrate(url);
    console.log(done.length ? `Applied ${done.join(", ")} to ${where}` : `Database is up to date (${where})`);
  } catch (error) {
    console.error(`Migration failed (${where}): ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

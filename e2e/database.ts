// The browser tests' own look at the test servers' database, for what no page shows. The same
// suite runs once on SQLite and once on PostgreSQL (E2E_DATABASE, set by scripts/test.mjs); SQL
// here is written once for both: quoted identifiers, `?` placeholders, CAST for counts.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { E2E } from "./settings";

export const E2E_DATABASE: "sqlite" | "postgres" = process.env.E2E_DATABASE === "postgres" ? "postgres" : "sqlite";

const root = path.join(__dirname, "..");
let pool: pg.Pool | undefined;

/** Where the test servers' database is: written by scripts/e2e-server.mjs when it creates it. */
export function databaseUrl(): string {
  return fs.readFileSync(path.join(root, E2E.databaseUrlFile), "utf8").trim();
}

export async function query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  if (E2E_DATABASE === "postgres") {
    pool ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, allowExitOnIdle: true });
    let n = 0;
    return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  }
  const db = new Database(path.join(root, E2E.databaseFile), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * A write, for what a test must arrange that no page can (a way in set up days ago). Dates are
 * passed as Date and stored as Prisma stores them on each database.
 */
export async function execute(sql: string, ...params: unknown[]): Promise<void> {
  if (E2E_DATABASE === "postgres") {
    pool ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, allowExitOnIdle: true });
    let n = 0;
    await pool.query(sql.replace(/\?/g, () => `$${++n}`), params);
    return;
  }
  const db = new Database(path.join(root, E2E.databaseFile), { fileMustExist: true, timeout: 5000 });
  try {
    db.prepare(sql).run(...params.map((p) => (p instanceof Date ? p.toISOString().replace("Z", "+00:00") : p)));
  } finally {
    db.close();
  }
}

export async function queryOne<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined> {
  return (await query<T>(sql, ...params))[0];
}

export async function tableNames(): Promise<string[]> {
  const rows =
    E2E_DATABASE === "postgres"
      ? await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)
      : await query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  return rows.map((r) => r.name);
}

/**
 * Takes the database away from every test server, as an outage would, until the returned
 * function brings it back. SQLite: another process holds the write lock. PostgreSQL: the database
 * refuses connections and the servers' open ones are cut.
 */
export async function takeDatabaseAway(): Promise<() => Promise<void>> {
  if (E2E_DATABASE === "sqlite") {
    const lock = new Database(path.join(root, E2E.databaseFile));
    lock.exec("BEGIN EXCLUSIVE");
    return async () => {
      lock.exec("ROLLBACK");
      lock.close();
    };
  }
  const url = new URL(databaseUrl());
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
  await pool?.end();
  pool = undefined;
  return async () => {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
    await admin.end();
  };
}

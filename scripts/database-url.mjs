// Which database a DATABASE_URL names. The app (lib/db.ts) and the migration runner both ask here,
// so they cannot disagree.
import path from "node:path";

/** "postgres" for postgres:// and postgresql:// URLs, "sqlite" for file: URLs; throws otherwise. */
export function databaseKind(databaseUrl) {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return "postgres";
  if (databaseUrl.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must be a SQLite file URL (file:./data/keycard.db) or a PostgreSQL URL (postgresql://user@host:5432/keycard), got "${redacted(databaseUrl)}"`,
  );
}

/** The absolute path of a file: URL's database. */
export function sqliteFile(databaseUrl) {
  return path.resolve(databaseUrl.slice("file:".length));
}

/** The URL with any password hidden, for messages and logs. */
export function redacted(databaseUrl) {
  return databaseUrl.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
}

// The only place that builds a Prisma client. Node only: the edge never touches the database.
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getConfig } from "@/lib/env";

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file URL such as file:./data/keycard.db, got "${databaseUrl}"`);
  }
  const file = path.resolve(databaseUrl.slice("file:".length));
  // WAL is set on the file by the migration script; the busy timeout makes a writer wait for
  // another process's write (a second instance, `npm run db:migrate`) instead of failing at once.
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 5000 });
  return new PrismaClient({ adapter });
}

// One client per process. Kept on globalThis so `next dev` reloading modules does not open a new
// connection on every edit.
const holder = globalThis as unknown as { keycardDb?: Db };

export function getDb(): Db {
  holder.keycardDb ??= createDb(getConfig().databaseUrl);
  return holder.keycardDb;
}

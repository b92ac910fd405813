// The only place that builds a Prisma client. Node only: the edge never touches the database.
import path from "node:path";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { sqliteAdapter } from "@/lib/database/sqlite";
import { getConfig } from "@/lib/env";

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file URL such as file:./data/keycard.db, got "${databaseUrl}"`);
  }
  // WAL is set on the file by the migration script.
  return new PrismaClient({ adapter: sqliteAdapter(path.resolve(databaseUrl.slice("file:".length))) });
}

// One client per process. Kept on globalThis so `next dev` reloading modules does not open a new
// connection on every edit.
const holder = globalThis as unknown as { keycardDb?: Db };

export function getDb(): Db {
  holder.keycardDb ??= createDb(getConfig().databaseUrl);
  return holder.keycardDb;
}

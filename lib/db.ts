// The only place that builds a Prisma client, and the only one that knows which database it is:
// a postgresql:// DATABASE_URL means PostgreSQL, a file: URL means SQLite. Node only: the edge
// never touches the database.
import { createPostgresClient } from "@/lib/database/postgres";
import { sqliteAdapter } from "@/lib/database/sqlite";
import { TRANSACTION_OPTIONS } from "@/lib/database/transaction-options";
import { PrismaClient, type Prisma } from "@/lib/generated/sqlite/client";
import { getConfig } from "@/lib/env";
import { installShutdownHandler } from "@/lib/server/shutdown";
import { databaseKind, sqliteFile } from "@/scripts/database-url.mjs";

export type Db = PrismaClient;

/** The client or an interactive transaction's: what a statement that may run inside one takes. */
export type DbOrTx = Prisma.TransactionClient;

export function createDb(databaseUrl: string, { poolSize = 10 }: { poolSize?: number } = {}): Db {
  if (databaseKind(databaseUrl) === "postgres") return createPostgresClient(databaseUrl, poolSize);
  // WAL is set on the file by the migration script.
  return new PrismaClient({ adapter: sqliteAdapter(sqliteFile(databaseUrl)), transactionOptions: TRANSACTION_OPTIONS });
}

// One client per process. Kept on globalThis so `next dev` reloading modules does not open a new
// connection on every edit.
const holder = globalThis as unknown as { keycardDb?: Db };

export function getDb(): Db {
  const config = getConfig();
  if (!holder.keycardDb) {
    holder.keycardDb = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
    installShutdownHandler(config.shutdownGraceSeconds, () => holder.keycardDb?.$disconnect() ?? Promise.resolve());
  }
  return holder.keycardDb;
}

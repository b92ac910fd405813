// PostgreSQL through node-postgres: a pool per instance, sized from config, so that
// instances × pool size stays under the server's max_connections (docs/deploying.md).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "@/lib/generated/postgres/client";
import type { PrismaClient } from "@/lib/generated/sqlite/client";
import { TRANSACTION_OPTIONS } from "./transaction-options";

// A connection that cannot be had within this long is a fault (503), not a request left waiting.
const CONNECT_TIMEOUT_MS = 5000;

export function createPostgresClient(connectionString: string, poolSize: number): PrismaClient {
  const client = new PostgresClient({
    adapter: new PrismaPg({ connectionString, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }),
    transactionOptions: TRANSACTION_OPTIONS,
  });
  // Both clients are generated from the same models (scripts/schemas.mjs, checked by a test), so
  // their query APIs are the same; the app is typed against one of them.
  return client as unknown as PrismaClient;
}

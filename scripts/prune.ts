// `npm run db:prune`: removes ended sessions, their tokens and old security events now, instead of
// waiting for the app's hourly pass. Safe to run at any time, on a live database.
import path from "node:path";
import { pruneAuthRecords } from "@/lib/server/store/prune";
import { createDb } from "@/lib/db";

try {
  process.loadEnvFile(path.join(process.cwd(), ".env"));
} catch {
  // no .env: the environment alone decides
}
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (run `npm start` once to write a .env, or set it).");
  process.exit(1);
}
async function main(databaseUrl: string) {
  const db = createDb(databaseUrl);
  const removed = await pruneAuthRecords(db, new Date());
  await db.$disconnect();
  console.log(
  `Removed ${removed.sessions} ended sessions, ${removed.refreshTokens} of their refresh tokens, ` +
      `${removed.securityEvents} security events older than 90 days.`,
  );
}

// Top-level await is not available: tsx runs this file as CommonJS.
main(url).catch((error) => {
  console.error(`Pruning failed: ${error.message}`);
  process.exit(1);
});

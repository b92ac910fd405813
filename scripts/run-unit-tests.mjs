// Runs every *.test.ts under lib/ and scripts/ with Node's test runner (TypeScript through tsx):
// once on SQLite, then once more on PostgreSQL when TEST_DATABASE_URL_POSTGRES names a server.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const files = [];
const visit = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "generated") visit(full);
    else if (entry.name.endsWith(".test.ts")) files.push(full);
  }
};
["lib", "scripts"].forEach(visit);
if (files.length === 0) {
  console.error("No unit tests found.");
  process.exit(1);
}

const databases = ["sqlite"];
if (process.env.TEST_DATABASE_URL_POSTGRES) databases.push("postgres");
else console.log("⚠ TEST_DATABASE_URL_POSTGRES is not set: the tests run on SQLite only, PostgreSQL is skipped.");

for (const database of databases) {
  console.log(`\n── on ${database === "postgres" ? "PostgreSQL" : "SQLite"}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/allow-server-only.mjs", "--test", "--test-reporter=spec", ...files.sort()], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "test", TEST_DATABASE: database },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

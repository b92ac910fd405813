// `npm start` (and `npm run dev` with --dev): everything a fresh clone needs to serve the app.
//   1. a .env with fresh secrets on a developer's first run (never in production: there, missing
//      secrets stop the start with a message naming them);
//   2. the database, migrated;
//   3. a production build, if the sources changed since the last one;
//   4. next start (or next dev) on $PORT, default 3000.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "./build-if-needed.mjs";
import { redacted } from "./database-url.mjs";
import { migrate } from "./migrate.mjs";
import { generateSecrets, missingSecrets, refusalMessage } from "./secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const envFile = path.join(root, ".env");
const dev = process.argv.includes("--dev");
const production = process.env.NODE_ENV === "production";

function readEnvFile() {
  if (!fs.existsSync(envFile)) return {};
  const values = {};
  for (const line of fs.readFileSync(envFile, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  }
  return values;
}

function writeFreshSecrets(missing) {
  const fresh = generateSecrets();
  const lines = [
    fs.existsSync(envFile) ? "" : "# Written by `npm start` on first run. Keep it out of version control.",
    `# Fresh secrets, generated ${new Date().toISOString()}. See .env.example for every setting.`,
    ...missing.map((name) => `${name}='${fresh[name]}'`),
  ];
  if (!("DATABASE_URL" in readEnvFile()) && !process.env.DATABASE_URL) lines.push("DATABASE_URL=file:./data/keycard.db");
  fs.appendFileSync(envFile, lines.join("\n") + "\n", { mode: 0o600 });
  console.log(`Wrote fresh ${missing.join(", ")} to .env`);
}

const fromFile = readEnvFile();
const missing = missingSecrets({ ...fromFile, ...process.env });
if (missing.length > 0) {
  if (production) {
    console.error(refusalMessage(missing));
    process.exit(1);
  }
  writeFreshSecrets(missing);
}
const env = { ...readEnvFile(), ...process.env };
const databaseUrl = env.DATABASE_URL ?? "file:./data/keycard.db";

try {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`Database migrated: ${applied.join(", ")}`);
} catch (error) {
  console.error(`Could not prepare the database (${redacted(databaseUrl)}): ${error.message}`);
  process.exit(1);
}

if (!dev) buildIfNeeded();

const port = env.PORT ?? "3000";
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const child = spawn(process.execPath, [next, dev ? "dev" : "start", "--port", port], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `npm start` (and `npm run dev` with --dev): everything a fresh clone needs to serve the app.
//   1. a .env with fresh secrets on a developer's first run (never in production: there, missing
//      secrets stop the start with a message naming them);
//   2. the database, migrated;
//   3. a production build, if the sources changed since the last one;
//   4. on a developer's machine with no provider configured, a local OpenID provider (so the
//      "Continue with" button works for a newcomer; production never runs it);
//   5. the production server around Next (scripts/server.mjs), or next dev, on $PORT, default 3000.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "./build-if-needed.mjs";
import { redacted } from "./database-url.mjs";
import { freePort } from "./free-port.mjs";
import { migrate } from "./migrate.mjs";
import { startOpenIdProvider } from "./oidc-provider.mjs";
import { DEVELOPMENT_START } from "./setting-rules.mjs";
import { generateSecrets, localDefaults, missingSecrets, refusalMessage, settingProblems, verifyingKeysFor } from "./secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const envFile = path.join(root, ".env");
const dev = process.argv.includes("--dev");
// Whoever runs this says what the machine is: NODE_ENV=production is a deployment. (`next start`
// sets NODE_ENV=production for itself either way, so the server is told which one it is.)
const production = process.env.NODE_ENV === "production";
delete process.env[DEVELOPMENT_START];

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
  // New signing keys come with their public halves, the edge's verifying keys.
  const written = [...missing, ...(missing.includes("AUTH_SIGNING_KEYS") ? ["AUTH_VERIFYING_KEYS"] : [])];
  const lines = [
    fs.existsSync(envFile) ? "" : "# Written by `npm start` on first run. Keep it out of version control.",
    `# Fresh secrets, generated ${new Date().toISOString()}. See .env.example for every setting.`,
    ...written.map((name) => `${name}='${fresh[name]}'`),
  ];
  if (!("DATABASE_URL" in readEnvFile()) && !process.env.DATABASE_URL) lines.push("DATABASE_URL=file:./data/keycard.db");
  fs.appendFileSync(envFile, lines.join("\n") + "\n", { mode: 0o600 });
  console.log(`Wrote fresh ${written.join(", ")} to .env`);
}

if (!production) {
  const current = { ...readEnvFile(), ...process.env };
  const missing = missingSecrets(current);
  if (missing.length > 0) writeFreshSecrets(missing);
  // A .env from before the edge had its own public keys: derive them (they are not secret).
  const withSecrets = { ...readEnvFile(), ...process.env };
  if (!withSecrets.AUTH_VERIFYING_KEYS) {
    fs.appendFileSync(envFile, `AUTH_VERIFYING_KEYS='${verifyingKeysFor(JSON.parse(withSecrets.AUTH_SIGNING_KEYS))}'\n`);
    console.log("Wrote AUTH_VERIFYING_KEYS (the public halves of AUTH_SIGNING_KEYS) to .env");
  }
}
const port = process.env.PORT ?? readEnvFile().PORT ?? "3000";
// A developer's machine: links to localhost, mail to the local mailbox unless SMTP_URL is set.
const local = production ? {} : { ...localDefaults({ ...readEnvFile(), ...process.env }, port), [DEVELOPMENT_START]: "true" };
if (local.MAIL_LOCAL_MAILBOX) {
  console.log(`No SMTP_URL: mail goes to the local mailbox, http://localhost:${port}/dev/mailbox (served to this machine only)`);
}
if (!production && !readEnvFile().AUTH_PROVIDERS && !process.env.AUTH_PROVIDERS) Object.assign(local, await startLocalProvider());
const env = { ...readEnvFile(), ...process.env, ...local };
// Judged as the server will run: NODE_ENV=production (so a production start refuses the mailbox).
const problems = settingProblems({ ...env, NODE_ENV: "production" });
if (problems.length > 0) {
  console.error(refusalMessage(problems));
  process.exit(1);
}
const databaseUrl = env.DATABASE_URL ?? "file:./data/keycard.db";

try {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`Database migrated: ${applied.join(", ")}`);
} catch (error) {
  console.error(`Could not prepare the database (${redacted(databaseUrl)}): ${error.message}`);
  process.exit(1);
}

if (!dev) buildIfNeeded();

// The provider lives in this process, beside the server it serves: it stops when `npm start` does.
async function startLocalProvider() {
  const providerPort = await freePort(Number(port) + 1);
  const appOrigin = local.APP_ORIGIN ?? readEnvFile().APP_ORIGIN ?? process.env.APP_ORIGIN;
  const clientSecret = randomBytes(24).toString("base64url");
  const provider = await startOpenIdProvider({
    port: providerPort,
    clients: [{ client_id: "keycard-local", client_secret: clientSecret, redirect_uris: [`${appOrigin}/api/auth/oauth/local/callback`] }],
  });
  console.log(`No AUTH_PROVIDERS: "Continue with Local test provider" signs in through ${provider.issuer} (any login, any password; this machine only)`);
  return {
    AUTH_PROVIDERS: "local",
    AUTH_PROVIDER_LOCAL_ISSUER: provider.issuer,
    AUTH_PROVIDER_LOCAL_CLIENT_ID: "keycard-local",
    AUTH_PROVIDER_LOCAL_CLIENT_SECRET: clientSecret,
    AUTH_PROVIDER_LOCAL_NAME: "Local test provider",
  };
}

// `next dev` for development; otherwise the production server around Next's handler, which knows
// the client's address (scripts/server.mjs).
const command = dev ? [path.join(root, "node_modules", "next", "dist", "bin", "next"), "dev"] : [path.join(root, "scripts", "server.mjs")];
// The local mailbox shows every code and link to whoever opens /dev/mailbox: with it on, the
// server listens on this machine only, never on the network.
const hostname = env.MAIL_LOCAL_MAILBOX === "true" && !env.SMTP_URL ? ["--hostname", "127.0.0.1"] : [];
const child = spawn(process.execPath, [...command, "--port", port, ...hostname], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...local, PORT: port },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// The servers the browser tests run against: the production build, several instances on one
// throw-away database, with fresh secrets and lifetimes short enough to watch tokens expire
// (e2e/settings.json says which instance differs how, and why). E2E_DATABASE=postgres puts them on
// a throw-away PostgreSQL database on TEST_DATABASE_URL_POSTGRES's server instead of SQLite.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "./migrate.mjs";
import { startMailCatcher } from "./mail-catcher.mjs";
import { startOpenIdProvider } from "./oidc-provider.mjs";
import { startGitHubStandIn } from "./github-stand-in.mjs";
import { generateSecrets, generateSigningKey, verifyingKeysFor } from "./secrets.mjs";
import { createThrowawayDatabase } from "./throwaway-postgres.mjs";
import { waitForServer } from "./wait-for-server.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const settings = JSON.parse(fs.readFileSync(path.join(root, "e2e", "settings.json"), "utf8"));

const databaseFile = path.join(root, settings.databaseFile);
fs.rmSync(path.dirname(databaseFile), { recursive: true, force: true });
fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
let throwaway = null;
if (process.env.E2E_DATABASE === "postgres") {
  if (!process.env.TEST_DATABASE_URL_POSTGRES) throw new Error("E2E_DATABASE=postgres needs TEST_DATABASE_URL_POSTGRES");
  throwaway = await createThrowawayDatabase(process.env.TEST_DATABASE_URL_POSTGRES, "keycard_e2e");
}
const databaseUrl = throwaway?.url ?? `file:${databaseFile}`;
fs.writeFileSync(path.join(root, settings.databaseUrlFile), databaseUrl);
await migrate(databaseUrl);

// Two signing keys, so instances can stand at different steps of a key rotation.
const keys = { current: generateSigningKey(), next: generateSigningKey() };
const { REFRESH_TOKEN_KEY } = generateSecrets();
fs.writeFileSync(path.join(root, settings.secretsFile), JSON.stringify({ keys, REFRESH_TOKEN_KEY }), { mode: 0o600 });

// Every instance sends its mail to one catcher, from which the tests read codes and links
// (e2e/mail.ts finds it through the file). Its ports are free ones picked now.
const mailCatcher = await startMailCatcher();
fs.writeFileSync(
  path.join(root, settings.mailCatcherFile),
  JSON.stringify({ smtpPort: mailCatcher.smtpPort, controlPort: mailCatcher.controlPort }),
);

// A real OpenID provider and a GitHub stand-in, each with this run's client for every instance
// (redirect URIs on each instance's origin); e2e/providers.ts reads where they are.
const instanceOrigins = Object.values(settings.instances).map((i) => `http://localhost:${i.port}`);
const clientSecret = generateSecrets().REFRESH_TOKEN_KEY;
const openIdProvider = await startOpenIdProvider({
  port: settings.oidcProviderPort,
  clients: [{ client_id: "keycard-e2e", client_secret: clientSecret, redirect_uris: instanceOrigins.map((o) => `${o}/api/auth/oauth/corp/callback`) }],
});
const github = await startGitHubStandIn({ port: settings.githubStandInPort, clientId: "keycard-e2e-github", clientSecret });
const providerEnv = {
  AUTH_PROVIDERS: "corp,github",
  AUTH_PROVIDER_CORP_ISSUER: openIdProvider.issuer,
  AUTH_PROVIDER_CORP_CLIENT_ID: "keycard-e2e",
  AUTH_PROVIDER_CORP_CLIENT_SECRET: clientSecret,
  AUTH_PROVIDER_CORP_NAME: "Corp",
  AUTH_PROVIDER_GITHUB_URL: github.url,
  AUTH_PROVIDER_GITHUB_CLIENT_ID: "keycard-e2e-github",
  AUTH_PROVIDER_GITHUB_CLIENT_SECRET: clientSecret,
};
fs.writeFileSync(path.join(root, settings.providersFile), JSON.stringify({ corp: openIdProvider.issuer, github: github.url }));

// The server `npm start` runs (scripts/server.mjs), not bare `next start`.
const serverScript = path.join(root, "scripts", "server.mjs");
const servers = [];
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  servers.forEach((s) => s.kill("SIGTERM"));
  await Promise.all(servers.map((s) => (s.exitCode === null ? new Promise((resolve) => s.once("exit", resolve)) : null)));
  await mailCatcher.close().catch((error) => console.error(`could not close the mail catcher: ${error.message}`));
  await Promise.all([openIdProvider.close(), github.close()]).catch((error) => console.error(`could not close the providers: ${error.message}`));
  await throwaway?.drop().catch((error) => console.error(`could not drop ${throwaway.name}: ${error.message}`));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(0));

/** What an instance runs with; also written out for the tests that start an instance themselves. */
function instanceEnv({ port, keys: keyNames, env }) {
  return {
    ...settings.env,
    // Before the instance's own env, so an instance can be given a mail server of its own.
    SMTP_URL: `smtp://127.0.0.1:${mailCatcher.smtpPort}`,
    MAIL_FROM: "Keycard <no-reply@keycard.test>",
    // The links in its mail point back at the instance that sent them.
    APP_ORIGIN: `http://localhost:${port}`,
    // Short, so a test that takes the mail server away and brings it back sees the retry soon.
    MAIL_RETRY_BASE_SECONDS: "1",
    ...providerEnv,
    // A developer's machine, not a server people use: the test providers run on http://localhost.
    KEYCARD_DEVELOPMENT_START: "true",
    ...env,
    AUTH_SIGNING_KEYS: JSON.stringify(keyNames.map((name) => keys[name])),
    AUTH_VERIFYING_KEYS: verifyingKeysFor(keyNames.map((name) => keys[name])),
    REFRESH_TOKEN_KEY,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "production",
    PORT: String(port),
  };
}
fs.writeFileSync(
  path.join(root, settings.instancesFile),
  JSON.stringify(Object.fromEntries(Object.entries(settings.instances).map(([name, instance]) => [name, instanceEnv(instance)]))),
  { mode: 0o600 },
);

// Everything the servers print goes to the terminal and to one log, which the browser tests check
// at the end for bugs answered 500 (e2e/no-bugs-logged.ts): no test run may produce one.
const log = fs.createWriteStream(path.join(root, settings.serverLogFile), { flags: "w" });

function start(instance) {
  const server = spawn(process.execPath, [serverScript, "--port", String(instance.port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...instanceEnv(instance) },
  });
  // The log gets every line; the terminal all but the info-level request lines, which would bury
  // what matters in a failing run under thousands of ordinary ones.
  for (const [from, to] of [[server.stdout, process.stdout], [server.stderr, process.stderr]]) {
    from.on("data", (chunk) => {
      log.write(chunk);
      const shown = String(chunk).split("\n").filter((line) => line && !line.startsWith('{"level":30,'));
      if (shown.length > 0) to.write(`${shown.join("\n")}\n`);
    });
  }
  servers.push(server);
  server.on("exit", (code) => stop(code ?? 1));
}

// Playwright waits for the main instance; it starts last, so the others are up by then. Instances
// marked startedByTest are left to the test that starts (and kills) them.
const { main, ...rest } = settings.instances;
const others = Object.fromEntries(Object.entries(rest).filter(([, instance]) => !instance.startedByTest));
Object.values(others).forEach(start);
await Promise.all(Object.values(others).map((instance) => waitForServer(`http://127.0.0.1:${instance.port}`)));
start(main);

// The servers the browser tests run against: the production build, several instances on one
// throw-away database, with fresh secrets and lifetimes short enough to watch tokens expire
// (e2e/settings.json says which instance differs how, and why).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "./migrate.mjs";
import { generateSecrets, generateSigningKey } from "./secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const settings = JSON.parse(fs.readFileSync(path.join(root, "e2e", "settings.json"), "utf8"));

const databaseFile = path.join(root, settings.databaseFile);
fs.rmSync(path.dirname(databaseFile), { recursive: true, force: true });
const databaseUrl = `file:${databaseFile}`;
await migrate(databaseUrl);

// Two signing keys, so instances can stand at different steps of a key rotation.
const keys = { current: generateSigningKey(), next: generateSigningKey() };
const { REFRESH_TOKEN_KEY } = generateSecrets();
fs.writeFileSync(path.join(root, settings.secretsFile), JSON.stringify({ keys, REFRESH_TOKEN_KEY }), { mode: 0o600 });

const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const servers = [];
const stop = () => servers.forEach((s) => s.kill("SIGTERM"));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (stop(), process.exit(0)));

function start({ port, keys: keyNames, env }) {
  const server = spawn(process.execPath, [next, "start", "--port", String(port)], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      ...settings.env,
      ...env,
      AUTH_SIGNING_KEYS: JSON.stringify(keyNames.map((name) => keys[name])),
      REFRESH_TOKEN_KEY,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      PORT: String(port),
    },
  });
  servers.push(server);
  server.on("exit", (code) => (stop(), process.exit(code ?? 1)));
}

async function answers(port) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${port}/login`).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test server on port ${port} did not start`);
}

// Playwright waits for the main instance; it starts last, so the others are up by then.
const { main, ...others } = settings.instances;
Object.values(others).forEach(start);
await Promise.all(Object.values(others).map((instance) => answers(instance.port)));
start(main);

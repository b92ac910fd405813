// The server the browser tests run against: the production build on a throw-away database, with
// fresh secrets and lifetimes short enough to watch tokens expire (e2e/settings.json).
// A second instance shares both but sends its refresh calls to a closed port, so tests can see
// what a person sees when the refresh cannot reach the store; a third issues five-minute access
// tokens, so tests can show a still-valid token being refused once its session has ended.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "./migrate.mjs";
import { generateSecrets } from "./secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const settings = JSON.parse(fs.readFileSync(path.join(root, "e2e", "settings.json"), "utf8"));

const databaseFile = path.join(root, settings.databaseFile);
fs.rmSync(path.dirname(databaseFile), { recursive: true, force: true });
const databaseUrl = `file:${databaseFile}`;
migrate(databaseUrl);

const env = { ...process.env, ...generateSecrets(), ...settings.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" };
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");

const start = (port, extra = {}) =>
  spawn(process.execPath, [next, "start", "--port", String(port)], {
    cwd: root,
    stdio: "inherit",
    env: { ...env, ...extra, PORT: String(port) },
  });

const servers = [];
const stop = () => servers.forEach((s) => s.kill("SIGTERM"));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (stop(), process.exit(0)));
const track = (server) => {
  servers.push(server);
  server.on("exit", (code) => (stop(), process.exit(code ?? 1)));
};

async function answers(port) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${port}/login`).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test server on port ${port} did not start`);
}

// Playwright waits for the main port; it starts last, so the others are up by then.
track(start(settings.brokenPort, { INTERNAL_ORIGIN: "http://127.0.0.1:9" }));
track(start(settings.steadyPort, settings.steadyEnv));
await Promise.all([answers(settings.brokenPort), answers(settings.steadyPort)]);
track(start(settings.port));

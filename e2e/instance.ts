// An app instance a test starts, and may kill, itself (settings.json: startedByTest), with the
// same build, secrets and database as the others (scripts/e2e-server.mjs writes its environment).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitForServer } from "../scripts/wait-for-server.mjs";
import { E2E } from "./settings";

const root = path.join(__dirname, "..");

/** `kill` resolves to the exit code (null when a signal ended it). */
export type Instance = { url: string; kill: (signal: NodeJS.Signals) => Promise<number | null> };

/** `cwd`: the directory it is started from (the app's own by default). */
export async function startInstance(name: keyof typeof E2E.instances, { cwd = root }: { cwd?: string } = {}): Promise<Instance> {
  const env = JSON.parse(fs.readFileSync(path.join(root, E2E.instancesFile), "utf8"))[name];
  const { port } = E2E.instances[name];
  const server: ChildProcess = spawn(process.execPath, [path.join(root, "scripts/server.mjs"), "--port", String(port)], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  const url = `http://localhost:${port}`;
  await waitForServer(url, server);
  return {
    url,
    kill: async (signal) => {
      server.kill(signal);
      return exited;
    },
  };
}

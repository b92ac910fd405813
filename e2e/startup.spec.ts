// A production server without its secrets, or with .env.example's, must not start at all — rather
// than start and fail at the first sign-in — and must say which setting to fix.
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { generateSecrets } from "../scripts/secrets.mjs";

const root = path.join(__dirname, "..");

/** Runs the server `npm start` runs with `env` until it exits (or 30 s pass); its exit code and what it printed. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const server = spawn(process.execPath, [path.join(root, "scripts/server.mjs"), "--port", "3190"], {
      cwd: root,
      // An empty value, not an absent one: `next start` would otherwise fill it from a developer's .env.
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: "file:./e2e/.tmp/never-used.db", ...env },
    });
    let output = "";
    server.stdout.on("data", (chunk) => (output += chunk));
    server.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => server.kill("SIGKILL"), 30_000);
    server.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test("a missing secret stops the server at start, naming it", async () => {
  const { code, output } = await start({ ...generateSecrets(), REFRESH_TOKEN_KEY: "" });
  expect(code).toBe(1);
  expect(output).toContain("Keycard will not start");
  expect(output).toMatch(/REFRESH_TOKEN_KEY is not set: 32\+ random bytes/);
});

test("the example file's secrets stop the server at start, naming each", async () => {
  const { code, output } = await start({
    ...generateSecrets(),
    REFRESH_TOKEN_KEY: "example-do-not-use-example-do-not-use-exampl",
    AUTH_SIGNING_KEYS: '[{"kty":"EC","crv":"P-256","kid":"example-do-not-use","x":"…","y":"…","d":"…"}]',
  });
  expect(code).toBe(1);
  expect(output).toMatch(/REFRESH_TOKEN_KEY holds an example or placeholder value/);
  expect(output).toMatch(/AUTH_SIGNING_KEYS holds an example or placeholder value/);
});

test("the local mailbox with NODE_ENV=production stops the server at start, naming it", async () => {
  const { code, output } = await start({ ...generateSecrets(), APP_ORIGIN: "https://login.example.com", SMTP_URL: "", MAIL_LOCAL_MAILBOX: "true" });
  expect(code).toBe(1);
  expect(output).toContain("Keycard will not start");
  expect(output).toMatch(/MAIL_LOCAL_MAILBOX is true on a server people use/);
});

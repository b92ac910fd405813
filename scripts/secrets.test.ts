import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { parseConfig } from "@/lib/env";
import { generateSecrets, settingProblems } from "./secrets.mjs";

/** .env.example as `cp .env.example .env` would give it to the server. */
function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(__dirname, "..", ".env.example"), "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2].replace(/^'(.*)'$/, "$1");
  }
  return env;
}

it("the example file's secrets are refused at start, each named", () => {
  const names = settingProblems(exampleEnv()).map((p: { name: string }) => p.name);
  assert.ok(names.includes("REFRESH_TOKEN_KEY"), names.join(", "));
  assert.ok(names.includes("AUTH_SIGNING_KEYS"), names.join(", "));
  assert.ok(names.includes("AUTH_PROVIDER_GOOGLE_CLIENT_SECRET"), names.join(", "));
  assert.ok(names.includes("AUTH_PROVIDER_GITHUB_CLIENT_SECRET"), names.join(", "));
});

it("the app's own configuration refuses the example refresh key too, naming it", () => {
  const env = { ...generateSecrets(), REFRESH_TOKEN_KEY: exampleEnv().REFRESH_TOKEN_KEY };
  assert.throws(() => parseConfig(env), /REFRESH_TOKEN_KEY looks like an example value/);
});

it("placeholder-looking values are refused; generated ones are not", () => {
  const fresh = { ...generateSecrets(), APP_ORIGIN: "https://login.example.com", SMTP_URL: "smtp://mail.example.com:587" };
  assert.deepEqual(settingProblems(fresh), []);
  for (const placeholder of ["changeme-changeme-changeme-changeme-changeme1", "a".repeat(43), "your-secret-here-your-secret-here-your-secret"]) {
    const problems = settingProblems({ ...fresh, REFRESH_TOKEN_KEY: placeholder });
    assert.deepEqual(problems.map((p: { name: string }) => p.name), ["REFRESH_TOKEN_KEY"], placeholder);
  }
});

it("a missing secret is named with what to put there", () => {
  const { REFRESH_TOKEN_KEY: _missing, ...rest } = generateSecrets();
  const problems = settingProblems({ ...rest, APP_ORIGIN: "https://login.example.com", SMTP_URL: "smtp://mail.example.com:587" });
  assert.equal(problems.length, 1);
  assert.equal(problems[0].name, "REFRESH_TOKEN_KEY");
  assert.match(problems[0].problem, /is not set: 32\+ random bytes/);
});

it("a server without APP_ORIGIN or SMTP_URL refuses to start, naming each; the local mailbox stands in for SMTP_URL", () => {
  const fresh = generateSecrets();
  assert.deepEqual(settingProblems(fresh).map((p: { name: string }) => p.name), ["APP_ORIGIN", "SMTP_URL"]);
  assert.deepEqual(settingProblems({ ...fresh, APP_ORIGIN: "http://localhost:3000", MAIL_LOCAL_MAILBOX: "true" }), []);
  assert.throws(() => parseConfig(fresh), /APP_ORIGIN is required[\s\S]*SMTP_URL is required/);
});

it("the local mailbox cannot run in production: refused at start and by the app's configuration, naming it; npm start on a developer's machine may", () => {
  const base = { ...generateSecrets(), APP_ORIGIN: "http://localhost:3000", MAIL_LOCAL_MAILBOX: "true" };
  const production = { ...base, NODE_ENV: "production" };
  assert.deepEqual(settingProblems(production).map((p: { name: string }) => p.name), ["MAIL_LOCAL_MAILBOX"]);
  assert.throws(() => parseConfig(production), /MAIL_LOCAL_MAILBOX is true on a server people use/);
  // `npm start` where NODE_ENV was not production: the server still runs as production (next start), marked a developer's.
  const developerStart = { ...production, KEYCARD_DEVELOPMENT_START: "true" };
  assert.deepEqual(settingProblems(developerStart), []);
  assert.equal(parseConfig(developerStart).mail.localMailbox, true);
  // With SMTP_URL set, mail goes there and no mailbox exists, whatever else is set.
  assert.equal(parseConfig({ ...developerStart, SMTP_URL: "smtp://mail.example.com:587" }).mail.localMailbox, false);
});

it("the local mailbox is refused too where links point anywhere but this machine, whatever NODE_ENV says", () => {
  const base = { ...generateSecrets(), MAIL_LOCAL_MAILBOX: "true", KEYCARD_DEVELOPMENT_START: "true" };
  assert.deepEqual(settingProblems({ ...base, APP_ORIGIN: "https://login.example.com" }).map((p: { name: string }) => p.name), ["MAIL_LOCAL_MAILBOX"]);
  assert.deepEqual(settingProblems({ ...base, APP_ORIGIN: "http://localhost:3000" }), []);
  assert.deepEqual(settingProblems({ ...base, APP_ORIGIN: "http://127.0.0.1:3000" }), []);
});

it("providers are checked at start, each problem named: a missing issuer or secret, an http:// issuer on a server, a bad or repeated id", () => {
  const server = { ...generateSecrets(), NODE_ENV: "production", APP_ORIGIN: "https://login.example.com", SMTP_URL: "smtp://mail.example.com:587" };
  const problems = settingProblems({
    ...server,
    AUTH_PROVIDERS: "corp,github,Bad_Id,corp,dev",
    AUTH_PROVIDER_CORP_CLIENT_ID: "keycard",
    AUTH_PROVIDER_GITHUB_CLIENT_ID: "Iv1.0123456789",
    AUTH_PROVIDER_GITHUB_CLIENT_SECRET: "5d0c4b1fa8e2f7a3c6d9e0b4a1f2c3d4e5f60718",
    AUTH_PROVIDER_DEV_ISSUER: "http://localhost:3001",
    AUTH_PROVIDER_DEV_CLIENT_ID: "keycard",
    AUTH_PROVIDER_DEV_CLIENT_SECRET: "Zr8yQ2mW5tK9pL3vN7xB4cH6",
  });
  const named = (name: string) => problems.find((p: { name: string }) => p.name === name)?.problem ?? "";
  assert.match(named("AUTH_PROVIDER_CORP_ISSUER"), /is not set/);
  assert.match(named("AUTH_PROVIDER_CORP_CLIENT_SECRET"), /is not set/);
  assert.match(named("AUTH_PROVIDER_DEV_ISSUER"), /must be https:\/\//);
  const ids = problems.filter((p: { name: string }) => p.name === "AUTH_PROVIDERS").map((p: { problem: string }) => p.problem);
  assert.ok(ids.some((p: string) => p.includes('"Bad_Id"')) && ids.some((p: string) => p.includes("twice")), ids.join("; "));
  assert.equal(problems.filter((p: { name: string }) => p.name.startsWith("AUTH_PROVIDER_GITHUB")).length, 0, "GitHub needs no issuer");
  // The app's own configuration refuses the same, naming them.
  assert.throws(() => parseConfig({ ...server, AUTH_PROVIDERS: "corp" }), /AUTH_PROVIDER_CORP_ISSUER is not set/);
  // A developer's machine may use a provider on http://localhost.
  assert.deepEqual(settingProblems({ ...server, NODE_ENV: "development", AUTH_PROVIDERS: "dev", AUTH_PROVIDER_DEV_ISSUER: "http://localhost:3001", AUTH_PROVIDER_DEV_CLIENT_ID: "k", AUTH_PROVIDER_DEV_CLIENT_SECRET: "Zr8yQ2mW5tK9pL3vN7xB4cH6" }), []);
});

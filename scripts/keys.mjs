// Signing-key rotation for the .env that `npm start` uses (in production, do the same to wherever
// AUTH_SIGNING_KEYS lives).
//
//   npm run keys:rotate   a new key goes first: it signs from the next restart on; the old keys
//                         stay and keep verifying the tokens they signed.
//   npm run keys:retire   after one access-token lifetime (+ clock tolerance), keep only the
//                         first key; tokens signed by the others are refused (and refreshed).
//   npm run keys:public   print AUTH_VERIFYING_KEYS for the current AUTH_SIGNING_KEYS.
//
// Each change rewrites AUTH_VERIFYING_KEYS too: it is always the public halves of the signing keys.
//
// With several instances, add the new key *last* everywhere first (`keys:rotate --verify-only`),
// restart them all, then move it first (`keys:promote`) and restart again: no instance ever meets
// a kid it does not know (docs/deploying.md).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateSigningKey, verifyingKeysFor } from "./secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const envFile = path.join(root, ".env");
const [command, ...flags] = process.argv.slice(2);

if (!fs.existsSync(envFile)) fail("No .env here: run `npm start` once, or change AUTH_SIGNING_KEYS where it is configured.");
const text = fs.readFileSync(envFile, "utf8");
const line = /^AUTH_SIGNING_KEYS='(.*)'$/m.exec(text);
if (!line) fail("No AUTH_SIGNING_KEYS='[…]' line in .env.");
const keys = JSON.parse(line[1]);

let next;
if (command === "public") {
  console.log(verifyingKeysFor(keys));
  process.exit(0);
} else if (command === "rotate") {
  const key = generateSigningKey();
  next = flags.includes("--verify-only") ? [...keys, key] : [key, ...keys];
  if (flags.includes("--verify-only")) {
    console.log(`Added key ${key.kid} (verifies only).`);
    console.log("Restart every instance, then run `npm run keys:promote`.");
  } else {
    console.log(`Added key ${key.kid}; it signs after the next restart.`);
    console.log("Restart the server. After one access-token lifetime, run `npm run keys:retire`.");
  }
} else if (command === "promote") {
  if (keys.length === 1) fail(`Only one key (${keys[0].kid}); add one with \`npm run keys:rotate -- --verify-only\` first.`);
  const key = keys.at(-1);
  next = [key, ...keys.slice(0, -1)];
  console.log(`${key.kid} now signs (after the next restart); the others keep verifying.`);
  console.log("Restart every instance. After one access-token lifetime, run `npm run keys:retire`.");
} else if (command === "retire") {
  if (keys.length === 1) fail(`Only one key (${keys[0].kid}); nothing to retire.`);
  next = [keys[0]];
  console.log(`Kept ${keys[0].kid}; retired ${keys.slice(1).map((k) => k.kid).join(", ")}. Restart the server.`);
} else {
  fail("Usage: node scripts/keys.mjs rotate [--verify-only] | promote | retire | public");
}
const verifying = `AUTH_VERIFYING_KEYS='${verifyingKeysFor(next)}'`;
let updated = text.replace(line[0], `AUTH_SIGNING_KEYS='${JSON.stringify(next)}'`);
updated = /^AUTH_VERIFYING_KEYS=.*$/m.test(updated)
  ? updated.replace(/^AUTH_VERIFYING_KEYS=.*$/m, verifying)
  : `${updated.replace(/\n?$/, "\n")}${verifying}\n`;
fs.writeFileSync(envFile, updated, { mode: 0o600 });

function fail(message) {
  console.error(message);
  process.exit(1);
}

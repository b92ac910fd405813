// The REFRESH_TOKEN_KEY ring, step by step (docs/deploying.md). On a machine with a .env (what
// `npm start` uses) the ring there is changed; elsewhere the new value is printed, to put wherever
// REFRESH_TOKEN_KEY lives.
//
//   npm run refresh-key:rotate [-- --accept-only]   a new key, first (it makes everything new from
//                                                   the next start) — or last: only accepted, for
//                                                   several instances, then promote
//   npm run refresh-key:promote                      the last key becomes the first
//   npm run refresh-key:reseal                       every authenticator key sealed with the first key
//   npm run refresh-key:status                       what still depends on the other keys
//   npm run refresh-key:retire [-- --force]          keep only the first key; refused while anything
//                                                   still depends on the others (--force: anyway)
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createDb } from "@/lib/db";
import { keyId } from "@/lib/server/key-ring";
import { resealAuthenticatorKeys, stillUsingEarlierKeys } from "@/lib/server/store/key-ring";

const envFile = path.join(process.cwd(), ".env");
const [command, ...flags] = process.argv.slice(2);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const fileText = fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8") : null;
const fileLine = fileText ? /^REFRESH_TOKEN_KEY=(.*)$/m.exec(fileText) : null;
const unquote = (v: string) => v.trim().replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
const current = process.env.REFRESH_TOKEN_KEY ?? (fileLine ? unquote(fileLine[1]) : undefined);
if (!current) fail("REFRESH_TOKEN_KEY is not set here (no .env with it, nothing in the environment).");
const ring = current.split(",").map((k) => k.trim()).filter(Boolean);
const named = (keys: string[]) => keys.map(keyId).join(", ");

/** Writes the ring to .env when the ring came from there; otherwise prints what to set. */
function save(next: string[], said: string) {
  const value = next.join(",");
  if (fileText && fileLine && !process.env.REFRESH_TOKEN_KEY) {
    fs.writeFileSync(envFile, fileText.replace(fileLine[0], `REFRESH_TOKEN_KEY='${value}'`), { mode: 0o600 });
    console.log(`${said}\nREFRESH_TOKEN_KEY in .env is now: ${named(next)} (ids; the first is current). Restart the server.`);
  } else {
    console.log(`${said}\nSet REFRESH_TOKEN_KEY to this value (keys ${named(next)}), on every instance:\n${value}`);
  }
}

async function withDb<T>(work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL ?? (fileText ? /^DATABASE_URL=(.*)$/m.exec(fileText)?.[1] : undefined);
  if (!url) fail("DATABASE_URL is not set (run `npm start` once to write a .env, or set it).");
  const db = createDb(unquote(url));
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const ringConfig = { refreshTokenKey: ring[0], refreshTokenKeys: ring };
  if (command === "rotate") {
    const key = randomBytes(32).toString("base64url");
    const acceptOnly = flags.includes("--accept-only");
    save(
      acceptOnly ? [...ring, key] : [key, ...ring],
      acceptOnly
        ? `Added key ${keyId(key)}, accepted but not yet used. Once every instance has it, run \`npm run refresh-key:promote\`.`
        : `Added key ${keyId(key)}: it makes everything new from the next start. Then run \`npm run refresh-key:reseal\`.`,
    );
  } else if (command === "promote") {
    if (ring.length === 1) fail(`Only one key (${keyId(ring[0])}): add one with \`npm run refresh-key:rotate -- --accept-only\` first.`);
    save([ring.at(-1)!, ...ring.slice(0, -1)], `${keyId(ring.at(-1)!)} is now current; the others stay accepted. Then run \`npm run refresh-key:reseal\`.`);
  } else if (command === "reseal") {
    const done = await withDb((db) => resealAuthenticatorKeys(db, ringConfig));
    console.log(`Authenticator keys: ${done.resealed} sealed again with ${keyId(ring[0])}, ${done.current} already were, ${done.unreadable} unreadable by any key of the ring.`);
  } else if (command === "status" || command === "retire") {
    const still = await withDb((db) => stillUsingEarlierKeys(db, ringConfig, new Date()));
    const lines = [
      `${still.recoveryCodes} unused recovery codes made with an earlier key (they stop working with it, until their owners make new ones)`,
      `${still.recoveryCodesBeforeRing} unused recovery codes from before the ring named its keys (made with whichever key was current then)`,
      `${still.liveMail} mailed codes and links still live${still.lastMailExpiresAt ? `, the last until ${still.lastMailExpiresAt.toISOString()}` : ""}`,
      `${still.authenticatorKeys} authenticator keys not sealed with the current key (run \`npm run refresh-key:reseal\`)`,
    ];
    console.log(`Ring: ${named(ring)} (current: ${keyId(ring[0])}).\n  ${lines.join("\n  ")}`);
    if (command === "status") return;
    if (ring.length === 1) fail("Only one key: nothing to retire.");
    const depends = still.recoveryCodes + still.recoveryCodesBeforeRing + still.liveMail + still.authenticatorKeys > 0;
    if (depends && !flags.includes("--force")) fail("Not retired: the above still depends on the other keys. Wait, reseal, or run with --force.");
    save([ring[0]], `Retired ${named(ring.slice(1))}.`);
  } else {
    fail("Usage: npm run refresh-key:rotate [-- --accept-only] | refresh-key:promote | refresh-key:reseal | refresh-key:status | refresh-key:retire [-- --force]");
  }
}

// Top-level await is not available: tsx runs this file as CommonJS.
main().catch((error) => fail(`refresh-key ${command} failed: ${error.message}`));

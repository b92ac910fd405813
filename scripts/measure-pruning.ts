// `npm run bench:prune`: how large the token tables grow, with and without pruning.
//
// Simulates 10,000 sign-ins spread over 60 days (1,000 people, ten each), every session refreshing
// 100 times five minutes apart; 30% then sign out, the rest are left to idle out after 7 days.
// Meanwhile 60,000 failed sign-ins guess a new email each (1,000 a day from 20 addresses): every
// guessed email leaves rate-limit counters behind.
// Rows are written straight into SQLite in the shape the store writes them (a million refreshes
// through Prisma would take a quarter of an hour), then the app's own pruneAuthRecords runs.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { pruneAuthRecords } from "@/lib/server/store/prune";
import { createDb } from "@/lib/db";

const SIGN_INS = 10_000;
const PEOPLE = 1_000;
const REFRESHES = 100;
const DAYS = 60;
const GUESSES = 60_000;
const GUESSING_IPS = 20;
const IDLE_MS = 7 * 24 * 3600 * 1000;
const ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
const start = Date.parse("2026-01-01T00:00:00Z");
const end = start + DAYS * 24 * 3600 * 1000;

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const hash = () => createHash("sha256").update(randomBytes(32)).digest("base64url");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-prune-"));
const url = `file:${path.join(dir, "prune.db")}`;
// The runner is async and this setup is not (tsx runs the file as CommonJS): its own process.
execFileSync(process.execPath, [path.join(__dirname, "migrate.mjs")], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
const sqlite = new Database(path.join(dir, "prune.db"));

const t0 = performance.now();
const insert = {
  user: sqlite.prepare(`INSERT INTO User (id, email, passwordHash, createdAt) VALUES (?, ?, ?, ?)`),
  session: sqlite.prepare(
    `INSERT INTO Session (id, userId, persistent, createdAt, lastActiveAt, idleExpiresAt, expiresAt, revokedAt, revokedReason, userAgent, ip)
     VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  token: sqlite.prepare(`INSERT INTO RefreshToken (id, tokenHash, sessionId, createdAt, consumedAt) VALUES (?, ?, ?, ?, ?)`),
  event: sqlite.prepare(`INSERT INTO SecurityEvent (id, userId, sessionId, type, ip, userAgent, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  // The keys lib/server/limits.ts writes; a later window of the same key replaces the row.
  limit: sqlite.prepare(`INSERT OR REPLACE INTO RateLimit (key, windowStart, count) VALUES (?, ?, 1)`),
};
const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const users = Array.from({ length: PEOPLE }, (_, i) => randomUUID());
sqlite.transaction(() => {
  users.forEach((id, i) => insert.user.run(id, `person${i}@example.com`, "$2b$12$" + "x".repeat(53), iso(start)));
  for (let i = 0; i < SIGN_INS; i++) {
    const userId = users[i % PEOPLE];
    const signedIn = start + Math.floor((i / SIGN_INS) * (end - start - REFRESHES * 300_000));
    const lastRefresh = signedIn + REFRESHES * 300_000;
    const signsOut = i % 10 < 3;
    const sessionId = randomUUID();
    insert.session.run(
      sessionId, userId, iso(signedIn), iso(lastRefresh),
      iso(Math.min(lastRefresh + IDLE_MS, signedIn + ABSOLUTE_MS)), iso(signedIn + ABSOLUTE_MS),
      signsOut ? iso(lastRefresh + 60_000) : null, signsOut ? "signed_out" : null, ua, "203.0.113.9",
    );
    for (let r = 0; r <= REFRESHES; r++) {
      const created = signedIn + r * 300_000;
      insert.token.run(randomUUID(), hash(), sessionId, iso(created), r < REFRESHES ? iso(created + 300_000) : null);
    }
    insert.event.run(randomUUID(), userId, sessionId, "signed_in", "203.0.113.9", ua, iso(signedIn));
    if (signsOut) insert.event.run(randomUUID(), userId, sessionId, "signed_out", "203.0.113.9", ua, iso(lastRefresh + 60_000));
  }
  for (let g = 0; g < GUESSES; g++) {
    const at = iso(start + Math.floor((g / GUESSES) * (end - start)));
    const ip = `198.51.100.${g % GUESSING_IPS}`;
    const email = `guess${g}@example.com`;
    insert.limit.run(`login:account-ip:${email}|${ip}`, at);
    insert.limit.run(`login:ip:${ip}`, at);
    insert.limit.run(`login:account:${email}`, at);
  }
})();
const generated = performance.now() - t0;

function measure() {
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const pageSize = sqlite.pragma("page_size", { simple: true }) as number;
  const pages = sqlite.pragma("page_count", { simple: true }) as number;
  const free = sqlite.pragma("freelist_count", { simple: true }) as number;
  return {
    sessions: count("Session"),
    refreshTokens: count("RefreshToken"),
    securityEvents: count("SecurityEvent"),
    rateLimits: count("RateLimit"),
    mb: ((pages - free) * pageSize) / 1e6,
  };
}

async function main() {
const before = measure();
const db = createDb(url);
const t1 = performance.now();
const removed = await pruneAuthRecords(db, new Date(end));
const pruneMs = performance.now() - t1;
await db.$disconnect();
const after = measure();
sqlite.exec("VACUUM");
const vacuumedMb = ((sqlite.pragma("page_count", { simple: true }) as number) * (sqlite.pragma("page_size", { simple: true }) as number)) / 1e6;
sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });

const row = (label: string, m: typeof before) =>
  `| ${label} | ${m.sessions.toLocaleString("en")} | ${m.refreshTokens.toLocaleString("en")} | ${m.securityEvents.toLocaleString("en")} | ${m.rateLimits.toLocaleString("en")} | ${m.mb.toFixed(1)} MB |`;
console.log(`${SIGN_INS.toLocaleString("en")} sign-ins over ${DAYS} days, ${REFRESHES} refreshes each (generated in ${(generated / 1000).toFixed(1)} s)\n`);
console.log("|  | sessions | refresh tokens | security events | rate-limit counters | data |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
console.log(row("without pruning", before));
console.log(row("after pruning", after));
console.log(`\npruneAuthRecords removed ${removed.sessions.toLocaleString("en")} sessions, ${removed.refreshTokens.toLocaleString("en")} tokens and ${removed.rateLimits.toLocaleString("en")} rate-limit counters in ${(pruneMs / 1000).toFixed(1)} s (batches of 10 sessions, the slowest ${removed.slowestBatchMs.toFixed(0)} ms); file after VACUUM ${vacuumedMb.toFixed(1)} MB.`);
}

// Top-level await is not available: tsx runs this file as CommonJS.
main();

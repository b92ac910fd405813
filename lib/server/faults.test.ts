// Telling an outage from a bug, with real faults from real databases.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import Database from "better-sqlite3";
import { createDb } from "@/lib/db";
import { migrate } from "@/scripts/migrate.mjs";
import { Prisma } from "@/lib/generated/sqlite/client";
import { BusyError, isStoreFault } from "./faults";
import { Writable } from "node:stream";
import { createLogger, replaceLogger } from "./log";
import { answerThrown } from "./route";

const caught = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  assert.fail("expected the store to fail");
};

it("a SQLite database locked by another process is a store fault", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-fault-"));
  const file = path.join(dir, "locked.db");
  await migrate(`file:${file}`);
  const db = createDb(`file:${file}`);
  const lock = new Database(file);
  lock.exec("BEGIN EXCLUSIVE");
  try {
    const error = await caught(() => db.user.create({ data: { id: "u", email: "u@example.com", passwordHash: "x", createdAt: new Date() } }));
    assert.equal(isStoreFault(error), true, String(error));
  } finally {
    lock.exec("ROLLBACK");
    lock.close();
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("a PostgreSQL server that cannot be reached is a store fault", async () => {
  const db = createDb("postgresql://keycard@127.0.0.1:9/nowhere", { poolSize: 1 });
  try {
    assert.equal(isStoreFault(await caught(() => db.user.count())), true);
  } finally {
    await db.$disconnect();
  }
});

it("a bug is not a store fault: it is answered 500 internal_error and logged, not dressed as an outage", async () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
  assert.equal(isStoreFault(bug), false);
  const lines: string[] = [];
  const restore = replaceLogger(createLogger("info", new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) })));
  try {
    const response = answerThrown(new Request("http://keycard.test/api/auth/login", { method: "POST" }), bug);
    assert.equal(response.status, 500);
    assert.deepEqual((await response.json()).error.code, "internal_error");
    assert.equal(response.headers.get("cache-control"), "no-store");
  } finally {
    restore();
  }
  const line = JSON.parse(lines.find((l) => l.includes("internal_error"))!);
  assert.equal(line.level, 50);
  assert.match(line.err.stack, /TypeError: Cannot read properties of undefined/, "the error itself, with its stack, reaches the log");
});

it("a transaction that could not start in time is a fault; a transaction used wrongly is a bug", () => {
  const p2028 = (message: string) => new Prisma.PrismaClientKnownRequestError(message, { code: "P2028", clientVersion: "test" });
  assert.equal(isStoreFault(p2028("Transaction API error: Unable to start a transaction in the given time.")), true);
  assert.equal(isStoreFault(p2028("Transaction API error: Transaction not found.")), false);
});

it("a plain form that meets a fault or a bug goes back to its page with the code, not to a JSON page", () => {
  const form = (referer: string) =>
    new Request("http://keycard.test/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", referer },
    });
  const busy = answerThrown(form("http://keycard.test/login?next=%2Faccount"), new BusyError(2));
  assert.equal(busy.status, 303);
  assert.equal(busy.headers.get("location"), "/login?error=busy");
  const bug = answerThrown(form("http://keycard.test/account"), new TypeError("oops"));
  assert.equal(bug.headers.get("location"), "/account?error=internal_error");
  // Another site's page is never where it goes back to.
  assert.equal(answerThrown(form("https://evil.example/login"), new TypeError("oops")).status, 500);
});

it("a fault is answered 503 store_unavailable with Retry-After; a full hashing queue 503 busy", async () => {
  const fault = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  const unavailable = answerThrown(new Request("http://keycard.test/api/auth/refresh", { method: "POST" }), fault);
  assert.equal(unavailable.status, 503);
  assert.equal((await unavailable.json()).error.code, "store_unavailable");
  assert.equal(unavailable.headers.get("retry-after"), "5");
  const busy = answerThrown(new Request("http://keycard.test/api/auth/login", { method: "POST" }), new BusyError(2));
  assert.equal(busy.status, 503);
  assert.equal((await busy.json()).error.code, "busy");
  assert.equal(busy.headers.get("retry-after"), "2");
});

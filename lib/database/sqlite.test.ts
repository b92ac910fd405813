// What lib/database/sqlite.ts changes about Prisma's SQLite adapter: statements kept prepared,
// and transactions that take the write lock when they begin. SQLite only.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { it } from "node:test";
import { isStoreFault } from "@/lib/server/faults";
import { TEST_DATABASE, useTestDatabase } from "@/lib/testing/test-db";
import { BUSY_TIMEOUT_MS } from "./sqlite";
import { sqliteFile } from "@/scripts/database-url.mjs";

const { db, url } = useTestDatabase();
const now = new Date("2026-12-06T12:00:00Z");
const user = (email: string) => ({ id: email, email, passwordHash: "x", createdAt: now });

/** Another process (a second instance, `npm run admin`) writing to the same file, as the app would: waiting up to 5 s for the lock. */
function writeFromAnotherProcess(file: string, sql: string) {
  const child = spawn(
    process.execPath,
    ["-e", `const db = new (require("better-sqlite3"))(process.argv[1], { timeout: 5000 }); db.prepare(process.argv[2]).run();`, file, sql],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { exited, stderr: () => stderr };
}

/** Another process holding the write lock for `ms`: resolves once it holds it; `released` once it let go. */
async function holdTheDatabase(file: string, ms: number) {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const db = new (require("better-sqlite3"))(process.argv[1]); db.exec("BEGIN IMMEDIATE"); console.log("held");
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2])); db.exec("COMMIT");`,
      file,
      String(ms),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const released = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return { released };
}

if (TEST_DATABASE === "sqlite") {
  it("a transaction that read first still commits when another process wrote to the file meanwhile", async () => {
    await db.user.createMany({ data: [user("reader@example.com"), user("other@example.com")] });
    let other!: ReturnType<typeof writeFromAnotherProcess>;
    let otherDoneWhileOpen = false;

    await db.$transaction(async (tx) => {
      const seen = await tx.user.findUniqueOrThrow({ where: { id: "reader@example.com" } });
      other = writeFromAnotherProcess(sqliteFile(url()), `UPDATE "User" SET "passwordHash" = 'changed' WHERE "id" = 'other@example.com'`);
      const settled = await Promise.race([other.exited.then(() => true), new Promise((resolve) => setTimeout(resolve, 1500, false))]);
      otherDoneWhileOpen = settled === true;
      // With a plain (deferred) BEGIN this write fails at once: the snapshot it read is stale.
      await tx.user.update({ where: { id: seen.id }, data: { passwordHash: `${seen.passwordHash}-updated` } });
    });

    assert.equal(await other.exited, 0, `the other process failed: ${other.stderr()}`);
    assert.equal(otherDoneWhileOpen, false, "the other process wrote while this transaction held the database");
    const [reader, written] = await Promise.all([
      db.user.findUniqueOrThrow({ where: { id: "reader@example.com" } }),
      db.user.findUniqueOrThrow({ where: { id: "other@example.com" } }),
    ]);
    assert.equal(reader.passwordHash, "x-updated");
    assert.equal(written.passwordHash, "changed");
  });

  // A time limit: what this guards against is every later query waiting for ever.
  it("a transaction that cannot get the database in time fails as an outage, and the next ones work once it is free", { timeout: 30_000 }, async () => {
    const other = await holdTheDatabase(sqliteFile(url()), BUSY_TIMEOUT_MS + 1500);
    const refused = await db.$transaction(async (tx) => tx.user.create({ data: user("waited@example.com") })).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused, "the transaction went through while another process held the database");
    assert.equal(isStoreFault(refused), true, `not told apart as an outage: ${String(refused)}`);
    assert.equal(await other.released, 0);

    // Nothing of it stays behind: the next transaction and a plain read go through.
    await db.$transaction(async (tx) => tx.user.create({ data: user("after@example.com") }));
    assert.equal(await db.user.count({ where: { email: { in: ["waited@example.com", "after@example.com"] } } }), 1);
  });

  it("queries answer right whatever statements were kept or dropped (more distinct queries than are kept)", async () => {
    const emails = Array.from({ length: 600 }, (_, i) => `kept-${String(i).padStart(4, "0")}@example.com`);
    await db.user.createMany({ data: emails.map(user) });
    // An IN list of each length, in each order, is its own SQL text: 1,200 of them, then the first again.
    const lengths = [...Array.from({ length: 600 }, (_, i) => i + 1), 1, 2, 300];
    for (const order of ["asc", "desc", "asc"] as const) {
      for (const n of lengths) {
        const found = await db.user.findMany({ where: { id: { in: emails.slice(0, n) } }, orderBy: { id: order }, select: { id: true } });
        const expected = emails.slice(0, n);
        assert.deepEqual(found.map((u) => u.id), order === "asc" ? expected : expected.reverse());
      }
    }
  });
}

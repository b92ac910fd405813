import assert from "node:assert/strict";
import { it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";

const db = useTestDb();
const now = new Date("2026-11-28T12:00:00Z");
const user = (email: string) => ({ id: email, email, passwordHash: "x", createdAt: now });

/** A transaction that writes, lets other requests run for a while, then fails and rolls back. */
async function failingTransaction(whileOpen: () => Promise<unknown>) {
  let outside: Promise<unknown> | undefined;
  await assert.rejects(
    db.$transaction(async (tx) => {
      await tx.user.create({ data: user("rolled-back@example.com") });
      outside = Promise.resolve(whileOpen()); // Prisma queries start when awaited: start it now
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("lost the race");
    }),
    /lost the race/,
  );
  return outside;
}

it("a write made while another request's transaction is open survives that transaction's rollback", async () => {
  await failingTransaction(() => db.user.create({ data: user("kept@example.com") }));
  const emails = (await db.user.findMany({ orderBy: { email: "asc" } })).map((u) => u.email);
  assert.ok(emails.includes("kept@example.com"), "the other request's write was undone with the transaction");
  assert.ok(!emails.includes("rolled-back@example.com"));
});

it("a read made while another request's transaction is open never sees that transaction's uncommitted rows", async () => {
  const seen = await failingTransaction(() => db.user.findUnique({ where: { email: "rolled-back@example.com" } }));
  assert.equal(seen, null);
});

it("transactions from concurrent requests take turns and all commit", async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.$transaction([db.user.create({ data: user(`turn-${i}@example.com`) }), db.user.count()]),
    ),
  );
  assert.equal(await db.user.count({ where: { email: { startsWith: "turn-" } } }), 20);
});

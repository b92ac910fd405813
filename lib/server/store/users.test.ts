import assert from "node:assert/strict";
import { it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { passwordComparisons } from "@/lib/server/password";
import { createUser, rehashPassword, replacePassword, verifyUserPassword } from "./users";

const config = testConfig();
const now = new Date("2026-11-28T12:00:00Z");
const db = useTestDb();

it("stores a bcrypt hash, never the password", async () => {
  const created = await createUser(db, { email: "ada@example.com", password: "analytical engine" }, config, now);
  assert.ok(created.ok);
  const row = await db.user.findUniqueOrThrow({ where: { id: created.user.id } });
  assert.match(row.passwordHash ?? "", /^\$2[aby]\$04\$/);
  assert.ok(!row.passwordHash!.includes("analytical"));
});

it("two registrations racing for one email: one account, the other told the email is taken", async () => {
  const results = await Promise.all(
    [1, 2, 3].map(() => createUser(db, { email: "race@example.com", password: "password123" }, config, now)),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
  assert.deepEqual(results.filter((r) => !r.ok), [
    { ok: false, code: "email_taken" },
    { ok: false, code: "email_taken" },
  ]);
});

it("a password check returns the user only for the right password, and null for an unknown email", async () => {
  await createUser(db, { email: "grace@example.com", password: "cobol rules" }, config, now);
  assert.equal((await verifyUserPassword(db, { email: "grace@example.com", password: "cobol rules" }, config))?.email, "grace@example.com");
  assert.equal(await verifyUserPassword(db, { email: "grace@example.com", password: "cobol rule" }, config), null);
  assert.equal(await verifyUserPassword(db, { email: "nobody@example.com", password: "cobol rules" }, config), null);
});

it("an unknown email costs a bcrypt comparison just as a known one does, so timing tells nothing", async () => {
  await createUser(db, { email: "known@example.com", password: "password123" }, config, now);
  const comparedFor = async (email: string) => {
    const before = passwordComparisons();
    assert.equal(await verifyUserPassword(db, { email, password: "wrong password" }, config), null);
    return passwordComparisons() - before;
  };
  assert.equal(await comparedFor("known@example.com"), 1);
  assert.equal(await comparedFor("unknown@example.com"), 1);
});

it("a stronger rehash never brings back a password that was changed in between", async () => {
  const created = await createUser(db, { email: "rehash@example.com", password: "old password" }, config, now);
  assert.ok(created.ok);
  const checked = await verifyUserPassword(db, { email: "rehash@example.com", password: "old password" }, config);
  assert.ok(checked);
  await replacePassword(db, { userId: created.user.id, newPassword: "new password", keepSessionId: "none" }, config, now);
  const stronger = { ...config, bcryptCost: 5 };
  assert.equal(await rehashPassword(db, { userId: created.user.id, password: "old password", checkedHash: checked.passwordHash }, stronger), false);
  assert.equal(await verifyUserPassword(db, { email: "rehash@example.com", password: "old password" }, config), null);
  assert.ok(await verifyUserPassword(db, { email: "rehash@example.com", password: "new password" }, config));
});


import assert from "node:assert/strict";
import { it } from "node:test";
import { guessableFromEmail, judge } from "@/lib/shared/password-rule";
import { passwordStrength } from "@/lib/shared/password-strength";
import { hashPassword, passwordThreads, scorePassword, scoringThreads, setPasswordThreads, verifyPassword } from "./password";

const settings = { bcryptCost: 4 };

it("the server's password thread judges a new password exactly as the form in the browser does", async () => {
  const cases: [string, string][] = [
    ["password123", ""],
    ["correct horse battery", ""],
    ["margueritequillfeather", ""],
    ["margueritequillfeather", "marguerite.quillfeather@example.com"],
    ["Tr0ub4dour&3", "someone@example.com"],
    ["qwertyuiop", "someone@example.com"],
    ["violet harbour lantern 4812", "demo@example.com"],
  ];
  for (const [password, email] of cases) {
    const onThread = judge(await scorePassword(password, guessableFromEmail(email), settings));
    assert.deepEqual(onThread, passwordStrength(password, email), `${password} for ${email || "a stranger"}`);
  }
});

it("a password thread left idle ends, and the next check starts another", async () => {
  const before = setPasswordThreads({ idleMs: 50, size: 1 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100)); // threads of earlier tests end
    const hash = await hashPassword("a password to check", settings);
    assert.equal(passwordThreads(), 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(passwordThreads(), 0, "the idle thread ended");
    assert.equal(await verifyPassword("a password to check", hash, settings), true, "a new thread answers");
    assert.equal((await scorePassword("password123", [], settings)).score < 3, true);
    assert.equal(passwordThreads(), 1);
  } finally {
    setPasswordThreads(before);
  }
});

it("with several threads, one idle thread is used before another starts, and one thread holds the dictionaries", async () => {
  const before = setPasswordThreads({ idleMs: 2000, size: 3 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last test's thread has ended
    assert.equal(passwordThreads(), 0);
    const hash = await hashPassword("one at a time", settings);
    for (let i = 0; i < 3; i++) await verifyPassword("one at a time", hash, settings);
    assert.equal(passwordThreads(), 1, "checks one after another share a thread");
    await Promise.all(Array.from({ length: 6 }, () => verifyPassword("one at a time", hash, settings)));
    assert.equal(passwordThreads(), 3, "checks at once spread over the pool");
    await Promise.all(Array.from({ length: 6 }, (_, i) => scorePassword(`a new password ${i}`, [], settings)));
    assert.equal(scoringThreads(), 1, "every score went to the one thread with the dictionaries");
  } finally {
    setPasswordThreads(before);
  }
});

it("checks that arrive together while a thread is ending are all answered", async () => {
  const before = setPasswordThreads({ idleMs: 1 });
  try {
    const hash = await hashPassword("together", settings);
    // Forty checks, each started just as the previous thread may be retiring.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i % 5)).then(() => verifyPassword("together", hash, settings))),
    );
    assert.deepEqual(new Set(results), new Set([true]));
  } finally {
    setPasswordThreads(before);
  }
});

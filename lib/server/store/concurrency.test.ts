// Issue 5's concurrency batteries, run on SQLite and on PostgreSQL (scripts/run-unit-tests.mjs).
// On PostgreSQL the requests really overlap: each takes its own pooled connection.
import assert from "node:assert/strict";
import { it } from "node:test";
import { TEST_DATABASE, useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { Prisma } from "@/lib/generated/sqlite/client";
import { createSession, retryingConflicts, rotateRefreshToken } from "./sessions";
import { createUser } from "./users";

const config = testConfig({ REFRESH_GRACE_SECONDS: "10" });
const t0 = new Date("2026-11-28T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

const db = useTestDb();
let user: Promise<string> | undefined;
const userId = () =>
  (user ??= createUser(db, { email: "many@example.com", password: "password123" }, config, t0).then((created) => {
    assert.ok(created.ok);
    return created.user.id;
  }));

const start = async () => createSession(db, { userId: await userId(), persistent: true }, config, t0);
const liveTokens = (sessionId: string) => db.refreshToken.count({ where: { sessionId, consumedAt: null } });

it(`battery 1 (${TEST_DATABASE}): 100 parallel refreshes of one token all succeed, on one successor and one live token`, async () => {
  const { session, refreshToken } = await start();
  // Spread over 100 ms, as a hundred tabs and prefetches would be.
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => rotateRefreshToken(db, refreshToken, config, at(60_000 + i))),
  );
  assert.deepEqual(
    results.filter((r) => !r.ok),
    [],
  );
  assert.equal(new Set(results.map((r) => r.ok && r.refreshToken)).size, 1);
  assert.equal(await liveTokens(session.id), 1);
  assert.equal((await db.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt, null);
});

it(`battery 2 (${TEST_DATABASE}): 100 sessions refreshing in parallel, 20 times each, lose nothing`, async () => {
  const sessions = await Promise.all(Array.from({ length: 100 }, start));
  const failures: unknown[] = [];
  await Promise.all(
    sessions.map(async ({ refreshToken }, s) => {
      let token = refreshToken;
      for (let round = 1; round <= 20; round++) {
        try {
          const result = await rotateRefreshToken(db, token, config, at(round * 300_000 + s));
          if (!result.ok) failures.push({ session: s, round, code: result.code });
          else token = result.refreshToken;
        } catch (error) {
          failures.push({ session: s, round, error: String(error) }); // a deadlock or serialization error reached the caller
        }
      }
    }),
  );
  assert.deepEqual(failures, []);
  for (const { session } of sessions) assert.equal(await liveTokens(session.id), 1);
  assert.equal(await db.refreshToken.count({ where: { sessionId: { in: sessions.map((s) => s.session.id) } } }), 100 * 21);
  assert.equal(await db.session.count({ where: { id: { in: sessions.map((s) => s.session.id) }, revokedAt: { not: null } } }), 0);
});

it(`battery 3 (${TEST_DATABASE}): a token replayed after the grace window ends its session`, async () => {
  const { session, refreshToken } = await start();
  const rotated = await rotateRefreshToken(db, refreshToken, config, at(60_000));
  assert.ok(rotated.ok);
  const replay = await rotateRefreshToken(db, refreshToken, config, at(60_000 + 11_000));
  assert.equal(replay.ok === false && replay.code, "reused");
  const ended = await db.session.findUniqueOrThrow({ where: { id: session.id } });
  assert.equal(ended.revokedReason, "refresh_token_reused");
  assert.deepEqual(await rotateRefreshToken(db, rotated.refreshToken, config, at(60_000 + 12_000)), { ok: false, code: "revoked" });
});

it("a rotation the database refused for a deadlock or a serialization failure runs again", async () => {
  const conflict = () => new Prisma.PrismaClientKnownRequestError("write conflict", { code: "P2034", clientVersion: "test" });
  let calls = 0;
  assert.equal(await retryingConflicts(async () => (++calls < 3 ? Promise.reject(conflict()) : "committed")), "committed");
  assert.equal(calls, 3);

  calls = 0;
  await assert.rejects(retryingConflicts(async () => (calls++, Promise.reject(conflict()))), /write conflict/);
  assert.equal(calls, 3, "gives up after three refusals");

  calls = 0;
  await assert.rejects(retryingConflicts(async () => (calls++, Promise.reject(new Error("disk full")))), /disk full/);
  assert.equal(calls, 1, "other errors are not retried");
});

it(`battery 6 (${TEST_DATABASE}): instances that disagree on REFRESH_TOKEN_KEY never both rotate one token`, async () => {
  // During a rolling change of the key, two instances derive different successors: the unique
  // index cannot catch that, the compare-and-swap's count must.
  const other = { ...config, refreshTokenKey: testConfig().refreshTokenKey };
  const { refreshToken } = await start();
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) => rotateRefreshToken(db, refreshToken, i % 2 ? other : config, at(120_000 + i))),
  );
  const handedOut = new Set(results.flatMap((r) => (r.status === "fulfilled" && r.value.ok ? [r.value.refreshToken] : [])));
  assert.ok(handedOut.size <= 1, `${handedOut.size} different successors were handed out`);
});


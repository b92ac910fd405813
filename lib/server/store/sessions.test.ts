import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { hashRefreshToken } from "@/lib/server/refresh-token";
import { createSession, revokeSession, rotateRefreshToken } from "./sessions";
import { createUser } from "./users";

const config = testConfig({
  SESSION_IDLE_TTL_SECONDS: String(7 * 24 * 3600),
  SESSION_ABSOLUTE_TTL_SECONDS: String(30 * 24 * 3600),
  REFRESH_GRACE_SECONDS: "10",
});
const t0 = new Date("2026-11-28T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const DAY = 24 * 3600;

const db = useTestDb();
let userId: string;
beforeEach(async () => {
  await db.user.deleteMany();
  const created = await createUser(db, { email: `u${Math.random()}@example.com`, password: "password123" }, config, t0);
  assert.ok(created.ok);
  userId = created.user.id;
});

const start = (now = t0) => createSession(db, { userId, persistent: true }, config, now);
const liveTokens = (sessionId: string) => db.refreshToken.count({ where: { sessionId, consumedAt: null } });

describe("refresh token rotation", () => {
  it("stores only a hash of the token", async () => {
    const { session, refreshToken } = await start();
    const rows = await db.refreshToken.findMany({ where: { sessionId: session.id } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].tokenHash, hashRefreshToken(refreshToken));
    assert.ok(!JSON.stringify(rows).includes(refreshToken));
  });

  it("each refresh consumes the token and issues a different one in the same session", async () => {
    const { session, refreshToken } = await start();
    const first = await rotateRefreshToken(db, refreshToken, config, at(60));
    assert.ok(first.ok);
    assert.notEqual(first.refreshToken, refreshToken);
    assert.equal(first.session.id, session.id);
    const second = await rotateRefreshToken(db, first.refreshToken, config, at(120));
    assert.ok(second.ok);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal(await liveTokens(session.id), 1);
  });

  it("twenty requests refreshing the same token at once all get the same successor, and one live token remains", async () => {
    const { session, refreshToken } = await start();
    const results = await Promise.all(Array.from({ length: 20 }, () => rotateRefreshToken(db, refreshToken, config, at(60))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(new Set(results.map((r) => r.ok && r.refreshToken)).size, 1);
    assert.equal(await liveTokens(session.id), 1);
    assert.equal((await db.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt, null);
  });

  it("a token presented again within the grace window gets the current live token, even after a further rotation", async () => {
    const { session, refreshToken } = await start();
    const first = await rotateRefreshToken(db, refreshToken, config, at(0));
    assert.ok(first.ok);
    const second = await rotateRefreshToken(db, first.refreshToken, config, at(4));
    assert.ok(second.ok);
    const late = await rotateRefreshToken(db, refreshToken, config, at(9));
    assert.ok(late.ok, "within 10 s of its rotation");
    assert.equal(late.refreshToken, second.refreshToken);
    assert.equal(await liveTokens(session.id), 1);
  });

  it("a consumed token replayed after the grace window revokes its session, and says whose it was; other sessions live on", async () => {
    const victim = await start();
    const other = await start();
    const rotated = await rotateRefreshToken(db, victim.refreshToken, config, at(0));
    assert.ok(rotated.ok);

    const replay = await rotateRefreshToken(db, victim.refreshToken, config, at(11), { ip: "203.0.113.9", userAgent: "curl/8" });
    assert.deepEqual(replay, { ok: false, code: "reused", session: { id: victim.session.id, userId, userAgent: null, ip: null }, ended: true });

    const revoked = await db.session.findUniqueOrThrow({ where: { id: victim.session.id } });
    assert.equal(revoked.revokedReason, "refresh_token_reused");
    assert.deepEqual(await rotateRefreshToken(db, rotated.refreshToken, config, at(12)), { ok: false, code: "revoked" });

    assert.ok((await rotateRefreshToken(db, other.refreshToken, config, at(13))).ok);
  });

  it("a session unused for the idle lifetime expires", async () => {
    const { refreshToken } = await start();
    assert.deepEqual(await rotateRefreshToken(db, refreshToken, config, at(7 * DAY + 1)), { ok: false, code: "expired" });
  });

  it("each refresh extends the idle lifetime, but never past the absolute one", async () => {
    let { refreshToken } = await start();
    // Refreshing every six days keeps the session alive until day 30 and not a second longer.
    for (let day = 6; day < 30; day += 6) {
      const rotated = await rotateRefreshToken(db, refreshToken, config, at(day * DAY));
      assert.ok(rotated.ok, `day ${day}`);
      assert.ok(rotated.session.idleExpiresAt <= at(30 * DAY));
      refreshToken = rotated.refreshToken;
    }
    assert.deepEqual(await rotateRefreshToken(db, refreshToken, config, at(30 * DAY)), { ok: false, code: "expired" });
  });

  it("a revoked session refreshes no more", async () => {
    const { session, refreshToken } = await start();
    await revokeSession(db, session.id, "signed_out", at(1));
    assert.deepEqual(await rotateRefreshToken(db, refreshToken, config, at(2)), { ok: false, code: "revoked" });
  });

  it("unknown and malformed tokens are invalid, and nothing is written", async () => {
    const { session } = await start();
    for (const token of ["", "x", "a".repeat(43), "not a token at all ".repeat(3)]) {
      assert.deepEqual(await rotateRefreshToken(db, token, config, at(1)), { ok: false, code: "invalid" });
    }
    assert.equal(await db.refreshToken.count({ where: { sessionId: session.id } }), 1);
  });
});

describe("a refresh that fails half-way", () => {
  it("rolls back whole: the presented token is not consumed, and the same token works once the fault is gone", async () => {
    const { session, refreshToken } = await start();
    // Fault injection by data: a row already holding the successor's hash makes the insert that
    // follows the compare-and-swap fail, inside the same transaction.
    const { deriveSuccessorToken } = await import("@/lib/server/refresh-token");
    const other = await start();
    const blocker = await db.refreshToken.create({
      data: {
        id: "blocker",
        tokenHash: hashRefreshToken(deriveSuccessorToken(refreshToken, config.refreshTokenKey)),
        sessionId: other.session.id,
        createdAt: t0,
      },
    });
    await assert.rejects(rotateRefreshToken(db, refreshToken, config, at(60)), /the token was not consumed/);
    const row = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    assert.equal(row.consumedAt, null, "the consume was rolled back with the failed insert");

    await db.refreshToken.delete({ where: { id: blocker.id } });
    const retried = await rotateRefreshToken(db, refreshToken, config, at(61));
    assert.ok(retried.ok);
    assert.equal(await liveTokens(session.id), 1);
  });

  it("a sign-out landing between the refresh's read and its write wins: the refresh answers revoked and writes nothing", async () => {
    const { session, refreshToken } = await start();
    // The sign-out commits just before the rotation's transaction starts.
    const signingOutMeanwhile = new Proxy(db, {
      get(target, property) {
        if (property !== "$transaction") return Reflect.get(target, property);
        return async (...args: Parameters<typeof db.$transaction>) => {
          await revokeSession(db, session.id, "signed_out", at(59));
          return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      },
    });
    assert.deepEqual(await rotateRefreshToken(signingOutMeanwhile, refreshToken, config, at(60)), { ok: false, code: "revoked" });
    const tokens = await db.refreshToken.findMany({ where: { sessionId: session.id } });
    assert.equal(tokens.length, 1, "no successor was written");
    assert.equal(tokens[0].consumedAt, null, "the token's consume was rolled back with the rest");
  });
});

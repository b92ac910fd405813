import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { pruneAuthRecords } from "./prune";
import { createSession, revokeSession, rotateRefreshToken } from "./sessions";
import { createUser } from "./users";

const config = testConfig({ REFRESH_GRACE_SECONDS: "10" });
const DAY = 24 * 3600;
const t0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const db = useTestDb();

it("removes ended sessions with their tokens and old events, and keeps what reuse detection needs", async () => {
  const created = await createUser(db, { email: "prune@example.com", password: "password123" }, config, t0);
  assert.ok(created.ok);
  const userId = created.user.id;
  const start = (when: Date) => createSession(db, { userId, persistent: true }, config, when);

  // A live session that has refreshed three times: four token rows, three of them consumed.
  const live = await start(at(40 * DAY));
  let token = live.refreshToken;
  const consumed: string[] = [];
  for (let i = 1; i <= 3; i++) {
    consumed.push(token);
    const rotated = await rotateRefreshToken(db, token, config, at(40 * DAY + i * 600));
    assert.ok(rotated.ok);
    token = rotated.refreshToken;
  }
  const signedOutLongAgo = await start(at(30 * DAY));
  await revokeSession(db, signedOutLongAgo.session.id, "signed_out", at(30 * DAY + 60));
  const signedOutJustNow = await start(at(45 * DAY));
  await revokeSession(db, signedOutJustNow.session.id, "signed_out", at(45 * DAY + 60));
  const idledOut = await start(at(20 * DAY)); // idle end: day 27

  const event = (days: number) => ({ id: randomUUID(), userId, type: "signed_in", createdAt: at(days * DAY) });
  await db.securityEvent.createMany({ data: [event(-60), event(40), event(45)] });
  // Every guessed email leaves a counter: one whose window is long over goes, a current one stays.
  await db.rateLimit.createMany({
    data: [
      { key: "login:account:guessed@example.com", windowStart: at(40 * DAY), count: 3 },
      { key: "login:ip:203.0.113.9", windowStart: at(45 * DAY), count: 1 },
    ],
  });

  const now = at(45 * DAY + 3600);
  const removed = await pruneAuthRecords(db, now);
  assert.deepEqual({ ...removed, slowestBatchMs: 0 }, { sessions: 2, refreshTokens: 2, securityEvents: 1, rateLimits: 1, challenges: 0, pendingSignIns: 0, webAuthnChallenges: 0, providerSignIns: 0, mails: 0, slowestBatchMs: 0 });

  const left = (await db.session.findMany({ select: { id: true } })).map((s) => s.id).sort();
  assert.deepEqual(left, [live.session.id, signedOutJustNow.session.id].sort());
  assert.equal(await db.refreshToken.count({ where: { sessionId: live.session.id } }), 4);
  assert.ok(![signedOutLongAgo, idledOut].some((s) => left.includes(s.session.id)));

  // The live session's consumed tokens are still known: a replay after pruning is still caught.
  assert.equal((await rotateRefreshToken(db, consumed[0], config, now)).ok === false, true);
  assert.equal(await db.session.count({ where: { id: live.session.id, revokedReason: "refresh_token_reused" } }), 1);

  // Nothing left to do a second time.
  assert.deepEqual(await pruneAuthRecords(db, now), { sessions: 0, refreshTokens: 0, securityEvents: 0, rateLimits: 0, challenges: 0, pendingSignIns: 0, webAuthnChallenges: 0, providerSignIns: 0, mails: 0, slowestBatchMs: 0 });
});

it("removes provider sign-in attempts a day after they expired (the callback's and the waiting link's), and keeps the rest", async () => {
  const attempt = (id: string, expiresAt: Date, linkExpiresAt: Date | null = null) => ({
    id,
    browser: `hash-${id}`,
    provider: "corp",
    purpose: "sign_in",
    state: `state-${id}-0123456789abcdef`,
    nonce: "n",
    codeVerifier: "v",
    next: "/dashboard",
    persistent: true,
    createdAt: new Date(expiresAt.getTime() - 600_000),
    expiresAt,
    linkExpiresAt,
  });
  const now = at(10 * DAY);
  await db.providerSignIn.createMany({
    data: [
      attempt("old", at(8 * DAY)),
      attempt("recent", at(10 * DAY - 3600)),
      attempt("old-link-live", at(8 * DAY), at(10 * DAY + 600)),
      attempt("live", at(10 * DAY + 600)),
    ],
  });
  const removed = await pruneAuthRecords(db, now);
  assert.equal(removed.providerSignIns, 1);
  assert.deepEqual((await db.providerSignIn.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id), ["live", "old-link-live", "recent"]);
});

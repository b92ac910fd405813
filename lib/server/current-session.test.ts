import assert from "node:assert/strict";
import { it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { signAccessToken } from "@/lib/server/signing-key";
import { loadCurrentSession } from "./current-session";
import { createSession, revokeSession } from "./store/sessions";
import { createUser } from "./store/users";

const config = testConfig();
const t0 = new Date("2026-11-28T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const db = useTestDb();

async function signedIn(email: string) {
  const created = await createUser(db, { email, password: "password123" }, config, t0);
  assert.ok(created.ok);
  const { session } = await createSession(db, { userId: created.user.id, persistent: true }, config, t0);
  const { token } = await signAccessToken({ userId: created.user.id, sessionId: session.id }, config, t0);
  return { user: created.user, session, token };
}

it("a valid access token for a live session gives the person and the session", async () => {
  const { user, session, token } = await signedIn("live@example.com");
  const current = await loadCurrentSession(token, db, config, at(10));
  assert.equal(current?.user.email, user.email);
  assert.equal(current?.session.id, session.id);
});

it("a session ended elsewhere is refused at once, though its access token is still valid", async () => {
  const { session, token } = await signedIn("ended@example.com");
  await revokeSession(db, session.id, "ended_from_another_session", at(5));
  assert.equal(await loadCurrentSession(token, db, config, at(10)), null);
});

it("a session past its idle end is refused", async () => {
  const { session, token } = await signedIn("idle@example.com");
  await db.session.update({ where: { id: session.id }, data: { idleExpiresAt: at(8) } });
  assert.notEqual(await loadCurrentSession(token, db, config, at(7)), null);
  assert.equal(await loadCurrentSession(token, db, config, at(9)), null);
});

it("a token whose session belongs to someone else, or no longer exists, is refused", async () => {
  const a = await signedIn("a@example.com");
  const b = await signedIn("b@example.com");
  const { token: forged } = await signAccessToken({ userId: a.user.id, sessionId: b.session.id }, config, t0);
  assert.equal(await loadCurrentSession(forged, db, config, at(1)), null);
  const { token: ghost } = await signAccessToken({ userId: a.user.id, sessionId: "no-such-session" }, config, t0);
  assert.equal(await loadCurrentSession(ghost, db, config, at(1)), null);
});

it("an invalid or expired access token is refused before the database is asked", async () => {
  const { token } = await signedIn("expired@example.com");
  // A database that fails the test if anything asks it.
  let asked = 0;
  const untouchable = new Proxy({} as typeof db, {
    get() {
      asked++;
      throw new Error("the database was asked");
    },
  });
  assert.equal(await loadCurrentSession(token, untouchable, config, at(config.accessTokenTtlSeconds + 10)), null);
  assert.equal(await loadCurrentSession("junk", untouchable, config, at(1)), null);
  assert.equal(asked, 0);
  // The control: a valid token does ask it.
  await assert.rejects(loadCurrentSession(token, untouchable, config, at(1)), /the database was asked/);
});

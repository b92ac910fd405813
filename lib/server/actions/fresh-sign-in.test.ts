// Sudo mode, deleting the account and downloading one's data, against a real database.
import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeJwt } from "jose";
import { signUpThroughMail } from "@/lib/testing/sign-up";
import { needsFreshSignIn, reauthenticate } from "./fresh-sign-in";
import { deleteAccount, exportAccountData } from "./leave";
import { refreshTokens } from "./refresh";
import { signOutEverywhere } from "./sign-out";
import { cookieFrom, useActionTests } from "@/lib/testing/action-context";

const { db, t0, ctx, email, PASSWORD } = useActionTests({ label: "sudo", client: { ip: "198.51.100.4", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" } });
const cookie = cookieFrom;

async function person() {
  const address = email();
  const signedUp = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const session = await db.session.findFirstOrThrow({ where: { userId: signedUp.user.id } });
  return { address, signedUp, actor: { userId: signedUp.user.id, sessionId: session.id } };
}

it("a sign-in is fresh for ten minutes; after that, dangerous actions ask for the password again", async () => {
  const { actor, signedUp } = await person();
  assert.equal(await needsFreshSignIn(actor, ctx(600)), null);
  assert.deepEqual(await needsFreshSignIn(actor, ctx(601)), { ok: false, code: "reauthentication_required" });
  const held = { refreshToken: cookie(signedUp, "kc_refresh") };
  assert.deepEqual(await signOutEverywhere(held, ctx(700)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await reauthenticate(actor, { password: "not it" }, ctx(710)), { ok: false, code: "wrong_password" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(720)), { ok: true });
  assert.deepEqual(await signOutEverywhere(held, ctx(730)), { ok: true });
});

it("the access token carries auth_time and amr; a refresh keeps them and never makes the sign-in fresher", async () => {
  const { signedUp } = await person();
  const first = decodeJwt(cookie(signedUp, "kc_access"));
  assert.equal(first.auth_time, Math.floor(t0.getTime() / 1000));
  assert.deepEqual(first.amr, ["pwd"]);
  const refreshed = await refreshTokens(cookie(signedUp, "kc_refresh"), ctx(900));
  assert.ok(refreshed.ok);
  const later = decodeJwt(cookie(refreshed, "kc_access"));
  assert.equal(later.auth_time, first.auth_time);
  assert.ok((later.iat as number) > (first.iat as number));
});

it("deleting the account needs a fresh sign-in and the address typed out; then everything goes and a goodbye is mailed", async () => {
  const { actor, address, signedUp } = await person();
  assert.deepEqual(await deleteAccount(actor, { confirm: address }, ctx(601)), { ok: false, code: "reauthentication_required" });
  await reauthenticate(actor, { password: PASSWORD }, ctx(602));
  assert.deepEqual(await deleteAccount(actor, { confirm: "someone@example.com" }, ctx(603)), { ok: false, code: "confirmation_mismatch" });
  assert.deepEqual(await deleteAccount(actor, { confirm: address }, ctx(604)), { ok: true });
  assert.equal(await db.user.count({ where: { id: actor.userId } }), 0);
  for (const table of [db.session, db.securityEvent, db.knownDevice] as const) {
    assert.equal(await (table as typeof db.session).count({ where: { userId: actor.userId } }), 0);
  }
  assert.equal(await db.emailChallenge.count({ where: { userId: actor.userId } }), 0);
  assert.equal((await refreshTokens(cookie(signedUp, "kc_refresh"), ctx(605))).ok, false);
  const goodbye = await db.outboxMail.findFirst({ where: { to: address, kind: "account_deleted" } });
  assert.ok(goodbye);
});

it("the data download needs a fresh sign-in, and holds the profile, sessions, browsers and activity, and no secret", async () => {
  const { actor, address } = await person();
  assert.deepEqual(await exportAccountData(actor, ctx(601)), { ok: false, code: "reauthentication_required" }, "a borrowed laptop cannot carry it away");
  const exported = await exportAccountData(actor, ctx(1));
  assert.ok(exported.ok);
  const { data } = exported;
  assert.equal(data.profile.email, address);
  assert.equal(data.sessions.length, 1);
  assert.equal(data.sessions[0].current, true);
  assert.equal(data.sessions[0].device, "Firefox on Linux");
  assert.equal(data.knownBrowsers.length, 1);
  assert.ok(data.securityActivity.events.some((e) => e.type === "signed_in"));
  const text = JSON.stringify(data);
  for (const secret of ["passwordHash", "tokenHash", "deviceHash", "secretHash", "$2"]) assert.ok(!text.includes(secret), secret);
});

// The operator console's actions against a real database at a frozen clock: who gets in (the
// role, a second factor, a session that proved it, fresh for changes), what each change does to
// the person, and that each is audited, mailed and shown in their activity — and never leaks a
// secret.
import assert from "node:assert/strict";
import { it } from "node:test";
import { totpCodeAt } from "@/lib/server/totp";
import { useActionTests, cookieFrom } from "@/lib/testing/action-context";
import { outboxOf } from "@/lib/testing/outbox";
import { signUpThroughMail } from "@/lib/testing/sign-up";
import { accountWithApp, passwordStep } from "@/lib/testing/two-factor";
import { appendAudit, setOperator } from "@/lib/server/store/operators";
import { claimDueMail, markFailed } from "@/lib/server/store/outbox";
import type { Actor } from "./context";
import {
  auditEntries,
  startAuditExport,
  deletePerson,
  endSessionsOf,
  lockPerson,
  operatorAccess,
  personDetail,
  removeSecondFactor,
  requirePasswordReset,
  resendMail,
  searchPeople,
  unlockPerson,
  type Operator,
} from "./operators";
import { refreshTokens } from "./refresh";
import { signIn } from "./sign-in";
import { finishSignInWithSecondFactor } from "./two-factor";

const { db, ctx, email, PASSWORD, config } = useActionTests({ label: "operators", client: { ip: "198.51.100.40", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" } });
const mailsTo = (to: string, kind: string) => outboxOf(db, config).mailsTo(to, kind);
const userLocked = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).lockedAt !== null;

/** An operator: the role, an app on the account, and a session signed in with the password and its code at `seconds`. */
async function operatorAt(seconds = 10): Promise<Operator & { secret: string; address: string }> {
  const { address, actor, secret } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await db.$transaction((tx) => setOperator(tx, actor.userId, true, ctx().now));
  const pendingToken = await passwordStep(ctx(seconds), { email: address, password: PASSWORD });
  // The next time step's code (one step of drift is allowed): the setup used this one.
  const done = await finishSignInWithSecondFactor({ pendingToken, code: totpCodeAt(secret, ctx(seconds + 30).now) }, ctx(seconds));
  assert.ok(done.ok);
  const session = await db.session.findFirstOrThrow({ where: { userId: actor.userId, amr: { contains: "mfa" } }, orderBy: { createdAt: "desc" } });
  return { userId: actor.userId, sessionId: session.id, email: address, secret, address };
}

async function person() {
  const address = email();
  const signedUp = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  return { address, id: signedUp.user.id, refreshToken: cookieFrom(signedUp, "kc_refresh") };
}

it("the console's gate: no role is 'nothing here'; the role needs a second factor on the account and a session that proved it; a revoked role stops at once", async () => {
  const someone = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const theirs: Actor = { userId: someone.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: someone.user.id } })).id };
  assert.deepEqual(await operatorAccess(theirs, ctx(1)), { ok: false, code: "not_found" });
  await db.$transaction((tx) => setOperator(tx, theirs.userId, true, ctx(2).now));
  assert.deepEqual(await operatorAccess(theirs, ctx(3)), { ok: false, code: "operator_needs_second_factor" });

  const { actor } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await db.$transaction((tx) => setOperator(tx, actor.userId, true, ctx(4).now));
  // Its session was signed in with the password alone, before the app.
  assert.deepEqual(await operatorAccess(actor, ctx(5)), { ok: false, code: "operator_needs_strong_sign_in" });

  const operator = await operatorAt(20);
  const access = await operatorAccess(operator, ctx(21));
  assert.ok(access.ok && access.operator.email === operator.address);
  await db.$transaction((tx) => setOperator(tx, operator.userId, false, ctx(22).now));
  assert.deepEqual(await operatorAccess(operator, ctx(23)), { ok: false, code: "not_found" });
});

it("every change needs the second factor proved within REAUTH_MAX_AGE_SECONDS; the person must exist; an operator cannot lock or strip themselves", async () => {
  const operator = await operatorAt(10);
  const { id } = await person();
  assert.deepEqual(await lockPerson(operator, id, { reason: "stolen laptop" }, ctx(10 + config.reauthMaxAgeSeconds + 1)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await lockPerson(operator, "00000000-0000-4000-8000-000000000000", { reason: "typo" }, ctx(11)), { ok: false, code: "user_not_found" });
  const self = await lockPerson(operator, operator.userId, { reason: "oops" }, ctx(12));
  assert.equal(!self.ok && self.code, "operator_self");
  assert.equal(!(await removeSecondFactor(operator, operator.userId, { reason: "x" }, ctx(12))).ok, true);
  assert.equal(await db.auditEntry.count({ where: { operatorId: operator.userId } }), 0, "nothing refused is recorded as done");
});

it("locking: every session ends at once, refresh and sign-in are refused; the person is mailed and told; unlocking lets them back; both audited", async () => {
  const operator = await operatorAt(10);
  const { address, id, refreshToken } = await person();
  assert.deepEqual(await lockPerson(operator, id, { reason: "reported stolen" }, ctx(20)), { ok: true, result: undefined });
  assert.equal(await db.session.count({ where: { userId: id, revokedAt: null } }), 0);
  assert.equal((await refreshTokens(refreshToken, ctx(21))).ok, false);
  const refused = await signIn({ email: address, password: PASSWORD, remember: true }, ctx(22));
  assert.equal(!refused.ok && refused.code, "account_locked");
  assert.equal((await mailsTo(address, "operator_action")).length, 1);
  assert.ok(await db.securityEvent.findFirst({ where: { userId: id, type: "account_locked", detail: "By an administrator" } }));
  // Twice: recorded twice, locked once, mailed once.
  assert.ok((await lockPerson(operator, id, { reason: "again" }, ctx(23))).ok);
  assert.equal((await mailsTo(address, "operator_action")).length, 1);

  assert.ok((await unlockPerson(operator, id, { reason: "owner called back" }, ctx(30))).ok);
  // A lock an undone address change made is not the console's to lift: the address on the account
  // now may be a hijacker's.
  const hijacked = await person();
  await db.user.update({ where: { id: hijacked.id }, data: { lockedAt: ctx(25).now, lockedReason: "email_undo_conflict" } });
  assert.deepEqual(await unlockPerson(operator, hijacked.id, { reason: "says it is theirs" }, ctx(30)), { ok: false, code: "lock_needs_owner" });
  assert.ok((await userLocked(hijacked.id)), "still locked");
  assert.ok((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(31))).ok);
  const audit = await db.auditEntry.findMany({ where: { userId: id }, orderBy: { createdAt: "asc" } });
  assert.deepEqual(
    audit.map((a) => [a.action, a.reason, a.detail, a.operator, a.userEmail, a.ip]),
    [
      ["account_locked", "reported stolen", "1 session ended", operator.address, address, "198.51.100.40"],
      ["account_locked", "again", "already locked", operator.address, address, "198.51.100.40"],
      ["account_unlocked", "owner called back", null, operator.address, address, "198.51.100.40"],
    ],
  );
});

it("ending one session or all; requiring a new password stops the current one and mails a link; an account without a password is told so", async () => {
  const operator = await operatorAt(10);
  const { address, id } = await person();
  await signIn({ email: address, password: PASSWORD, remember: true }, ctx(1));
  const [one] = await db.session.findMany({ where: { userId: id, revokedAt: null }, orderBy: { createdAt: "asc" } });
  assert.deepEqual(await endSessionsOf(operator, id, { sessionId: one.id }, ctx(20)), { ok: true, result: 1 });
  assert.deepEqual(await endSessionsOf(operator, id, { sessionId: one.id }, ctx(21)), { ok: false, code: "session_not_found" }, "ended already");
  assert.deepEqual(await endSessionsOf(operator, id, {}, ctx(22)), { ok: true, result: 1 });
  assert.equal(await db.session.count({ where: { userId: id, revokedAt: null } }), 0);
  assert.ok(await db.securityEvent.findFirst({ where: { userId: id, type: "operator_sessions_ended" } }));

  assert.ok((await requirePasswordReset(operator, id, ctx(30))).ok);
  assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(31))).ok, false, "the old password no longer works");
  const mail = (await mailsTo(address, "operator_action")).at(-1)!;
  assert.match(mail.text, /\/reset-password\?token=/);
  assert.ok(await db.emailChallenge.findFirst({ where: { userId: id, purpose: "password_reset", usedAt: null } }));

  const noPassword = await person();
  await db.user.update({ where: { id: noPassword.id }, data: { passwordHash: null } });
  const refused = await requirePasswordReset(operator, noPassword.id, ctx(40));
  assert.equal(!refused.ok && refused.code, "no_password");
});

it("removing the second factor and passkeys records how the person proved who they are; an account left with no way in is mailed a link to choose a password", async () => {
  const operator = await operatorAt(10);
  const { address, actor } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await db.passkey.create({ data: { id: `pk-${address}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "phone", createdAt: ctx().now } });
  const done = await removeSecondFactor(operator, actor.userId, { reason: "video call, ID shown" }, ctx(20));
  assert.ok(done.ok);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.recoveryCode.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.passkey.count({ where: { userId: actor.userId } }), 0);
  assert.equal((await db.auditEntry.findFirstOrThrow({ where: { userId: actor.userId, action: "second_factor_removed" } })).reason, "video call, ID shown");
  assert.doesNotMatch((await mailsTo(address, "operator_action")).at(-1)!.text, /reset-password/, "it still has its password");

  const passkeyOnly = await person();
  await db.user.update({ where: { id: passkeyOnly.id }, data: { passwordHash: null } });
  await db.passkey.create({ data: { id: `pk-${passkeyOnly.address}`, userId: passkeyOnly.id, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "lost phone", createdAt: ctx().now } });
  assert.ok((await removeSecondFactor(operator, passkeyOnly.id, { reason: "in person" }, ctx(30))).ok);
  assert.match((await mailsTo(passkeyOnly.address, "operator_action")).at(-1)!.text, /reset-password\?token=/);
});

it("a mail that failed is sent again, whole; one that did not fail, or is someone else's, is refused", async () => {
  const operator = await operatorAt(10);
  const { address, id } = await person();
  const other = await person();
  // The password-changed mail, refused for good by the SMTP server, as the sender marks it.
  assert.ok((await requirePasswordReset(operator, id, ctx(15))).ok);
  const [mail] = await mailsTo(address, "operator_action");
  const claimed = await claimDueMail(db, ctx(16).now, { take: 100 });
  const mine = claimed.find((m) => m.id === mail.id)!;
  assert.ok(await markFailed(db, mine, "550 mailbox unavailable"));
  assert.ok((await resendMail(operator, id, mail.id, ctx(20))).ok);
  const again = await db.outboxMail.findUniqueOrThrow({ where: { id: mail.id } });
  assert.equal(again.status, "pending");
  assert.equal(again.lastError, null);
  assert.equal(again.createdAt.getTime(), ctx(20).now.getTime(), "its give-up time starts again");
  assert.match((await mailsTo(address, "operator_action"))[0].text, /reset-password\?token=/, "sent whole, as first written");
  assert.deepEqual(await resendMail(operator, id, mail.id, ctx(21)), { ok: false, code: "mail_not_failed" });
  const [theirs] = await mailsTo(other.address, "sign_up_code");
  assert.deepEqual(await resendMail(operator, id, theirs.id, ctx(22)), { ok: false, code: "mail_not_found" });
});

it("deleting: the account goes with a last mail; the audit keeps who and whom", async () => {
  const operator = await operatorAt(10);
  const { address, id } = await person();
  assert.ok((await deletePerson(operator, id, { reason: "asked by mail, verified by phone" }, ctx(20))).ok);
  assert.equal(await db.user.count({ where: { id } }), 0);
  const entry = await db.auditEntry.findFirstOrThrow({ where: { userId: id } });
  assert.equal(entry.userEmail, address);
  assert.equal(entry.action, "account_deleted");
  assert.equal((await mailsTo(address, "operator_action")).length, 1);
});

it("what an operator sees of a person holds no secret: no hash, no token, no key, no code, no mail body", async () => {
  const { address, actor, secret, recoveryCodes } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  const detail = await personDetail(actor.userId, ctx(5));
  assert.ok(detail);
  const text = JSON.stringify(detail);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId } });
  const stored = await Promise.all([db.refreshToken.findMany({ where: { session: { userId: actor.userId } } }), db.totpFactor.findUniqueOrThrow({ where: { userId: actor.userId } })]);
  const mails = await db.outboxMail.findMany({ where: { to: address } });
  for (const secretText of [user.passwordHash!, secret, stored[1].secret, ...stored[0].map((t) => t.tokenHash), ...recoveryCodes, ...mails.flatMap((m) => [m.text, m.html]).filter((b) => b.length > 0)]) {
    assert.ok(!text.includes(secretText), `an operator's view holds ${secretText.slice(0, 12)}…`);
  }
  assert.equal(detail.user.email, address);
  assert.ok(detail.secondFactor.app);
  assert.equal(detail.secondFactor.recoveryCodesLeft, 10);
});

it("finding people: by the start of the address, any case, in address order, 25 at a time; % and _ are letters", async () => {
  const tag = `find${Date.now().toString(36)}`;
  for (let i = 0; i < 30; i++) await db.user.create({ data: { id: `${tag}-${i}`, email: `${tag}.${String(i).padStart(2, "0")}@example.com`, createdAt: ctx().now } });
  await db.user.create({ data: { id: `${tag}-underscore`, email: `${tag}_x@example.com`, createdAt: ctx().now } });
  await db.user.create({ data: { id: `${tag}-other`, email: `${tag}yx@example.com`, createdAt: ctx().now } });
  const first = await searchPeople({ q: tag.toUpperCase() + "." }, ctx());
  assert.equal(first.users.length, 25);
  assert.equal(first.users[0].email, `${tag}.00@example.com`);
  assert.ok(first.next);
  const second = await searchPeople({ q: `${tag}.`, after: first.next! }, ctx());
  assert.deepEqual(second.users.map((u) => u.email), [25, 26, 27, 28, 29].map((i) => `${tag}.${i}@example.com`));
  assert.equal(second.next, null);
  assert.deepEqual((await searchPeople({ q: `${tag}_` }, ctx())).users.map((u) => u.email), [`${tag}_x@example.com`]);
});

it("the audit log: newest first, filtered by operator, person or action; exported whole as JSON lines, oldest first", async () => {
  const operator = await operatorAt(10);
  const a = await person();
  const b = await person();
  assert.ok((await lockPerson(operator, a.id, { reason: "one" }, ctx(20))).ok);
  assert.ok((await endSessionsOf(operator, b.id, {}, ctx(21))).ok);
  assert.ok((await unlockPerson(operator, a.id, {}, ctx(22))).ok);
  await db.$transaction((tx) => appendAudit(tx, { operatorId: null, operator: "command line (root@host)", action: "role_granted", userId: b.id, userEmail: b.address }, ctx(23).now));
  const forA = await auditEntries({ user: a.address }, ctx(30));
  assert.deepEqual(forA.entries.map((e) => e.action), ["account_unlocked", "account_locked"]);
  assert.deepEqual((await auditEntries({ operator: operator.address, action: "sessions_revoked" }, ctx(30))).entries.map((e) => e.userEmail), [b.address]);
  assert.deepEqual((await auditEntries({ user: "nobody@example.com" }, ctx(30))).entries, []);
  // Exporting needs the second factor proved lately, and is itself written down.
  assert.deepEqual(await startAuditExport(operator, ctx(10 + config.reauthMaxAgeSeconds + 5)), { ok: false, code: "reauthentication_required" });
  const started = await startAuditExport(operator, ctx(31));
  assert.ok(started.ok);
  const lines: string[] = [];
  for await (const line of started.lines) lines.push(line);
  assert.ok(lines.some((l) => JSON.parse(l).action === "audit_exported"));
  const mine = lines.map((l) => JSON.parse(l)).filter((e) => e.userId === a.id || e.userId === b.id);
  assert.deepEqual(mine.map((e) => e.action), ["account_locked", "sessions_revoked", "account_unlocked", "role_granted"]);
});

// The outbox and its sender against a real database and a real SMTP server (smtp-server on a free
// port): retries with backoff, nothing sent twice by two senders (instances) at once, and nothing
// lost when a process dies between the commit and the send.
import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { createDb } from "@/lib/db";
import { useTestDatabase } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { mails } from "./mails";
import { deliverDueMail, retryDelaySeconds } from "./sender";
import { DeliveryError, smtpTransport, type Transport } from "./transport";
import { claimDueMail, markFailed, queueMail } from "@/lib/server/store/outbox";

const test = useTestDatabase();
const config = testConfig();
const t0 = new Date("2026-11-29T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const settings = { ...config.mail, retryBaseSeconds: 10, giveUpAfterSeconds: 3600 };

/** A real SMTP server that records who each message was for (by its Message-ID). */
const received: string[] = [];
let smtp: SMTPServer;
let smtpUrl = "";
before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk));
      stream.on("end", () => {
        received.push(/^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? "?");
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
beforeEach(async () => {
  received.length = 0;
  await test.db.outboxMail.deleteMany();
});

let n = 0;
const someMail = () => mails.newSignIn(`person${++n}@example.com`, { when: t0, device: "Chrome on Linux", ip: "198.51.100.7" }, config.appOrigin);

/** A transport that fails `failures` times (temporarily), then delivers. */
function flaky(failures: number): Transport & { tries: number } {
  const transport = {
    name: "flaky",
    keepsBodies: false,
    tries: 0,
    async deliver() {
      transport.tries++;
      if (transport.tries <= failures) throw new DeliveryError("421 try again later", false);
    },
  };
  return transport;
}

it("a mail the SMTP server does not take is retried with growing waits, then sent once", async () => {
  const { db } = test;
  const { id } = await queueMail(db, someMail(), t0, config);
  const transport = flaky(2);
  const deps = { db, transport, settings, appOrigin: config.appOrigin, ring: config };

  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(0) }), { sent: 0, retried: 1, failed: 0 });
  // Not before its wait: 10 s after the first try.
  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(9) }), { sent: 0, retried: 0, failed: 0 });
  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(10) }), { sent: 0, retried: 1, failed: 0 });
  // The second wait is twice the first.
  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(29) }), { sent: 0, retried: 0, failed: 0 });
  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(30) }), { sent: 1, retried: 0, failed: 0 });
  assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(3000) }), { sent: 0, retried: 0, failed: 0 });

  const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
  assert.equal(row.status, "sent");
  assert.equal(row.attempts, 3);
  assert.equal(transport.tries, 3);
  assert.equal(row.text, "", "a sent mail's body (its codes and links) does not stay in the database");
});

it("a mail waiting to be sent holds its codes and links sealed: the row reads as nothing, the SMTP server gets the words", async () => {
  const { db } = test;
  const mail = mails.passwordReset("sealed@example.com", { token: "A".repeat(43), minutes: 30 }, config.appOrigin);
  const { id } = await queueMail(db, mail, t0, config);
  const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
  assert.ok(!row.text.includes("A".repeat(43)) && !row.html.includes("A".repeat(43)), "no link in the stored row");
  assert.match(row.text, /^v2\./);
  const seen: string[] = [];
  const catching: Transport = { name: "catch", keepsBodies: false, deliver: async (m) => void seen.push(m.text) };
  await deliverDueMail({ db, transport: catching, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(0) });
  assert.ok(seen[0].includes("A".repeat(43)));
});

it("waits double up to fifteen minutes", () => {
  assert.deepEqual([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 10)), [10, 20, 40, 80]);
  assert.equal(retryDelaySeconds(30, 10), 900);
});

it("a mail refused for good (5xx) fails at once; one still refused after the give-up time fails too", async () => {
  const { db } = test;
  const refused = await queueMail(db, someMail(), t0, config);
  const permanent: Transport = { name: "no", keepsBodies: false, deliver: async () => Promise.reject(new DeliveryError("550 no such mailbox", true)) };
  assert.deepEqual(await deliverDueMail({ db, transport: permanent, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(0) }), { sent: 0, retried: 0, failed: 1 });
  assert.equal((await db.outboxMail.findUniqueOrThrow({ where: { id: refused.id } })).status, "failed");

  const stubborn = await queueMail(db, someMail(), t0, config);
  const down = flaky(1000);
  for (let s = 0; s < 3600; s += 60) await deliverDueMail({ db, transport: down, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(s) });
  assert.equal((await db.outboxMail.findUniqueOrThrow({ where: { id: stubborn.id } })).status, "pending", "still tried before the give-up time");
  await deliverDueMail({ db, transport: down, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(3600 + 900) });
  const row = await db.outboxMail.findUniqueOrThrow({ where: { id: stubborn.id } });
  assert.equal(row.status, "failed");
  assert.match(row.lastError ?? "", /421/);
});

it("two senders (two instances) draining one outbox at once deliver every mail exactly once over SMTP", async () => {
  const { db, url } = test;
  const queued = await Promise.all(Array.from({ length: 30 }, () => queueMail(db, someMail(), t0, config)));
  const other = createDb(url());
  try {
    const reports = await Promise.all(
      [db, other, db, other].map((client) => deliverDueMail({ db: client, transport: smtpTransport(smtpUrl, config.mail.from), settings, appOrigin: config.appOrigin, ring: config, clock: () => at(1) })),
    );
    assert.equal(reports.reduce((sum, r) => sum + r.sent, 0), 30);
    assert.equal(received.length, 30, "messages the SMTP server received");
    assert.equal(new Set(received).size, 30, "no message twice");
    for (const { id } of queued) assert.ok(received.includes(`<${id}@localhost>`), `mail ${id} arrived`);
  } finally {
    await other.$disconnect();
  }
});

it("nothing is lost when a process dies between its commit and the send, or in the middle of a send", async () => {
  const { db, url } = test;
  // Queued in the action's transaction, and the process died before its sender ran.
  const [, beforeSend] = await db.$transaction([db.rateLimit.deleteMany(), queueMail(db, someMail(), t0, config)]);
  // Claimed by a sender that died before marking it sent.
  const midSend = await queueMail(db, someMail(), t0, config);
  assert.deepEqual((await claimDueMail(db, at(1), { take: 10 })).map((m) => m.id).sort(), [beforeSend.id, midSend.id].sort());

  // The next process (another client) sends the first at once, the second once the claim lapses.
  const restarted = createDb(url());
  try {
    const deps = { db: restarted, transport: smtpTransport(smtpUrl, config.mail.from), settings, appOrigin: config.appOrigin, ring: config };
    assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(2) }), { sent: 0, retried: 0, failed: 0 }, "both still claimed");
    assert.deepEqual(await deliverDueMail({ ...deps, clock: () => at(62) }), { sent: 2, retried: 0, failed: 0 });
    assert.equal(received.length, 2);
  } finally {
    await restarted.$disconnect();
  }
});

it("an SMTP server that is down: the mail waits, and arrives once the server is back", async () => {
  const { db } = test;
  const { id } = await queueMail(db, someMail(), t0, config);
  const downUrl = "smtp://127.0.0.1:9"; // nothing listens there
  const report = await deliverDueMail({ db, transport: smtpTransport(downUrl, config.mail.from), settings, appOrigin: config.appOrigin, ring: config, clock: () => at(0) });
  assert.deepEqual(report, { sent: 0, retried: 1, failed: 0 });
  assert.match((await db.outboxMail.findUniqueOrThrow({ where: { id } })).lastError ?? "", /ECONNREFUSED/);
  const back = await deliverDueMail({ db, transport: smtpTransport(smtpUrl, config.mail.from), settings, appOrigin: config.appOrigin, ring: config, clock: () => at(10) });
  assert.deepEqual(back, { sent: 1, retried: 0, failed: 0 });
  assert.deepEqual(received, [`<${id}@localhost>`]);
});

it("a sender that outlived its claim cannot overwrite the sender that took the mail over", async () => {
  const { db } = test;
  const { id } = await queueMail(db, someMail(), t0, config);
  const [slow] = await claimDueMail(db, at(0));
  // Its SMTP server is slow: the claim lapses, another sender takes the mail and sends it.
  const fast = flaky(0);
  assert.deepEqual(await deliverDueMail({ db, transport: fast, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(61) }), { sent: 1, retried: 0, failed: 0 });
  // The slow one comes back with a refusal: it is not recorded over the delivery.
  assert.equal(await markFailed(db, slow, "550 too late"), false);
  assert.equal((await db.outboxMail.findUniqueOrThrow({ where: { id } })).status, "sent");
});

it("an SMTP server refusing our login (535) is retried, not given up: a rotated password must not lose mail", async () => {
  const { db } = test;
  const { id } = await queueMail(db, someMail(), t0, config);
  const strict = new SMTPServer({ authOptional: false, disabledCommands: ["STARTTLS"], allowInsecureAuth: true, logger: false, onAuth: (_auth, _session, cb) => cb(new Error("bad login")) });
  await new Promise<void>((resolve) => strict.listen(0, "127.0.0.1", resolve));
  try {
    const port = (strict.server.address() as { port: number }).port;
    const transport = smtpTransport(`smtp://keycard:wrong@127.0.0.1:${port}`, config.mail.from);
    assert.deepEqual(await deliverDueMail({ db, transport, settings, appOrigin: config.appOrigin, ring: config, clock: () => at(0) }), { sent: 0, retried: 1, failed: 0 });
    assert.match((await db.outboxMail.findUniqueOrThrow({ where: { id } })).lastError ?? "", /535|EAUTH/);
  } finally {
    await new Promise<void>((resolve) => strict.close(() => resolve()));
  }
});

// Delivers the outbox. Node only.
//
// Every instance runs one sender, started with the first request it serves. It wakes when an
// action on this instance queues a mail (after that action's transaction has committed), and
// every few seconds anyway, for retries and for mail another instance queued or left behind.
// Nothing waits for it: a request that queued a mail has long been answered when it is sent.
import "server-only";
import type { Db } from "@/lib/db";
import type { Config, MailSettings } from "@/lib/env";
import { log } from "@/lib/server/log";
import { metrics } from "@/lib/server/metrics";
import { claimDueMail, markFailed, markRetry, markSent, openBodies, type ClaimedMail } from "@/lib/server/store/outbox";
import type { KeyRing } from "@/lib/server/key-ring";
import { createTransport, DeliveryError, type Transport } from "./transport";

const MAX_RETRY_DELAY_SECONDS = 15 * 60;

export type DeliveryReport = { sent: number; retried: number; failed: number };

/** How long to wait before the `attempt`-th try's successor: 1, 2, 4… × base, at most 15 minutes. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_SECONDS);
}

export type SenderDeps = {
  db: Db;
  /** Opens the waiting mail's sealed bodies. */
  ring: KeyRing;
  transport: Transport;
  settings: MailSettings;
  appOrigin: string;
  clock?: () => Date;
};

/** One pass: claims what is due and tries to deliver each, until nothing due is left to claim. */
export async function deliverDueMail(deps: SenderDeps): Promise<DeliveryReport> {
  const clock = deps.clock ?? (() => new Date());
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    // One at a time, claimed just before its send: a claim never waits behind other sends.
    const [mail] = await claimDueMail(deps.db, clock());
    if (!mail) return report;
    report[await deliverOne(mail, deps, clock)]++;
  }
}

async function deliverOne(mail: ClaimedMail, deps: SenderDeps, clock: () => Date): Promise<keyof DeliveryReport> {
  const { db, transport, settings } = deps;
  let outcome: keyof DeliveryReport;
  try {
    await transport.deliver(openBodies(mail, deps.ring), deps.appOrigin);
    if (!(await markSent(db, mail, clock(), { keepBody: transport.keepsBodies }))) warnLostClaim(mail);
    outcome = "sent";
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    const now = clock();
    const givenUp = now.getTime() - mail.createdAt.getTime() >= settings.giveUpAfterSeconds * 1000;
    if (error.permanent || givenUp) {
      if (!(await markFailed(db, mail, error.message))) warnLostClaim(mail);
      log().error({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, reason: error.message }, "mail could not be delivered (given up)");
      outcome = "failed";
    } else {
      const retryAt = new Date(now.getTime() + retryDelaySeconds(mail.attempts, settings.retryBaseSeconds) * 1000);
      if (!(await markRetry(db, mail, retryAt, error.message))) warnLostClaim(mail);
      log().warn({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, retryAt, reason: error.message }, "mail not delivered yet (will retry)");
      outcome = "retried";
    }
  }
  metrics().mailDeliveries.inc({ outcome: outcome === "retried" ? "retry" : outcome, kind: mail.kind });
  return outcome;
}

function warnLostClaim(mail: ClaimedMail): void {
  log().warn({ mailId: mail.id, kind: mail.kind }, "a mail's delivery outlasted its claim: another sender has it now");
}

type Running = { deps: SenderDeps; timer: NodeJS.Timeout; busy: boolean; again: boolean; stopped: boolean };
const holder = globalThis as unknown as { keycardMailSender?: Running };

/** Starts this process's sender, once. */
export function ensureMailSender(db: Db, config: Config): void {
  if (holder.keycardMailSender) return;
  const deps: SenderDeps = { db, ring: config, transport: createTransport(config.mail), settings: config.mail, appOrigin: config.appOrigin };
  const everyMs = Math.min(5, config.mail.retryBaseSeconds) * 1000;
  const timer = setInterval(() => kickMailSender(), everyMs);
  // Never what keeps a process alive, and never in the way of a clean stop.
  timer.unref();
  holder.keycardMailSender = { deps, timer, busy: false, again: false, stopped: false };
  process.once("SIGTERM", stopMailSender);
  log().info({ transport: deps.transport.name }, "mail sender started");
  kickMailSender();
}

/** Deliver what is due now (called after a transaction that queued mail has committed). */
export function kickMailSender(): void {
  const running = holder.keycardMailSender;
  if (!running || running.stopped) return;
  if (running.busy) {
    running.again = true;
    return;
  }
  running.busy = true;
  void deliverDueMail(running.deps)
    .catch((error) => log().error({ err: error }, "the mail sender's pass failed (the next one tries again)"))
    .finally(() => {
      running.busy = false;
      if (running.again) {
        running.again = false;
        kickMailSender();
      }
    });
}

/** On shutdown: no new passes (a claimed mail left unsent is sent by the next sender after its lease). */
export function stopMailSender(): void {
  const running = holder.keycardMailSender;
  if (!running) return;
  running.stopped = true;
  clearInterval(running.timer);
}

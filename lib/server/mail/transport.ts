// How a mail leaves: over SMTP with nodemailer, or into the local mailbox on a developer's
// machine (kept in the outbox table, printed to the log, shown at /dev/mailbox). Node only.
import "server-only";
import nodemailer from "nodemailer";
import type { MailSettings } from "@/lib/env";
import { log } from "@/lib/server/log";
import type { OutboxRow } from "@/lib/server/store/outbox";

/** A delivery that did not happen. `permanent`: the server refused it for good (5xx): no retry. */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

export type Transport = {
  /** "smtp" or "local-mailbox". */
  name: string;
  /** Whether the outbox keeps a sent mail's text (only the local mailbox shows it afterwards). */
  keepsBodies: boolean;
  deliver(mail: OutboxRow, appOrigin: string): Promise<void>;
};

export function createTransport(settings: MailSettings): Transport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl, settings.from) : localMailbox();
}

// Bounded waits: a hung SMTP server must not hold a claimed mail past its lease (60 s).
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export function smtpTransport(smtpUrl: string, from: string): Transport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, ...TIMEOUTS });
  return {
    name: "smtp",
    keepsBodies: false,
    async deliver(mail, appOrigin) {
      try {
        await transporter.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // The same Message-ID on every attempt: should a retry follow a delivery whose answer
          // was lost, the receiving side can tell it is one mail.
          messageId: `<${mail.id}@${new URL(appOrigin).hostname}>`,
          headers: { "Auto-Submitted": "auto-generated" },
        });
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
  };
}

// Refusals of the mail or its recipient are final. Everything else is worth retrying: a 4xx, a
// refused connection, a timeout — and a 5xx about us rather than the mail (530/535: a rotated or
// mistyped SMTP password must not throw away every queued mail).
const REFUSED_FOR_GOOD = new Set([550, 551, 552, 553, 554, 555]);

function asDeliveryError(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const permanent = e.code !== "EAUTH" && typeof e.responseCode === "number" && REFUSED_FOR_GOOD.has(e.responseCode);
  const what = [e.responseCode, e.code].filter(Boolean).join(" ");
  return new DeliveryError(`${what ? `${what}: ` : ""}${e.message ?? String(error)}`, permanent);
}

function localMailbox(): Transport {
  return {
    name: "local-mailbox",
    keepsBodies: true,
    async deliver(mail) {
      // A developer's machine only (never with SMTP_URL set): the mail itself, code and link
      // included, is the point of this line. Written as a plain string so the logger's redaction
      // of fields named like secrets does not hide what the developer needs.
      log().info({ mailbox: "/dev/mailbox", kind: mail.kind }, `mail to ${mail.to}: ${mail.subject}\n${mail.text}`);
    },
  };
}

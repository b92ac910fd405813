// The mail the test servers sent, read back from the mail catcher (scripts/mail-catcher.mjs) that
// scripts/e2e-server.mjs starts. Tests run in Playwright's worker processes, so they reach it over
// its HTTP control API, at the port the server script wrote down.
import fs from "node:fs";
import path from "node:path";
import { E2E } from "./settings";

export type Mail = {
  id: number;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  receivedAt: string;
};

// Read on first use, not on import: Playwright loads the specs before the server script has
// started the catcher and written the file.
let controlOrigin: string | undefined;
function control(): string {
  if (!controlOrigin) {
    const { controlPort } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", E2E.mailCatcherFile), "utf8"));
    controlOrigin = `http://127.0.0.1:${controlPort}`;
  }
  return controlOrigin;
}

async function call<T>(method: string, route: string): Promise<T> {
  const response = await fetch(`${control()}${route}`, { method });
  if (!response.ok) throw new Error(`mail catcher: ${method} ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every mail delivered to `address` so far, oldest first. */
export async function mailsTo(address: string): Promise<Mail[]> {
  return call("GET", `/messages?${new URLSearchParams({ to: address })}`);
}

/** The id of the newest mail to anyone (0 when none): pass it as `after` to wait only for mail sent later. */
export async function lastMailId(): Promise<number> {
  const all = await call<Mail[]>("GET", "/messages");
  return all.at(-1)?.id ?? 0;
}

/**
 * The first mail to `address` with an id above `after` whose subject matches (a string: is
 * contained in it), as soon as it arrives. The app sends its mail in the background, so it may
 * come a little after the response that caused it.
 */
export async function waitForMail(
  address: string,
  { subject, after = 0, timeoutMs = 15_000 }: { subject?: RegExp | string; after?: number; timeoutMs?: number } = {},
): Promise<Mail> {
  const matches = (mail: Mail) =>
    mail.id > after &&
    (subject === undefined || (typeof subject === "string" ? mail.subject.includes(subject) : subject.test(mail.subject)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(address);
    const found = mails.find(matches);
    if (found) return found;
    if (Date.now() >= deadline) {
      // What did come says whether the mail was never sent, sent earlier, or sent with another subject.
      const arrived = mails.map((mail) => `#${mail.id} ${JSON.stringify(mail.subject)}`).join(", ") || "none";
      throw new Error(
        `no mail to ${address}${subject === undefined ? "" : ` with subject ${subject}`} after #${after} ` +
          `within ${timeoutMs} ms; arrived for that address: ${arrived}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first six-digit code standing on its own in the mail's text. */
export function codeIn(mail: Mail): string {
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no six-digit code in mail #${mail.id} ${JSON.stringify(mail.subject)}:\n${mail.text}`);
  return code;
}

/** The first absolute http(s) link in the mail's text whose path starts with `pathPrefix`. */
export function linkIn(mail: Mail, pathPrefix: string): string {
  for (const [candidate] of mail.text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A link that ends a sentence or sits in brackets is not followed by a space.
    const link = candidate.replace(/[.,;:!?)\]]+$/, "");
    if (URL.canParse(link) && new URL(link).pathname.startsWith(pathPrefix)) return link;
  }
  throw new Error(`no link to ${pathPrefix} in mail #${mail.id} ${JSON.stringify(mail.subject)}:\n${mail.text}`);
}

/**
 * Takes the SMTP server away: every instance's sends are refused (connection refused) until
 * startSmtp. It is shared by every worker, so only for tests that run alone.
 */
export async function stopSmtp(): Promise<void> {
  await call("POST", "/smtp/stop");
}

/** Brings the SMTP server back on the same port. */
export async function startSmtp(): Promise<void> {
  await call("POST", "/smtp/start");
}

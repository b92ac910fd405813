import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LocalTime } from "@/app/components/local-time";
import { getConfig } from "@/lib/env";
import { listLocalMailbox } from "@/lib/server/mail/mailbox";
import { pageActionContext } from "@/lib/server/route";

export const metadata: Metadata = { title: "Local mailbox" };
export const dynamic = "force-dynamic";

// A developer's machine without SMTP_URL: every mail Keycard sent, newest first. Anywhere mail
// goes to a real SMTP server, this page does not exist.
export default async function MailboxPage() {
  if (!getConfig().mail.localMailbox) notFound();
  const messages = await listLocalMailbox(await pageActionContext());
  return (
    <>
      <h1>Local mailbox</h1>
      <p className="lead">
        No <code>SMTP_URL</code> is set, so mail stays on this machine. This page only exists in that case; set <code>SMTP_URL</code>{" "}
        and mail goes out instead.
      </p>
      {messages.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <ol className="mailbox">
          {messages.map((m) => (
            <li key={m.id} className="card wide" data-testid="mailbox-message">
              <h2>{m.subject}</h2>
              <p className="muted">
                To {m.to} · <LocalTime iso={m.createdAt.toISOString()} /> · {m.status === "pending" ? "being delivered" : m.status} ·{" "}
                <a href={`/dev/mailbox/${m.id}`}>HTML version</a>
              </p>
              <pre>{m.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

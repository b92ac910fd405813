// The mail server of the browser tests: a real SMTP server (smtp-server) on 127.0.0.1 that the app
// instances send their mail to, keeping every message in memory, and a small HTTP control server
// through which the tests (in other processes: Playwright's workers) read the mail back and take
// the SMTP server away to see what the app does when it cannot send. e2e/mail.ts is its client;
// scripts/e2e-server.mjs starts it.
//
// Control API (JSON):
//   GET    /messages[?to=addr]  every message, oldest first; `to` keeps those for one recipient
//   DELETE /messages            forgets them all
//   GET    /smtp                { running }
//   POST   /smtp/stop           closes the SMTP listener (new connections are refused, not
//                               answered 4xx); answers { running: false } once it is closed
//   POST   /smtp/start          listens again on the same port; answers { running: true }
import http from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const HOST = "127.0.0.1";

// How long a stop waits for a client still connected (a pooled transport idling, a message half
// sent) before it is told 421 and cut off: smtp-server's own default is 30 s.
const CLOSE_TIMEOUT_MS = 1000;

export async function startMailCatcher({ smtpPort = 0, controlPort = 0 } = {}) {
  const messages = [];
  let lastId = 0;

  async function receive(stream, session) {
    const parsed = await simpleParser(stream);
    messages.push({
      id: ++lastId,
      // The envelope, not the To header: it is where the mail was actually delivered (Bcc included).
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
      from: parsed.from?.text ?? session.envelope.mailFrom?.address ?? "",
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: parsed.html || "",
      messageId: parsed.messageId ?? "",
      receivedAt: new Date().toISOString(),
    });
  }

  // A closed smtp-server can listen again but then greets every client with 421 (it remembers that
  // it was closed), so every start makes a new one.
  let smtp = null;
  function createSmtp() {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: CLOSE_TIMEOUT_MS,
      onData(stream, session, callback) {
        // Answered only once stored, so a sender that was told 250 finds its message here.
        receive(stream, session).then(() => callback(), callback);
      },
    });
    // A client that vanishes mid-session is reported here; without a listener it would crash us.
    server.on("error", (error) => console.error(`mail-catcher: ${error.message}`));
    return server;
  }
  function listenSmtp(port) {
    const server = createSmtp();
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => {
        server.off("error", reject);
        smtp = server;
        resolve(server.server.address().port);
      });
    });
  }
  function closeSmtp() {
    const server = smtp;
    smtp = null;
    return server ? new Promise((resolve) => server.close(resolve)) : Promise.resolve();
  }

  smtpPort = await listenSmtp(smtpPort);

  // Two workers stopping and starting at once must not interleave (two listens on one port).
  let switching = Promise.resolve();
  function serially(step) {
    const done = switching.then(step);
    switching = done.catch(() => {});
    return done;
  }

  async function handle(request, url) {
    const route = `${request.method} ${url.pathname}`;
    switch (route) {
      case "GET /messages": {
        const to = url.searchParams.get("to")?.toLowerCase();
        return to ? messages.filter((message) => message.to.includes(to)) : messages;
      }
      case "DELETE /messages":
        messages.length = 0;
        return { deleted: true };
      case "GET /smtp":
        return { running: smtp !== null };
      case "POST /smtp/stop":
        await serially(closeSmtp);
        return { running: false };
      case "POST /smtp/start":
        await serially(() => (smtp ? undefined : listenSmtp(smtpPort)));
        return { running: true };
      default:
        return undefined;
    }
  }

  const control = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", `http://${HOST}`);
    const reply = (status, body) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    handle(request, url).then(
      (body) => (body === undefined ? reply(404, { error: `no route ${request.method} ${url.pathname}` }) : reply(200, body)),
      (error) => reply(500, { error: error.message }),
    );
  });
  await new Promise((resolve, reject) => {
    control.once("error", reject);
    control.listen(controlPort, HOST, () => {
      control.off("error", reject);
      resolve();
    });
  });
  controlPort = control.address().port;

  async function close() {
    // The tests' fetch keeps connections alive; they must not hold the close up.
    const controlClosed = new Promise((resolve) => control.close(resolve));
    control.closeAllConnections();
    await Promise.all([serially(closeSmtp), controlClosed]);
  }

  return { smtpPort, controlPort, close };
}

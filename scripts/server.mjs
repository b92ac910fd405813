// The production server `npm start` runs: Next's own request handler inside a small Node HTTP
// server, for one thing `next start` cannot do — know who the client is.
//
// Next fills X-Forwarded-For from the socket only when a request has none, and keeps one a client
// sent itself: anyone could choose the address the per-IP limits count them under. Here the
// header is believed only from whom it can be:
//   - with TRUSTED_PROXIES=N (N > 0), the N proxies in front of the app, as before: the app must
//     be reachable only through them (docs/deploying.md);
//   - the middleware's own call to the refresh route (it passes the client's address on), which
//     proves itself with a random value this process makes at start and never sends elsewhere;
//   - nobody else: without a trusted proxy the header is the socket's peer address.
//
//   node scripts/server.mjs [--port 3000] [--hostname 0.0.0.0]
// SIGTERM and SIGINT stop it as `next start` stops: no new connections, the requests in flight
// finish, then exit (143 / 130; lib/server/shutdown.ts turns a clean stop into 0).
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const argument = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

// The app's own directory, whatever directory started it (a service manager's may be "/"): the
// password thread, for one, loads its packages from the working directory.
process.chdir(root);

// What `next start` does before anything else: a production server, with .env loaded.
process.env.NODE_ENV ||= "production";
require("@next/env").loadEnvConfig(root, false);
const port = Number(argument("port", process.env.PORT ?? "3000"));
const hostname = argument("hostname", undefined);
process.env.PORT = String(port);

// The middleware reads this (lib/env.ts) and sends it with its call to the refresh route; a fresh
// value each start, in this process's memory and environment only.
const HOP_HEADER = "x-keycard-hop"; // INTERNAL_HOP_HEADER in lib/edge/request-headers.ts
const hop = randomBytes(32).toString("base64url");
process.env.KEYCARD_INTERNAL_HOP = hop;
const trustedProxies = Number(process.env.TRUSTED_PROXIES ?? "0") || 0;

/** Whether `given` is this process's hop value, in constant time. */
function isOurHop(given) {
  if (typeof given !== "string" || given.length !== hop.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(hop));
}

/** The request as Next should see it: X-Forwarded-For only from whom it can be believed. */
function withClientAddress(req) {
  const fromMiddleware = isOurHop(req.headers[HOP_HEADER]);
  delete req.headers[HOP_HEADER];
  if (fromMiddleware || trustedProxies > 0) return;
  const peer = req.socket.remoteAddress;
  if (peer) req.headers["x-forwarded-for"] = peer;
  else delete req.headers["x-forwarded-for"];
}

const next = require("next");
const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();

await app.prepare();
const server = http.createServer((req, res) => {
  withClientAddress(req);
  handle(req, res).catch((error) => {
    console.error(`Failed to handle request for ${req.url}`, error);
    if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
  });
});
server.on("error", (error) => {
  console.error(`Failed to start server: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(` ✓ Ready on http://${hostname ?? "localhost"}:${port}`));

let stopping = false;
for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // No new connections; idle keep-alive ones close; requests in flight finish.
    server.close(() => {
      app.close().catch((error) => console.error(error)).finally(() => process.exit(code));
    });
    server.closeIdleConnections();
  });
}

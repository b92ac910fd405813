// Playwright's global teardown: fails the run if any test server answered a request 500, i.e.
// met a bug (lib/server/route.ts logs each one with this marker and its stack). Outages are 503s
// and do not count; bugs must never pass unnoticed because the test around them passed.
import fs from "node:fs";
import path from "node:path";
import { E2E } from "./settings";

const BUG_MARKER = "failed with a bug (answered 500 internal_error)";

export default function noBugsLogged() {
  const file = path.join(__dirname, "..", E2E.serverLogFile);
  const log = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const bugs = log.split("\n").filter((line) => line.includes(BUG_MARKER));
  if (bugs.length > 0) {
    throw new Error(`The test servers answered ${bugs.length} request(s) with 500 internal_error:\n${bugs.join("\n")}\n(see ${E2E.serverLogFile})`);
  }
}

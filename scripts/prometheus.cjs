// Prometheus's own tools for the metrics tests: `promtool` to check the text format and a real
// `prometheus` to scrape a test server. Debian's `prometheus` package brings both. Like the
// browser (scripts/chromium.cjs), `npm test` installs them when the machine has none and it can
// (root with apt), and otherwise stops with the exact command to run.
//
// CommonJS, so that both the plain-Node test runner and Playwright's TypeScript load it.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");

const TOOLS = { promtool: "/usr/bin/promtool", prometheus: "/usr/bin/prometheus" };

function findPrometheus() {
  return Object.values(TOOLS).every((p) => fs.existsSync(p)) ? TOOLS : null;
}

const HOW_TO_GET_IT = "Prometheus's tools are missing for the metrics tests. Install them with:\n  sudo apt-get install -y prometheus";

function ensurePrometheus(log = console.log) {
  const found = findPrometheus();
  if (found) return found;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (root && hasApt) {
    log("Installing Debian's prometheus (promtool and the server) with apt-get (a one-time step, about a minute)…");
    // The package would start its own service where there is an init system; policy-rc.d-less
    // containers have none, and the tests start their own server on a free port anyway.
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const run = (args) => spawnSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"] }).status === 0;
    if ((run(["install", "-y", "-qq", "--no-install-recommends", "prometheus"]) ||
      (run(["update", "-qq"]) && run(["install", "-y", "-qq", "--no-install-recommends", "prometheus"]))) && findPrometheus()) {
      return findPrometheus();
    }
    log("apt-get could not install prometheus.");
  }
  console.error(`\n✖ ${HOW_TO_GET_IT}`);
  process.exit(1);
}

module.exports = { TOOLS, findPrometheus, ensurePrometheus, HOW_TO_GET_IT };

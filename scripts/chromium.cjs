// Which Chromium the browser tests drive, and getting one when the machine has none.
//
// Playwright's own build where it is installed; else a system Chromium; else none. Detected, never
// hard-coded. `npm test` calls ensureChromium() before the browser tests: it tries Playwright's
// download first, then (as root, with apt) Debian's `chromium`, and otherwise stops with the
// exact command to run. e2e/browser.ts reads findChromium() for the launch options.
//
// CommonJS, so that both the plain-Node test runner and Playwright's TypeScript config load it.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("@playwright/test");

const root = path.dirname(__dirname);

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

// Flags for a system Chromium in a container with no network but loopback: no sandbox (root), no
// GPU, and none of the background calls home that a closed network refuses.
const SYSTEM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** { kind: "playwright" } | { kind: "system", path } | null */
function findChromium(env = process.env) {
  let own = null;
  try {
    own = chromium.executablePath();
  } catch {
    own = null;
  }
  if (own && fs.existsSync(own)) return { kind: "playwright", path: own };
  const system = [env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS].find((p) => !!p && fs.existsSync(p));
  return system ? { kind: "system", path: system } : null;
}

const HOW_TO_GET_ONE =
  "No Chromium found for the browser tests. Install one of:\n" +
  "  npx playwright install chromium        (Playwright's own build; needs internet)\n" +
  "  sudo apt-get install -y chromium       (Debian/Ubuntu; .ci/run does this)\n" +
  "or set CHROMIUM_PATH to a Chromium or Chrome binary.";

const run = (command, args, options = {}) => spawnSync(command, args, { cwd: root, stdio: "inherit", ...options }).status === 0;
const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

/** Finds a Chromium or installs one; exits with the command to run when neither works. */
function ensureChromium(log = console.log) {
  const found = findChromium();
  if (found) return found;

  log("No Chromium for the browser tests yet. Trying Playwright's own download (needs internet)…");
  const cli = path.join(root, "node_modules", "@playwright", "test", "cli.js");
  if (run(process.execPath, [cli, "install", "chromium"], { stdio: ["ignore", "ignore", "ignore"] }) && findChromium()) {
    return findChromium();
  }
  log("Playwright's download did not work here.");

  const root_ = typeof process.getuid === "function" && process.getuid() === 0;
  if (root_ && has("apt-get")) {
    log("Installing Debian's chromium with apt-get (a one-time step, typically 1–3 minutes)…");
    const quiet = { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, stdio: ["ignore", "ignore", "inherit"] };
    if (run("apt-get", ["update", "-qq"], quiet) && run("apt-get", ["install", "-y", "-qq", "chromium"], quiet) && findChromium()) {
      return findChromium();
    }
    log("apt-get could not install chromium.");
  }
  console.error(`\n✖ ${HOW_TO_GET_ONE}`);
  process.exit(1);
}

module.exports = { SYSTEM_CHROMIUMS, SYSTEM_FLAGS, HOW_TO_GET_ONE, findChromium, ensureChromium };

// `npm test`: every test, in the order that fails fastest.
//   1. type check (route types generated first, no build needed)
//   2. unit and integration tests on throw-away databases
//   3. the production build (skipped when up to date)
//   4. Playwright in Chromium against that build, on its own throw-away database (a Chromium, and
//      Prometheus's promtool and server, are installed first when the machine has none:
//      scripts/chromium.cjs, scripts/prometheus.cjs)
// Steps 2 and 4 run on SQLite, then again on PostgreSQL when TEST_DATABASE_URL_POSTGRES names a
// server (.ci/run sets it); without it they say so and PostgreSQL is skipped.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "./build-if-needed.mjs";
import { ensureChromium } from "./chromium.cjs";
import { ensurePrometheus } from "./prometheus.cjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

function step(title, args, env = {}) {
  console.log(`\n━━ ${title}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed.`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

step("Route types", [bin("next", "dist/bin/next"), "typegen"]);
step("Type check", [bin("typescript", "bin/tsc"), "--noEmit"]);
step("Unit and integration tests", ["scripts/run-unit-tests.mjs"]);
console.log("\n━━ Production build");
buildIfNeeded();
console.log("\n━━ Chromium for the browser tests");
const browser = ensureChromium();
console.log(`✔ ${browser.kind === "playwright" ? "Playwright's own Chromium" : browser.path}`);
console.log("\n━━ Prometheus's tools for the metrics tests");
console.log(`✔ ${Object.values(ensurePrometheus()).join(", ")}`);
const playwright = [bin("@playwright/test", "cli.js"), "test", "--config", "e2e/playwright.config.ts"];
step("Browser tests on SQLite (Playwright, Chromium)", playwright, { E2E_DATABASE: "sqlite" });
if (process.env.TEST_DATABASE_URL_POSTGRES) {
  step("Browser tests on PostgreSQL (Playwright, Chromium)", playwright, { E2E_DATABASE: "postgres" });
} else {
  console.log("\n⚠ TEST_DATABASE_URL_POSTGRES is not set: the browser tests ran on SQLite only, PostgreSQL is skipped.");
}

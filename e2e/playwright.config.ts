import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./browser";
import { E2E_DATABASE } from "./database";
import { E2E } from "./settings";

export default defineConfig({
  testDir: ".",
  outputDir: path.join(__dirname, ".output", E2E_DATABASE),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two workers on a two-core machine: the server, the browser and the tests share it.
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // After every test: no server may have met a bug (a 500), whatever the tests asserted.
  globalTeardown: "./no-bugs-logged.ts",
  use: {
    baseURL: E2E.baseURL,
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions(),
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: E2E_DATABASE, testIgnore: /faults\.spec\.ts/, grepInvert: /killed with SIGKILL/ },
    // Takes the database away from every instance: only after everything else has finished.
    { name: `${E2E_DATABASE} faults`, testMatch: /faults\.spec\.ts/, dependencies: [E2E_DATABASE] },
    // Kills an instance mid-load. All instances share one outbox, so one killed in the middle of
    // a send holds that mail until its claim's lease runs out (a minute, by design): alone, last,
    // so that no other test is waiting for that mail.
    { name: `${E2E_DATABASE} last`, testMatch: /several-instances\.spec\.ts/, grep: /killed with SIGKILL/, dependencies: [`${E2E_DATABASE} faults`] },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    cwd: path.join(__dirname, ".."),
    url: `${E2E.baseURL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM, not Playwright's default SIGKILL: the script drops its PostgreSQL database on the way out.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});

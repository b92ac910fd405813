import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./browser";
import { E2E } from "./settings";

export default defineConfig({
  testDir: ".",
  outputDir: path.join(__dirname, ".output"),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two workers on a two-core machine: the server, the browser and the tests share it.
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: E2E.baseURL,
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions(),
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", testIgnore: /faults\.spec\.ts/ },
    // Takes the database away from every instance: only after everything else has finished.
    { name: "faults", testMatch: /faults\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    cwd: path.join(__dirname, ".."),
    url: `${E2E.baseURL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});

// Which Chromium the tests drive: Playwright's own where it is installed, else a system Chromium,
// else a message saying how to get one. Detected, never hard-coded.
import fs from "node:fs";
import { chromium, type LaunchOptions } from "@playwright/test";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

// Flags for a system Chromium in a container with no network but loopback: no sandbox (root), no
// GPU, and none of the background calls home that this machine's closed network refuses.
const SYSTEM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumLaunchOptions(): LaunchOptions {
  const own = (() => {
    try {
      return chromium.executablePath();
    } catch {
      return null;
    }
  })();
  if (own && fs.existsSync(own)) return {};

  const system = [process.env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS].find((p): p is string => !!p && fs.existsSync(p));
  if (system) return { executablePath: system, args: SYSTEM_FLAGS };

  throw new Error(
    "No Chromium found for the browser tests. Install one of:\n" +
      "  npx playwright install chromium        (Playwright's own build; needs internet)\n" +
      "  sudo apt-get install -y chromium       (Debian/Ubuntu; .ci/run does this)\n" +
      "or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
}

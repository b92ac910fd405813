// The launch options for whichever Chromium scripts/chromium.cjs finds (npm test makes sure there
// is one before Playwright starts).
import type { LaunchOptions } from "@playwright/test";
import { findChromium, HOW_TO_GET_ONE, SYSTEM_FLAGS } from "../scripts/chromium.cjs";

export function chromiumLaunchOptions(): LaunchOptions {
  const found = findChromium();
  if (!found) throw new Error(HOW_TO_GET_ONE);
  return found.kind === "playwright" ? {} : { executablePath: found.path, args: SYSTEM_FLAGS };
}

// What the browser tests and their servers agree on (scripts/e2e-server.mjs reads the same JSON).
// Every instance serves the same production build and shares one throw-away database.
import fs from "node:fs";
import path from "node:path";
import settings from "./settings.json";

const url = (instance: keyof typeof settings.instances) => `http://localhost:${settings.instances[instance].port}`;

export const E2E = {
  ...settings,
  baseURL: url("main"),
  /** Its refresh calls go to a closed port: what a person sees when the refresh cannot reach the store. */
  brokenURL: url("broken"),
  /**
   * Five-minute access tokens: shows a still-valid token refused once its session has ended. A
   * sign-in here is "fresh" for 6 seconds only, so the tests of sudo mode can outwait it.
   */
  steadyURL: url("steady"),
  /** Signs with a new key and still verifies the current one: the first step of a rotation. */
  rotatedURL: url("rotated"),
  /** Knows only the new key: the old one has been retired. */
  retiredURL: url("retired"),
  /** Tight limits with long windows, for the tests that race them (each from its own address). */
  limitsURL: url("limits"),
};

/** The secrets the test servers were started with, for tests that forge tokens. */
export function serverSecrets(): { keys: Record<string, Record<string, string>>; REFRESH_TOKEN_KEY: string } {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", settings.secretsFile), "utf8"));
}

// What the browser tests and their server agree on. The server (scripts/e2e-server.mjs) reads the
// same values from e2e/settings.json.
import settings from "./settings.json";

export const E2E = {
  ...settings,
  baseURL: `http://localhost:${settings.port}`,
  /** A second server whose refresh calls go nowhere: what a person sees when the store is down. */
  brokenURL: `http://localhost:${settings.brokenPort}`,
  /** A third with five-minute access tokens: for showing that Node refuses an ended session at once. */
  steadyURL: `http://localhost:${settings.steadyPort}`,
};

// Configuration for unit tests: fresh keys, a low bcrypt cost, the production lifetimes.
import { generateSecrets } from "@/scripts/secrets.mjs";
import { parseConfig, type Config } from "@/lib/env";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ ...generateSecrets(), BCRYPT_COST: "4", APP_ORIGIN: "http://localhost:3000", MAIL_LOCAL_MAILBOX: "true", ...overrides });
}

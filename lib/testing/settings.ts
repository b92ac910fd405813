// Configuration for unit tests: fresh keys, a low bcrypt cost, the production lifetimes. Mail is
// read back from the outbox, never sent: the SMTP address is one nothing answers at.
import { generateSecrets } from "@/scripts/secrets.mjs";
import { parseConfig, type Config } from "@/lib/env";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ ...generateSecrets(), BCRYPT_COST: "4", APP_ORIGIN: "http://localhost:3000", SMTP_URL: "smtp://mail.invalid:25", ...overrides });
}

// `prisma generate`, offline. Prisma 7's CLI fetches its native schema engine before any command,
// and the download fails without internet; generate never calls that engine, so point Prisma at
// a stand-in binary instead. Runs on `npm install` (postinstall): one client per database
// (scripts/schemas.mjs says why there are two).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { DATABASES } from "./schemas.mjs";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const stand_in = process.platform === "win32" ? process.execPath : "/bin/true";

for (const { schema } of Object.values(DATABASES)) {
  const result = spawnSync(process.execPath, [cli, "generate", "--schema", schema], {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stand_in,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// @ts-check
const { PHASE_PRODUCTION_SERVER } = require("next/constants");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ["better-sqlite3"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

module.exports = async (/** @type {string} */ phase) => {
  // `next start` loads .env before this file, so this sees the secrets wherever they come from.
  // A server without them must not start and fail on the first sign-in instead.
  if (phase === PHASE_PRODUCTION_SERVER) {
    const { missingSecrets, refusalMessage } = await import("./scripts/secrets.mjs");
    const missing = missingSecrets(process.env);
    if (missing.length > 0) {
      console.error(`\n${refusalMessage(missing)}\n`);
      process.exit(1);
    }
  }
  return nextConfig;
};

// @ts-check
const { PHASE_PRODUCTION_SERVER } = require("next/constants");

// `npm run bench` builds with KEYCARD_BENCH_BUILD=1: files named page.bench.tsx and route.bench.ts
// (the pages it measures) become routes, in a build of their own (.next-bench). Any other build
// has no /bench route at all.
const benchBuild = process.env.KEYCARD_BENCH_BUILD === "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  pageExtensions: benchBuild ? ["bench.tsx", "bench.ts", "tsx", "ts"] : ["tsx", "ts"],
  distDir: benchBuild ? ".next-bench" : ".next",
  poweredByHeader: false,
  experimental: {
    // Next loads every route at start by default. Most of Keycard's routes serve a few requests a
    // day (settings, recovery, the operator console), and loading them all doubled the idle heap
    // (about 35 MB more resident, and a heap that V8 then lets grow further under load). Each now
    // loads at its first request, which pays a few tens of milliseconds once (README, "Memory").
    preloadEntriesOnStart: false,
  },
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
  // A server without them (or with .env.example's values) must not start and fail on the first
  // sign-in instead.
  if (phase === PHASE_PRODUCTION_SERVER) {
    const { settingProblems, refusalMessage } = await import("./scripts/secrets.mjs");
    const problems = settingProblems(process.env);
    if (problems.length > 0) {
      console.error(`\n${refusalMessage(problems)}\n`);
      process.exit(1);
    }
  }
  return nextConfig;
};

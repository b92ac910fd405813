// `next build`, skipped when nothing that goes into the build has changed since the last one.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const INPUTS = ["app", "lib", "middleware.ts", "next.config.js", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];
const STAMP_NAME = "keycard-source-hash";

function sourceHash() {
  const hash = createHash("sha256");
  const visit = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) {
        if (name !== "generated" && !name.endsWith(".test.ts")) visit(path.join(rel, name));
      }
    } else {
      hash.update(rel).update("\0").update(fs.readFileSync(abs)).update("\0");
    }
  };
  INPUTS.forEach(visit);
  return hash.digest("hex");
}

/** Builds into .next, or with { bench: true } the benchmark's own build into .next-bench. */
export function buildIfNeeded({ bench = false } = {}) {
  const distDir = path.join(root, bench ? ".next-bench" : ".next");
  const stamp = path.join(distDir, STAMP_NAME);
  const wanted = sourceHash();
  const built = fs.existsSync(path.join(distDir, "BUILD_ID")) && fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8") : null;
  if (built === wanted) {
    console.log("Build is up to date.");
    return;
  }
  console.log("Building the app (next build)…");
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const env = { ...process.env, KEYCARD_BENCH_BUILD: bench ? "1" : "" };
  const result = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error("next build failed.");
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(stamp, wanted);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfNeeded();

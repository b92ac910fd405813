// The code's shape, held by tests: what the edge middleware may reach, and no import cycles.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";

const root = path.join(__dirname, "..");

const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^"';]*?\sfrom\s)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function specifiers(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  // Type-only imports vanish at compile time and never reach a runtime.
  const withoutTypeImports = source.replace(/(?:^|\n)\s*import\s+type\s[^;]*;/g, "\n").replace(/(?:^|\n)\s*export\s+type\s[^;]*;/g, "\n");
  return [...withoutTypeImports.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** The project file a specifier names, or null for a package. */
function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(root, from)} imports ${specifier}, which does not resolve`);
}

const rel = (file: string) => path.relative(root, file);

/** Every TypeScript source file under `dir` (not tests, not generated code). */
function sourcesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== "generated") walk(full);
      else if (entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts")) found.push(full);
    }
  };
  walk(path.join(root, dir));
  return found;
}

// What the edge runtime may load: the packages below, and project files in lib/edge/, lib/env.ts
// and the pure helper it shares with the start scripts.
const EDGE_PACKAGES = new Set(["next/server", "jose", "zod"]);
const EDGE_FILES = /^(middleware\.ts|lib\/env\.ts|scripts\/setting-rules\.mjs|lib\/edge\/(?!.*\.test\.ts$).+\.ts)$/;

/** Every way `entry` reaches something the edge must not load, as import chains. */
function edgeViolations(entry: string): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(file)) {
      const target = resolve(file, specifier);
      const via = [...chain, rel(file)].join(" → ");
      if (target === null) {
        if (!EDGE_PACKAGES.has(specifier)) violations.push(`${via} → ${specifier}`);
      } else if (!EDGE_FILES.test(rel(target))) {
        violations.push(`${via} → ${rel(target)}`);
      } else {
        visit(target, [...chain, rel(file)]);
      }
    }
  };
  visit(path.join(root, entry), []);
  return violations;
}

it("the edge middleware reaches nothing but edge-safe code: no Prisma, no lib/db, no node:*, no bcrypt, no server-only", () => {
  assert.deepEqual(edgeViolations("middleware.ts"), []);
});

it("every module in lib/edge/ is edge-safe on its own", () => {
  const edge = fs.readdirSync(path.join(root, "lib/edge")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  assert.ok(edge.length > 10);
  for (const file of edge) assert.deepEqual(edgeViolations(`lib/edge/${file}`), [], file);
});

it("the boundary check itself notices a violation", () => {
  // A Node-only module, seen from its own imports: if this finds nothing, the walk is broken.
  const found = edgeViolations("lib/server/store/sessions.ts");
  assert.ok(found.some((v) => v.endsWith("node:crypto")), found.join("\n"));
  assert.ok(found.some((v) => v.endsWith("server-only")), found.join("\n"));
});

it("every Node-only module under lib/server/ says so with import \"server-only\"", () => {
  const missing = sourcesUnder("lib/server").filter((file) => !specifiers(file).includes("server-only"));
  assert.deepEqual(missing.map(rel), []);
});

it("lib/ and app/ have no import cycles", () => {
  const files = [...sourcesUnder("lib"), ...sourcesUnder("app")];
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, stack: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...stack.slice(stack.indexOf(file)), file].map(rel).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const specifier of specifiers(file)) {
      const target = resolve(file, specifier);
      if (target && /\.tsx?$/.test(target)) visit(target, [...stack, file]);
    }
    state.set(file, "done");
  };
  files.forEach((file) => visit(file, []));
  assert.deepEqual(cycles, []);
});

it("no page or route handler touches the database client directly: they call account actions", () => {
  const offenders = sourcesUnder("app").filter((file) => specifiers(file).some((s) => s === "@/lib/db" || s.includes("/store/")));
  assert.deepEqual(offenders.map(rel), []);
});

it("the password dictionaries never load in the thread that serves requests: no server module imports zxcvbn", () => {
  // The server scores new passwords on its password worker (lib/server/password.ts); only the
  // browser's strength hint loads zxcvbn, through a dynamic import in a client component.
  // A dynamic import loads lazily, which is fine in a client component (the browser) and nowhere
  // else: on the server it would load the dictionaries into the thread that serves pages.
  const isClient = (file: string) => /^["']use client["']/.test(fs.readFileSync(file, "utf8"));
  const staticImports = (file: string) => specifiers(file).filter((s) => !(isClient(file) && fs.readFileSync(file, "utf8").includes(`import("${s}")`)));
  const reaches = (entry: string) => {
    const seen = new Set<string>();
    const chains: string[] = [];
    const visit = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        if (specifier.startsWith("@zxcvbn-ts/")) chains.push([...chain, rel(file), specifier].join(" → "));
        const target = resolve(file, specifier);
        if (target && /\.tsx?$/.test(target)) visit(target, [...chain, rel(file)]);
      }
    };
    visit(entry, []);
    return chains;
  };
  const serverModules = [...sourcesUnder("lib/server"), ...sourcesUnder("app")].filter((file) => !isClient(file));
  assert.ok(serverModules.length > 50);
  assert.deepEqual(serverModules.flatMap(reaches), []);
  // The walk finds the import where there is one.
  assert.ok(reaches(path.join(root, "lib/shared/password-strength.ts")).length > 0);
});

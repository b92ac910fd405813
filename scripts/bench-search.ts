// The operator console's search on 100,000 accounts, on SQLite and (with
// TEST_DATABASE_URL_POSTGRES) PostgreSQL: the latency of a first page for a broad prefix, a narrow
// one and one that matches nobody, and whether each database answers from its index (the plan).
// Part of `npm run bench`; alone: `npm run bench:search`. It prints figures and never fails for
// being slow.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db";
import { findPeople } from "@/lib/server/store/operators";
import { migrate } from "@/scripts/migrate.mjs";
import { createThrowawayDatabase } from "@/scripts/throwaway-postgres.mjs";

const PEOPLE = Number(process.env.BENCH_SEARCH_PEOPLE ?? 100_000);
const QUERIES = 200;
const FIRST = ["maria", "mario", "marek", "anna", "ann", "john", "joanna", "li", "lena", "omar", "olga", "zoe", "yusuf", "kai", "ines", "pablo"];
const DOMAINS = ["example.com", "mail.example", "corp.example", "uni.example"];
const PREFIXES: [string, string][] = [
  ["broad (“m”)", "m"],
  ["narrow (“maria.k”)", "maria.k"],
  ["nobody (“zzz”)", "zzz"],
];

export type SearchFigures = { database: string; people: number; rows: { label: string; p50: number; p99: number; matches: number }[]; plan: string };

/** Rows in bulk, by the database's own means: a statement per 1,000 people. */
async function fill(db: Db) {
  const started = performance.now();
  for (let batch = 0; batch < PEOPLE; batch += 1000) {
    const values: string[] = [];
    for (let i = batch; i < Math.min(batch + 1000, PEOPLE); i++) {
      const name = `${FIRST[i % FIRST.length]}.${String.fromCharCode(97 + ((i * 7) % 26))}${i}`;
      values.push(`('bench-${i}', '${name}@${DOMAINS[i % DOMAINS.length]}', '2026-01-01T00:00:00.000Z')`);
    }
    await db.$executeRawUnsafe(`INSERT INTO "User" ("id", "email", "createdAt") VALUES ${values.join(", ")}`);
  }
  return performance.now() - started;
}

async function measure(db: Db, postgres: boolean, label: string): Promise<SearchFigures> {
  const seconds = (await fill(db)) / 1000;
  console.log(`  ${label}: ${PEOPLE.toLocaleString("en")} accounts written in ${seconds.toFixed(1)} s`);
  if (postgres) await db.$executeRawUnsafe(`ANALYZE "User"`);
  const rows = [];
  for (const [name, prefix] of PREFIXES) {
    const times: number[] = [];
    let matches = 0;
    for (let i = 0; i < QUERIES; i++) {
      const started = performance.now();
      const found = await findPeople(db, { prefix, limit: 25, postgres });
      times.push(performance.now() - started);
      matches = found.people.length;
    }
    times.sort((a, b) => a - b);
    rows.push({ label: name, p50: times[Math.floor(QUERIES / 2)], p99: times[Math.floor(QUERIES * 0.99)], matches });
  }
  // The statements findPeople sends, explained by the database itself.
  const explain = postgres
    ? await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN SELECT "id" FROM "User" WHERE "email" LIKE 'maria.k%' ORDER BY "email" LIMIT 26`)
    : await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN SELECT "id" FROM "User" WHERE "email" >= 'maria.k' AND "email" < 'maria.k\u{10FFFF}' ORDER BY "email" LIMIT 26`);
  const plan = explain.map((r) => ("QUERY PLAN" in r ? r["QUERY PLAN"] : r.detail)).join(" / ");
  return { database: label, people: PEOPLE, rows, plan };
}

export async function benchSearch(): Promise<SearchFigures[]> {
  console.log(`Operator search on ${PEOPLE.toLocaleString("en")} accounts…`);
  const figures: SearchFigures[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-bench-search-"));
  const sqliteUrl = `file:${path.join(dir, "search.db")}`;
  try {
    await migrate(sqliteUrl);
    const db = createDb(sqliteUrl);
    try {
      figures.push(await measure(db, false, "SQLite"));
    } finally {
      await db.$disconnect();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = process.env.TEST_DATABASE_URL_POSTGRES;
  if (server) {
    const throwaway = await createThrowawayDatabase(server, "keycard_bench_search");
    try {
      await migrate(throwaway.url);
      const db = createDb(throwaway.url);
      try {
        figures.push(await measure(db, true, "PostgreSQL"));
      } finally {
        await db.$disconnect();
      }
    } finally {
      await throwaway.drop();
    }
  }
  return figures;
}

export function searchTable(figures: SearchFigures[]): string {
  const lines = ["| Operator search, first page of 25 | p50 | p99 | matches |", "| --- | ---: | ---: | ---: |"];
  for (const f of figures) {
    for (const r of f.rows) lines.push(`| ${f.database}, ${f.people.toLocaleString("en")} accounts, ${r.label} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.matches} |`);
  }
  const plans = figures.map((f) => `${f.database} plan for “maria.k”: ${f.plan}`);
  return [...lines, "", ...plans].join("\n");
}

if (process.argv[1] && path.basename(process.argv[1]) === "bench-search.ts") {
  // Top-level await is not available: tsx runs this file as CommonJS.
  benchSearch()
    .then((figures) => console.log(`\n${searchTable(figures)}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

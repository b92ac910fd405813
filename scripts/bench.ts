// `npm run bench`: what authentication costs per request, measured side by side in one run.
// Builds if needed, starts the production server on a throw-away SQLite database (and a second one
// on a throw-away PostgreSQL database when TEST_DATABASE_URL_POSTGRES names a server), and prints
// one table of medians over several rounds; results also go to bench/results/<date>.json.
// It prints figures and never fails for being slow: targets are judged by people, not by CI.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createDb } from "@/lib/db";
import { cookieNames } from "@/lib/edge/cookies";
import { signAccessToken } from "@/lib/server/signing-key";
import { createSession } from "@/lib/server/store/sessions";
import { createUser } from "@/lib/server/store/users";
import { parseConfig } from "@/lib/env";
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";
import { migrate } from "@/scripts/migrate.mjs";
import { generateSecrets } from "@/scripts/secrets.mjs";
import { createThrowawayDatabase } from "@/scripts/throwaway-postgres.mjs";
import { waitForServer } from "@/scripts/wait-for-server.mjs";
import { benchSearch, searchTable } from "./bench-search";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 8;
const WARMUP_SECONDS = 8;
// More fresh refresh tokens than a round can use: each works once.
const REFRESH_TOKENS_PER_ROUND = 4000;
const PORT = 3210;
const POSTGRES_PORT = 3211;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const root = path.dirname(path.dirname(__filename));

type Sample = { rps: number; p50: number; p99: number; errors: number };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A production server on its own database, with a signed-in bench user. */
async function prepare(databaseUrl: string, port: number, secrets: Record<string, string>) {
  await migrate(databaseUrl);
  const env = {
    ...secrets,
    DATABASE_URL: databaseUrl,
    BCRYPT_COST: "12",
    // The run outlasts the default five minutes; the "valid token" loads need one token throughout.
    ACCESS_TOKEN_TTL_SECONDS: "3600",
    COOKIE_SECURE: "false",
    APP_ORIGIN: `http://127.0.0.1:${port}`,
    // Mail (new-sign-in notices) stays in the database: no SMTP server is part of what is measured.
    MAIL_LOCAL_MAILBOX: "true",
    KEYCARD_DEVELOPMENT_START: "true",
    RATE_LIMIT_LOGIN_ACCOUNT_IP: "100000/60",
    RATE_LIMIT_LOGIN_IP: "100000/60",
    RATE_LIMIT_LOGIN_ACCOUNT: "100000/60",
    RATE_LIMIT_REFRESH_IP: "100000/60",
    // The sign-up burst: twenty new addresses at once, from one IP, every round.
    RATE_LIMIT_REGISTER_IP: "100000/60",
    RATE_LIMIT_MAIL_IP: "100000/60",
  };
  const config = parseConfig({ ...env, NODE_ENV: "production" });
  const names = cookieNames(config);
  const server = await startServer(env, port);
  const db = createDb(databaseUrl);
  const now = new Date();
  const created = await createUser(db, { email: "bench@example.com", password: "benchmark password" }, config, now);
  if (!created.ok) throw new Error("could not create the bench user");
  const userId = created.user.id;
  const session = await createSession(db, { userId, persistent: true }, config, now);
  const access = await signAccessToken({ userId, sessionId: session.session.id }, config, now);
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    db,
    signedIn: { cookie: `${names.access}=${access.token}` },
    /** Refresh cookies of `n` new sessions: each token works once. */
    freshRefreshCookies: async (n: number) => {
      const cookies: string[] = [];
      for (let i = 0; i < n; i++) {
        const { refreshToken } = await createSession(db, { userId, persistent: true }, config, new Date());
        cookies.push(`${names.refresh}=${refreshToken}`);
      }
      return cookies;
    },
  };
}

async function main() {
  buildIfNeeded({ bench: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-bench-"));
  const secrets = generateSecrets();
  const sqlite = await prepare(`file:${path.join(dir, "bench.db")}`, PORT, secrets);
  const postgresServer = process.env.TEST_DATABASE_URL_POSTGRES;
  const throwaway = postgresServer ? await createThrowawayDatabase(postgresServer, "keycard_bench") : null;
  const postgres = throwaway ? await prepare(throwaway.url, POSTGRES_PORT, secrets) : null;
  if (!postgres) console.log("TEST_DATABASE_URL_POSTGRES is not set: PostgreSQL is not measured.");
  const { server, signedIn, freshRefreshCookies } = sqlite;
  try {
    // Where the server's memory goes: its resident size after each kind of work, first time each.
    const stages = await memoryByStage(server, signedIn);
    // Throughput climbs for the first seconds of a fresh server (V8 compiles the hot paths, Next
    // fills its caches): measured rounds only start once every path has been exercised.
    console.log(`Warming up…`);
    await load("/bench/open", {}, WARMUP_SECONDS);
    await load("/bench/protected", signedIn, WARMUP_SECONDS);
    await post("/api/bench/empty", () => ({}));
    const warmTokens = await freshRefreshCookies(REFRESH_TOKENS_PER_ROUND);
    await post("/api/auth/refresh", () => ({ cookie: warmTokens.pop()! }));
    await sequential(100, () => ({ cookie: signedIn.cookie }));
    if (postgres) {
      await post("/api/bench/empty", () => ({}), postgres.origin);
      const warmPostgres = await postgres.freshRefreshCookies(REFRESH_TOKENS_PER_ROUND);
      await post("/api/auth/refresh", () => ({ cookie: warmPostgres.pop()! }), postgres.origin);
    }

    const rounds: Record<string, number[]> = {};
    const note = (key: string, value: number) => (rounds[key] ??= []).push(value);
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`Round ${round} of ${ROUNDS}…`);
      const open = await load("/bench/open", {}, SECONDS);
      const guarded = await load("/bench/protected", signedIn, SECONDS);
      note("open rps", open.rps);
      note("protected rps", guarded.rps);
      note("page ratio", guarded.rps / open.rps);

      const plain = await sequential(200, () => ({ cookie: signedIn.cookie }));
      const pool = await freshRefreshCookies(200);
      const refreshing = await sequential(200, () => ({ cookie: pool.pop()! }), true);
      note("p50 valid token", plain.p50);
      note("p50 silent refresh", refreshing.p50);
      note("refresh latency ratio", refreshing.p50 / plain.p50);

      const empty = await post("/api/bench/empty", () => ({}));
      const tokens = await freshRefreshCookies(REFRESH_TOKENS_PER_ROUND);
      const refresh = await post("/api/auth/refresh", () => ({ cookie: tokens.pop()! }));
      if (refresh.errors > 0) console.warn(`  ${refresh.errors} refreshes failed`);
      note("empty handler rps", empty.rps);
      note("refresh rps (SQLite)", refresh.rps);
      note("refresh ratio (SQLite)", refresh.rps / empty.rps);
      if (postgres) {
        const pgEmpty = await post("/api/bench/empty", () => ({}), postgres.origin);
        const pgTokens = await postgres.freshRefreshCookies(REFRESH_TOKENS_PER_ROUND);
        const pgRefresh = await post("/api/auth/refresh", () => ({ cookie: pgTokens.pop()! }), postgres.origin);
        if (pgRefresh.errors > 0) console.warn(`  ${pgRefresh.errors} PostgreSQL refreshes failed`);
        note("empty handler rps (PostgreSQL server)", pgEmpty.rps);
        note("refresh rps (PostgreSQL)", pgRefresh.rps);
        note("refresh ratio (PostgreSQL)", pgRefresh.rps / pgEmpty.rps);
        note("refresh PostgreSQL ÷ SQLite", pgRefresh.rps / refresh.rps);
      }

      const quiet = await load("/bench/protected", signedIn, 4, 4);
      const burst = await duringSignInBurst(() => load("/bench/protected", signedIn, 4, 4));
      const signUps = await duringSignUpBurst(round, () => load("/bench/protected", signedIn, 4, 4));
      note("p99 quiet", quiet.p99);
      note("p99 during 20 sign-ins", burst.p99);
      note("p99 during 20 sign-ups", signUps.p99);

      // An unknown email must cost what a wrong password costs: otherwise the time of the answer
      // tells who has an account. Measured here as figures, never asserted in a timed test.
      note("p50 sign-in, wrong password", await signInLatency("bench@example.com", 10));
      note("p50 sign-in, unknown email", await signInLatency("nobody-here@example.com", 10));
    }
    report(rounds, stages, peakMemoryMb(server), postgres ? peakMemoryMb(postgres.server) : null);
  } finally {
    for (const target of [sqlite, postgres]) {
      if (!target) continue;
      await target.db.$disconnect();
      target.server.kill("SIGTERM");
      await new Promise((resolve) => target.server.once("exit", resolve));
    }
    await throwaway?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // After the servers stopped: the operator console's search, measured on the store alone.
  console.log(`\n${searchTable(await benchSearch())}`);
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs"), "--port", String(port)], {
    cwd: root,
    // The benchmark's own build (.next-bench), with the pages it measures.
    env: { ...process.env, ...env, NODE_ENV: "production", PORT: String(port), KEYCARD_BENCH_BUILD: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForServer(`http://127.0.0.1:${port}`, server);
  return server;
}

async function load(pathname: string, headers: Record<string, string>, seconds: number, connections = CONNECTIONS): Promise<Sample> {
  const result = await autocannon({ url: `${ORIGIN}${pathname}`, connections, duration: seconds, headers });
  if (result.non2xx > 0) throw new Error(`${pathname}: ${result.non2xx} answers were not 2xx`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors };
}

/** POSTs for the usual duration, each with its own headers (a refresh token works once). */
async function post(pathname: string, headers: () => Record<string, string>, origin = ORIGIN): Promise<Sample> {
  const result = await autocannon({
    url: `${origin}${pathname}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: "POST", setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...headers() } }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

/** One request at a time: latency without queueing. */
async function sequential(n: number, headers: () => Record<string, string>, expectRefresh = false): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(`${ORIGIN}/bench/protected`, { headers: headers(), redirect: "manual" });
    await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`/bench/protected answered ${response.status}`);
    if (expectRefresh && response.headers.getSetCookie().length < 2) throw new Error("no silent refresh happened");
  }
  times.sort((a, b) => a - b);
  return { rps: 0, p50: times[Math.floor(n / 2)], p99: times[Math.floor(n * 0.99)], errors: 0 };
}

/** Runs `measure` while 20 people sign in at once (bcrypt at cost 12). */
async function duringSignInBurst(measure: () => Promise<Sample>): Promise<Sample> {
  const measuring = measure();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const logins = Array.from({ length: 20 }, () =>
    fetch(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@example.com", password: "benchmark password" }),
    }).then((r) => r.status),
  );
  const statuses = await Promise.all(logins);
  if (statuses.some((s) => s !== 200)) throw new Error(`sign-ins answered ${statuses.join(", ")}`);
  return measuring;
}

/** Runs `measure` while 20 new addresses sign up at once (zxcvbn, bcrypt at cost 12, a mail each). */
async function duringSignUpBurst(round: number, measure: () => Promise<Sample>): Promise<Sample> {
  const measuring = measure();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const stamp = Date.now().toString(36);
  const statuses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => signUp(`burst-${stamp}-${round}-${i}@example.com`).then((r) => r.status)),
  );
  if (statuses.some((s) => s !== 202)) throw new Error(`sign-ups answered ${statuses.join(", ")}`);
  return measuring;
}

function signUp(email: string) {
  return fetch(`${ORIGIN}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "violet harbour lantern 4812" }),
  });
}

type Stage = { stage: string; rssMb: number };

/**
 * The server's resident memory after each first: started, a page, a signed-in page (the first
 * database read), a sign-in (the password thread), a sign-up (the password dictionaries, a mail),
 * and then quiet past the password thread's idle time (it ends and gives its memory back).
 */
async function memoryByStage(server: ChildProcess, signedIn: Record<string, string>): Promise<Stage[]> {
  const stages: Stage[] = [];
  const note = async (stage: string) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    stages.push({ stage, rssMb: residentMb(server) });
  };
  await note("started (its first page served)");
  await fetch(`${ORIGIN}/bench/open`).then((r) => r.text());
  await note("a public page");
  await fetch(`${ORIGIN}/bench/protected`, { headers: signedIn }).then((r) => r.text());
  await note("a signed-in page (the first database read)");
  const signIn = await fetch(`${ORIGIN}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", password: "benchmark password" }),
  });
  if (signIn.status !== 200) throw new Error(`the sign-in answered ${signIn.status}`);
  await note("a sign-in (bcrypt on the password thread)");
  const signUpAnswer = await signUp(`stages-${Date.now().toString(36)}@example.com`);
  if (signUpAnswer.status !== 202) throw new Error(`the sign-up answered ${signUpAnswer.status}`);
  await note("a sign-up (password dictionaries, a mail)");
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  await note("11 s quiet (the idle password thread has ended)");
  return stages;
}

/** Median time of `n` sequential sign-ins with a wrong password for `email`, in ms. */
async function signInLatency(email: string, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "not the password" }),
    });
    times.push(performance.now() - started);
    if (response.status !== 401) throw new Error(`a wrong sign-in answered ${response.status}`);
  }
  return median(times);
}

function peakMemoryMb(server: ChildProcess): number {
  return statusMb(server, "VmHWM");
}

function residentMb(server: ChildProcess): number {
  return statusMb(server, "VmRSS");
}

/** A size from /proc/<pid>/status, in MB (0 where there is no /proc). */
function statusMb(server: ChildProcess, field: "VmHWM" | "VmRSS"): number {
  try {
    const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function report(rounds: Record<string, number[]>, stages: Stage[], peakMb: number, postgresPeakMb: number | null) {
  const m = (key: string) => median(rounds[key]);
  const rows: [string, string, string, string][] = [
    ["Protected page, valid token ÷ same page unprotected (throughput)", `${m("protected rps").toFixed(0)} ÷ ${m("open rps").toFixed(0)} req/s`, m("page ratio").toFixed(2), "≥ 0.95"],
    ["Navigation with silent refresh ÷ without (p50 latency)", `${m("p50 silent refresh").toFixed(1)} ÷ ${m("p50 valid token").toFixed(1)} ms`, m("refresh latency ratio").toFixed(2), "≤ 1.5"],
    ["POST /api/auth/refresh ÷ empty route handler, SQLite (throughput)", `${m("refresh rps (SQLite)").toFixed(0)} ÷ ${m("empty handler rps").toFixed(0)} req/s`, m("refresh ratio (SQLite)").toFixed(2), "≥ 0.5"],
    rounds["refresh rps (PostgreSQL)"]
      ? ["POST /api/auth/refresh, PostgreSQL ÷ SQLite (throughput)", `${m("refresh rps (PostgreSQL)").toFixed(0)} ÷ ${m("refresh rps (SQLite)").toFixed(0)} req/s (PostgreSQL ÷ its empty handler: ${m("refresh ratio (PostgreSQL)").toFixed(2)})`, m("refresh PostgreSQL ÷ SQLite").toFixed(2), "≥ 0.5 (within 2×)"]
      : ["POST /api/auth/refresh, PostgreSQL ÷ SQLite", "not measured: set TEST_DATABASE_URL_POSTGRES", "—", "≥ 0.5 (within 2×)"],
    ["Protected page p99 during 20 concurrent sign-ins (bcrypt 12)", `${m("p99 during 20 sign-ins").toFixed(0)} ms (quiet: ${m("p99 quiet").toFixed(0)} ms)`, "—", "< 50 ms"],
    ["Protected page p99 during 20 concurrent sign-ups (zxcvbn, bcrypt 12, a mail each)", `${m("p99 during 20 sign-ups").toFixed(0)} ms`, "—", "< 50 ms"],
    ["Sign-in, unknown email ÷ known email with a wrong password (p50 latency)", `${m("p50 sign-in, unknown email").toFixed(0)} ÷ ${m("p50 sign-in, wrong password").toFixed(0)} ms`, (m("p50 sign-in, unknown email") / m("p50 sign-in, wrong password")).toFixed(2), "≈ 1.00"],
    ["Peak server memory (RSS high-water mark)", `${peakMb.toFixed(0)} MB${postgresPeakMb ? ` (the PostgreSQL server: ${postgresPeakMb.toFixed(0)} MB)` : ""}`, "—", "—"],
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    `Keycard benchmark, ${new Date().toISOString().slice(0, 10)} — ${machine}`,
    `median of ${ROUNDS} rounds; ${SECONDS} s loads at ${CONNECTIONS} connections, after a warm-up of every path`,
    "",
    "| Measure | Figures | Ratio | Target |",
    "| --- | --- | ---: | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    "Server memory by stage (SQLite server, resident set after each first; the peak is after the whole run)",
    "",
    "| Stage | RSS |",
    "| --- | ---: |",
    ...stages.map((s) => `| ${s.stage} | ${s.rssMb.toFixed(0)} MB |`),
    `| peak, after every load above | ${peakMb.toFixed(0)} MB |`,
  ];
  console.log(`\n${lines.join("\n")}`);
  const file = path.join(root, "bench", "results", `${new Date().toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, rounds: ROUNDS, seconds: SECONDS, medians: Object.fromEntries(Object.keys(rounds).map((k) => [k, m(k)])), stages, peakMb, postgresPeakMb, raw: rounds }, null, 2) + "\n");
  console.log(`\nSaved ${path.relative(root, file)}`);
}

// Top-level await is not available: tsx runs this file as CommonJS.
main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Password hashing and scoring. Node only.
//
// bcryptjs is pure JavaScript: at cost 12 one hash holds its thread for about a quarter of a
// second. On the main thread, twenty people signing in at once would stall every other request for
// seconds (measured: p99 of page requests 1,850 ms during such a burst). So hashing runs on worker
// threads, and the main thread only waits for the answer.
//
// Scoring a new password (zxcvbn) runs there too: its dictionaries take about 60 MB once loaded
// and a check holds its thread for milliseconds, and only sign-ups, resets and changes need them.
// One thread loads them, at its first score, and every score goes to it. A thread left idle for
// ten seconds exits, which gives all of that memory back: the next check starts a thread again
// (tens of milliseconds), and the next score loads the dictionaries again (about 0.4 s on this
// project's 2-core machine, once) — a cost paid only after a quiet spell.
//
// The queue in front of those threads is bounded (BCRYPT_MAX_QUEUE): past it a new check is refused
// at once with BusyError (503 `busy`, Retry-After) instead of waiting behind minutes of work.
import "server-only";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { Scored } from "@/lib/shared/password-rule";
import { BusyError } from "./faults";
import { log } from "./log";
import { metrics } from "./metrics";

export type HashSettings = { bcryptCost: number; bcryptMaxQueue?: number };

export function hashPassword(password: string, settings: HashSettings): Promise<string> {
  return runOnWorker("hash", [password, settings.bcryptCost], settings.bcryptMaxQueue) as Promise<string>;
}

/** How guessable `password` is for someone who knows `guessable` (the owner's address, its parts). */
export function scorePassword(password: string, guessable: string[], settings: HashSettings): Promise<Scored> {
  return runOnWorker("score", [password, guessable], settings.bcryptMaxQueue) as Promise<Scored>;
}

let comparisons = 0;

export function verifyPassword(password: string, hash: string, settings: HashSettings): Promise<boolean> {
  comparisons++;
  return runOnWorker("compare", [password, hash], settings.bcryptMaxQueue) as Promise<boolean>;
}

/** How many bcrypt comparisons this process has started: the figure behind "an unknown email costs one too". */
export function passwordComparisons(): number {
  return comparisons;
}

/** The work factor a bcrypt hash was made with ($2b$12$… → 12). */
export function hashCost(hash: string): number {
  return Number(/^\$2[aby]?\$(\d\d)\$/.exec(hash)?.[1] ?? 0);
}

/** Threads running now (tests): they start with the first check and end when left idle. */
export function passwordThreads(): number {
  return pool.length;
}

/** Threads holding the password dictionaries now (tests): one at most. */
export function scoringThreads(): number {
  return pool.filter((entry) => entry.scorer).length;
}

/** Tests only: how long a thread may stay idle before it ends, and how many may run; returns what was set before. */
export function setPasswordThreads(options: { idleMs?: number; size?: number }): { idleMs: number; size: number } {
  const before = { idleMs: idleRetireMs, size: poolSize };
  idleRetireMs = options.idleMs ?? idleRetireMs;
  poolSize = options.size ?? poolSize;
  return before;
}

/** Password checks waiting or running right now. */
export function passwordChecksInFlight(): number {
  return pending.size;
}

// Compared against when the email is unknown, so that an unknown email costs the same time as a
// wrong password. Built lazily at the configured cost; its password is random and never stored.
const dummyHashes = new Map<number, Promise<string>>();

export function dummyPasswordHash(settings: HashSettings): Promise<string> {
  let hash = dummyHashes.get(settings.bcryptCost);
  if (!hash) {
    hash = hashPassword(crypto.randomUUID(), { bcryptCost: settings.bcryptCost });
    hash.catch(() => dummyHashes.delete(settings.bcryptCost));
    dummyHashes.set(settings.bcryptCost, hash);
  }
  return hash;
}

// The worker is plain CommonJS evaluated from a string, so no bundler has to know about it; it
// loads bcryptjs and zxcvbn from node_modules itself. Its zxcvbn is built exactly as the
// browser's (lib/shared/password-strength.ts; password.test.ts compares their verdicts).
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");
let zxcvbn;
function score(password, guessable) {
  if (!zxcvbn) {
    const { ZxcvbnFactory } = require("@zxcvbn-ts/core");
    const common = require("@zxcvbn-ts/language-common");
    const en = require("@zxcvbn-ts/language-en");
    zxcvbn = new ZxcvbnFactory({ translations: en.translations, graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...en.dictionary } });
  }
  const result = zxcvbn.check(password, guessable);
  return { score: result.score, warning: result.feedback.warning ?? null, suggestions: result.feedback.suggestions ?? [] };
}
parentPort.on("message", ({ id, op, args }) => {
  const started = performance.now();
  const work =
    op === "hash" ? bcrypt.hash(args[0], args[1]) :
    op === "compare" ? bcrypt.compare(args[0], args[1]) :
    new Promise((resolve) => resolve(score(args[0], args[1])));
  const ms = () => performance.now() - started;
  work.then((result) => parentPort.postMessage({ id, result, ms: ms() }), (error) => parentPort.postMessage({ id, error: String(error), ms: ms() }));
});
`;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

// One thread fewer than the machine has cores, at least one: the main thread keeps a core.
const POOL_SIZE = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
let poolSize = POOL_SIZE;
// Long enough that a sign-in, its second step and a burst of them share one worker; short enough
// that a quiet server does not hold the dictionaries and a thread's heap for nothing.
let idleRetireMs = 10_000;
type Operation = "hash" | "compare" | "score";
/** `jobs`: id → operation of each job sent to it; `scorer`: it holds (or is loading) the dictionaries. */
type PoolEntry = { worker: Worker; busy: number; jobs: Map<number, Operation>; scorer: boolean; idle?: NodeJS.Timeout };
const pool: PoolEntry[] = [];
const pending = new Map<number, Pending>();
const workMs = new Map<number, number>();
let nextId = 0;

/**
 * The thread for a job of `op`: scores go to the thread that already holds the dictionaries (one
 * copy, however many threads); anything else to an idle thread, a new one while the pool is not
 * full, or the least busy.
 */
function worker(op: Operation): PoolEntry {
  if (op === "score") {
    const scorer = pool.find((entry) => entry.scorer);
    if (scorer) return scorer;
  }
  const chosen = pool.find((entry) => entry.busy === 0) ?? (pool.length < poolSize ? startWorker() : pool.reduce((a, b) => (b.busy < a.busy ? b : a)));
  if (op === "score") chosen.scorer = true;
  return chosen;
}

function startWorker(): PoolEntry {
  const entry: PoolEntry = { worker: new Worker(WORKER_SOURCE, { eval: true }), busy: 0, jobs: new Map(), scorer: false };
  entry.worker.on("message", ({ id, result, error, ms }: { id: number; result?: unknown; error?: string; ms?: number }) => {
    if (ms !== undefined) workMs.set(id, ms);
    // An idle worker must not keep the process alive (scripts and tests end on their own).
    if (--entry.busy === 0) {
      entry.worker.unref();
      retireWhenIdle(entry);
    }
    const job = pending.get(id);
    const op = entry.jobs.get(id);
    pending.delete(id);
    entry.jobs.delete(id);
    if (error !== undefined) job?.reject(new Error(`password ${op}: ${error}`));
    else job?.resolve(result);
  });
  // A worker that dies takes its jobs with it: fail them now, or they would wait forever and
  // fill the bounded queue until every sign-in is refused as busy.
  const retire = (reason: unknown) => {
    if (pool.includes(entry)) pool.splice(pool.indexOf(entry), 1);
    for (const [id, op] of entry.jobs) {
      pending.get(id)?.reject(new Error(`password ${op}: its thread stopped: ${String(reason)}`));
      pending.delete(id);
    }
    entry.jobs.clear();
  };
  entry.worker.on("error", (error) => {
    log().error({ err: error }, "password worker failed");
    retire(error);
  });
  entry.worker.on("exit", (code) => retire(`exit code ${code}`));
  pool.push(entry);
  return entry;
}

/** Ends `entry` if it stays idle: out of the pool first, so no job can reach a thread that is exiting. */
function retireWhenIdle(entry: PoolEntry) {
  clearTimeout(entry.idle);
  entry.idle = setTimeout(() => {
    if (entry.busy > 0 || !pool.includes(entry)) return;
    pool.splice(pool.indexOf(entry), 1);
    void entry.worker.terminate();
  }, idleRetireMs);
  entry.idle.unref();
}

// How long a refused caller is told to wait: about what the queue in front of it takes to clear.
const BUSY_RETRY_SECONDS = 2;

function runOnWorker(op: Operation, args: [string, string | number | string[]], maxQueue = Infinity): Promise<unknown> {
  if (pending.size >= maxQueue) return Promise.reject(new BusyError(BUSY_RETRY_SECONDS));
  const entry = worker(op);
  const id = nextId++;
  clearTimeout(entry.idle);
  if (entry.busy++ === 0) entry.worker.ref();
  const queued = performance.now();
  const work = new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    entry.jobs.set(id, op);
    entry.worker.postMessage({ id, op, args });
  });
  metrics().passwordQueue.set(pending.size);
  return work.finally(() => {
    // The worker says how long the hashing itself took; the rest was waiting for a thread.
    const total = performance.now() - queued;
    const hashing = workMs.get(id) ?? total;
    workMs.delete(id);
    metrics().passwordWork.observe({ op }, hashing / 1000);
    metrics().passwordWait.observe(Math.max(0, total - hashing) / 1000);
    metrics().passwordQueue.set(pending.size);
  });
}

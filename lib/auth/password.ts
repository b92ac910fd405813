// Password hashing. Node only.
//
// bcryptjs is pure JavaScript: at cost 12 one hash holds its thread for about a quarter of a
// second. On the main thread, twenty people signing in at once would stall every other request for
// seconds (measured: p99 of page requests 1,850 ms during such a burst). So hashing runs on worker
// threads, and the main thread only waits for the answer.
import os from "node:os";
import { Worker } from "node:worker_threads";

// bcrypt reads at most 72 bytes; longer passwords are refused at validation rather than silently
// truncated (two passwords sharing their first 72 bytes would otherwise be the same password).
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

export function hashPassword(password: string, cost: number): Promise<string> {
  return runOnWorker("hash", [password, cost]) as Promise<string>;
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return runOnWorker("compare", [password, hash]) as Promise<boolean>;
}

// Compared against when the email is unknown, so that an unknown email costs the same time as a
// wrong password. Built lazily at the configured cost; its password is random and never stored.
const dummyHashes = new Map<number, Promise<string>>();

export function dummyPasswordHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

// The worker is plain CommonJS evaluated from a string, so no bundler has to know about it; it
// loads bcryptjs from node_modules itself.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");
parentPort.on("message", ({ id, op, args }) => {
  const work = op === "hash" ? bcrypt.hash(args[0], args[1]) : bcrypt.compare(args[0], args[1]);
  work.then((result) => parentPort.postMessage({ id, result }), (error) => parentPort.postMessage({ id, error: String(error) }));
});
`;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

// One thread fewer than the machine has cores, at least one: the main thread keeps a core.
const POOL_SIZE = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
const pool: { worker: Worker; busy: number }[] = [];
const pending = new Map<number, Pending>();
let nextId = 0;

function worker() {
  if (pool.length < POOL_SIZE) {
    const entry = { worker: new Worker(WORKER_SOURCE, { eval: true }), busy: 0 };
    entry.worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      // An idle worker must not keep the process alive (scripts and tests end on their own).
      if (--entry.busy === 0) entry.worker.unref();
      const job = pending.get(id);
      pending.delete(id);
      if (error !== undefined) job?.reject(new Error(`bcrypt: ${error}`));
      else job?.resolve(result);
    });
    entry.worker.on("error", (error) => {
      pool.splice(pool.indexOf(entry), 1);
      console.error("[keycard] password worker failed:", error);
    });
    pool.push(entry);
    return entry;
  }
  return pool.reduce((a, b) => (b.busy < a.busy ? b : a));
}

function runOnWorker(op: "hash" | "compare", args: [string, string | number]): Promise<unknown> {
  const entry = worker();
  const id = nextId++;
  if (entry.busy++ === 0) entry.worker.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    entry.worker.postMessage({ id, op, args });
  });
}

// Telling an outage from a bug. Node only.
//
// A store fault — the database unreachable, the connection cut, a timeout, the pool exhausted,
// the file locked or read-only — is answered 503 with the person's cookies kept: nothing was
// changed and trying again will work. Anything else is a bug: logged with its stack and answered
// 500 `internal_error`, so it is noticed instead of passing for an outage.
import "server-only";
import { Prisma } from "@/lib/generated/sqlite/client";

// Prisma's codes for a database it cannot reach or keep talking to (P1xxx), a pool that ran dry
// (P2024), a conflict still there after retrying (P2034), too many connections (P2037).
const FAULT_CODES = /^(P10\d\d|P2024|P2034|P2037)$/;
// P2028 is a transaction API error: a fault when the transaction could not start or ran out of
// time (the database was busy or unreachable), a bug otherwise (a transaction used after it ended).
const TRANSACTION_TIMEOUT = /Unable to start a transaction in the given time|Transaction already closed.*(timeout|expired)|expired transaction/i;
// Node's network errors, on their own or inside a driver's.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
// intervention (shutdown, terminated backend, cannot connect now); 55000 covers a database that
// is not accepting connections.
const POSTGRES_FAULT = /^(08|53|57)|^55000$/;
// SQLite primary result codes: BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
const SQLITE_FAULTS = new Set([5, 6, 8, 10, 13, 14]);
const FAULT_WORDS = /database is locked|SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN)|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection|not currently accepting connections|terminating connection/i;

export function isPrismaError(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

/** True when `error` (or anything in its cause chain) says the store could not be used. */
export function isStoreFault(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Prisma.PrismaClientInitializationError) return true;
    const e = current as {
      code?: unknown;
      kind?: unknown;
      extendedCode?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: unknown };
      cause?: unknown;
    };
    if (typeof e.code === "string" && (FAULT_CODES.test(e.code) || NETWORK_CODES.has(e.code))) return true;
    if (e.code === "P2028" && typeof e.message === "string" && TRANSACTION_TIMEOUT.test(e.message)) return true;
    if (e.kind === "postgres" && typeof e.code === "string" && POSTGRES_FAULT.test(e.code)) return true;
    if (e.kind === "sqlite" && typeof e.extendedCode === "number" && SQLITE_FAULTS.has(e.extendedCode & 0xff)) return true;
    if (typeof e.message === "string" && FAULT_WORDS.test(e.message)) return true;
    current = e.meta?.driverAdapterError ?? e.cause;
  }
  return false;
}

/** Thrown when the password-hashing queue is full: a 503 `busy`, not a fault and not a bug. */
export class BusyError extends Error {
  readonly code = "busy";
  constructor(readonly retryAfterSeconds: number) {
    super("too many password checks are waiting");
  }
}

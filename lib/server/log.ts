// Structured logs: one JSON line per route-handler request and per notable event (pino).
// Node only. JSON in production, readable lines in development, LOG_LEVEL to choose how much.
//
// Redaction cannot be forgotten: whatever object a call passes, these paths are censored before a
// line is written — cookies, authorization, passwords, tokens, codes and links that carry them.
// Nothing here logs request bodies or cookies in the first place; this is the second wall.
import "server-only";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { getLogSettings } from "@/lib/env";

export const REDACTED_PATHS = [
  "cookie",
  "authorization",
  "headers.cookie",
  "headers.authorization",
  "headers[\"set-cookie\"]",
  "*.cookie",
  "*.authorization",
  "password",
  "currentPassword",
  "newPassword",
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "token",
  "refreshToken",
  "accessToken",
  "*.token",
  "*.refreshToken",
  "*.accessToken",
  "code",
  "*.code",
  "link",
  "*.link",
];

/** A logger writing to `destination` (tests pass their own), at `level`. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

const holder = globalThis as unknown as { keycardLog?: Logger };

/** Puts `logger` in place of the process's logger (tests read what is logged); returns the undo. */
export function replaceLogger(logger: Logger): () => void {
  const previous = holder.keycardLog;
  holder.keycardLog = logger;
  return () => {
    holder.keycardLog = previous;
  };
}

/** The process's logger. */
export function log(): Logger {
  if (!holder.keycardLog) {
    const settings = getLogSettings();
    holder.keycardLog = createLogger(settings.level, settings.pretty ? pretty({ sync: true, colorize: true }) : undefined);
  }
  return holder.keycardLog;
}

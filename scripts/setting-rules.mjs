// Rules about settings that both the app and its start scripts apply. Pure: used by lib/env.ts
// (which also runs on the edge) and by scripts/secrets.mjs at start.

// Values that look like an example or a placeholder rather than a secret someone generated.

const WORDS = /example|do-not-use|change-?me|placeholder|replace-?me|your[-_]?secret|^secret$|…|\.\.\./i;

/** True for `.env.example`'s values and anything shaped like them (or with almost no variety). */
export function looksLikePlaceholder(value) {
  if (typeof value !== "string") return false;
  if (WORDS.test(value)) return true;
  return new Set(value).size < 8;
}

// Where the local mailbox may run.
// The local mailbox keeps mail on the machine and shows every code and link at /dev/mailbox: a
// developer's machine only. `next start` always runs with NODE_ENV=production, so the server
// cannot tell a developer's `npm start` from a deployment by that alone: `npm start` and `npm run
// dev` set DEVELOPMENT_START when NODE_ENV was not production where they were run. Never set it
// by hand.
export const DEVELOPMENT_START = "KEYCARD_DEVELOPMENT_START";

/**
 * The local mailbox asked for where it must not be: production (not started as a developer's
 * machine), or links that point anywhere but this machine — a server people reach by name, even
 * one started without NODE_ENV=production behind a proxy, would show every code to them.
 */
export function localMailboxRefused(env) {
  if (env.MAIL_LOCAL_MAILBOX !== "true") return false;
  if (env.NODE_ENV === "production" && env[DEVELOPMENT_START] !== "true") return true;
  return !!env.APP_ORIGIN && !isThisMachine(env.APP_ORIGIN);
}

function isThisMachine(origin) {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

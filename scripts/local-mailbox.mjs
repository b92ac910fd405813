// Where the local mailbox may run. Pure: used by lib/env.ts (which also runs on the edge) and by
// scripts/secrets.mjs at start.
//
// The local mailbox keeps mail on the machine and shows every code and link at /dev/mailbox: a
// developer's machine only. `next start` always runs with NODE_ENV=production, so the server
// cannot tell a developer's `npm start` from a deployment by that alone: `npm start` and `npm run
// dev` set DEVELOPMENT_START when NODE_ENV was not production where they were run. Never set it
// by hand.
export const DEVELOPMENT_START = "KEYCARD_DEVELOPMENT_START";

/** The local mailbox asked for where it must not be: production, not started as a developer's machine. */
export function localMailboxRefused(env) {
  return env.MAIL_LOCAL_MAILBOX === "true" && env.NODE_ENV === "production" && env[DEVELOPMENT_START] !== "true";
}

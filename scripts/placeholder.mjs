// Values that look like an example or a placeholder rather than a secret someone generated.
// Pure: used by lib/env.ts (which also runs on the edge) and by scripts/secrets.mjs at start.

const WORDS = /example|do-not-use|change-?me|placeholder|replace-?me|your[-_]?secret|^secret$|…|\.\.\./i;

/** True for `.env.example`'s values and anything shaped like them (or with almost no variety). */
export function looksLikePlaceholder(value) {
  if (typeof value !== "string") return false;
  if (WORDS.test(value)) return true;
  return new Set(value).size < 8;
}

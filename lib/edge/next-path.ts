// Where to go after signing in. Edge-safe.

export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

const PROBE_ORIGIN = "http://keycard.invalid";

/**
 * `value` when it is a path on this site; otherwise the dashboard. Refuses absolute URLs,
 * protocol-relative ones (`//evil.example`), backslash tricks (`/\evil.example`, which browsers
 * read as `//`), control characters, and the sign-in pages themselves (no loops).
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(value)) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_AFTER_SIGN_IN;
  if (/^\/(login|register)(\/|$)/.test(url.pathname) || url.pathname.startsWith("/api/")) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  return url.pathname + url.search + url.hash;
}

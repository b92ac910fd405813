// Where to go after signing in. Edge-safe.

export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

const PROBE_ORIGIN = "http://keycard.invalid";

/**
 * `value` when it is a path on this site; otherwise the dashboard.
 *
 * The check is on what is *returned*, not on what came in: URL normalisation turns `/.//evil`,
 * `/%2e//evil` and `/a/..//evil` into `//evil.example`, which a browser, `redirect()` and a 303
 * all follow off-site. So the value is normalised first and the result must be a plain path:
 * one leading slash, no backslash, no control character, nothing a browser reads as another host.
 * The sign-in pages and API routes are refused too (no loops).
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2048 || !value.startsWith("/")) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_AFTER_SIGN_IN;
  const result = url.pathname + url.search + url.hash;
  return isPlainPath(result) && !isSignInOrApi(url.pathname) ? result : DEFAULT_AFTER_SIGN_IN;
}

function isPlainPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//")) return false;
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return false;
  // Encoded slashes, backslashes and control characters in the path could be decoded again
  // downstream into `//` or a stripped tab: nobody needs them in a page address.
  if (/%(2f|5c|[01][0-9a-f]|7f)/i.test(path.split(/[?#]/, 1)[0])) return false;
  // The same string resolved by a browser against any origin must stay on that origin.
  return new URL(path, "https://a.invalid").origin === "https://a.invalid";
}

function isSignInOrApi(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname).toLowerCase();
  } catch {
    return true;
  }
  return /^\/(login|register)(\/|$)/.test(decoded) || decoded === "/api" || decoded.startsWith("/api/");
}

/**
 * The second step's page with where to go after it, when `value` names that page (a password
 * reset waiting for its second factor says so); otherwise null. Judged on what it returns, like
 * safeNextPath: the page itself, and a `next` that safeNextPath accepts.
 */
export function secondStepPath(value: string | null | undefined): string | null {
  if (!value || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN || url.pathname !== "/login/verify") return null;
  return `/login/verify?next=${encodeURIComponent(safeNextPath(url.searchParams.get("next")))}`;
}

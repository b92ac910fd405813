// The Content-Security-Policy for pages. Edge-safe.
//
// Scripts run only with this response's nonce ('strict-dynamic' lets those load Next's chunks);
// styles only from our own stylesheet; nothing may frame us, change the base URL or post a form
// elsewhere. `next dev` needs eval and inline styles for its overlay and hot reload.

export function nonce(): string {
  return btoa(crypto.randomUUID());
}

/**
 * `formTargets`: origins a form may lead to besides ours — the configured providers' (a sign-in
 * button's form post is answered with a redirect there, which form-action governs too).
 */
export function contentSecurityPolicy(nonce: string, development: boolean, formTargets: string[] = []): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Requests that render HTML: not the API, not Next's data files, not the well-known documents. */
export function servesPage(request: Request): boolean {
  const { pathname } = new URL(request.url);
  // A mail's HTML in the local mailbox is not one of our pages: its route sets a stricter policy
  // of its own (no script at all) that allows the inline styles mail carries.
  const notOurPage = ["/api/", "/.well-known/", "/dev/mailbox/"].some((prefix) => pathname.startsWith(prefix));
  return !notOurPage && request.method === "GET";
}

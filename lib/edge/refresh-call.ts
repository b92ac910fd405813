// The middleware's side of silent refresh: one call to the refresh route handler. Edge-safe.
//
// The call goes to the configured internal origin, never to the request's Host: a forged Host
// header would otherwise receive the person's refresh cookie.
import { INTERNAL_HOP_HEADER } from "./request-headers";

export type EdgeRefreshOutcome =
  /** New cookies: `setCookie` for the browser, `values` for the request's own render. */
  | { kind: "refreshed"; setCookie: string[]; values: Map<string, string> }
  /** The session is over (401): `setCookie` clears the cookies. */
  | { kind: "signed-out"; setCookie: string[]; code: string }
  /** The store or the network failed: keep every cookie and ask the person to try again. */
  | { kind: "unavailable" };

const TIMEOUT_MS = 5000;

export async function callRefreshRoute(
  refresh: { name: string; value: string },
  context: { internalOrigin: string; userAgent: string | null; forwardedFor: string | null; hop?: string },
  fetchImpl: typeof fetch = fetch,
): Promise<EdgeRefreshOutcome> {
  const headers = new Headers({ cookie: `${refresh.name}=${refresh.value}` });
  if (context.userAgent) headers.set("user-agent", context.userAgent);
  if (context.forwardedFor) headers.set("x-forwarded-for", context.forwardedFor);
  // scripts/server.mjs believes the client's address this call passes on only with this.
  if (context.hop) headers.set(INTERNAL_HOP_HEADER, context.hop);

  let response: Response;
  try {
    response = await fetchImpl(`${context.internalOrigin}/api/auth/refresh`, {
      method: "POST",
      headers,
      cache: "no-store",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as { code?: string })?.code ?? error.message) : String(error);
    console.error(`[keycard] refresh call to ${context.internalOrigin} failed: ${reason}`);
    return { kind: "unavailable" };
  }

  const setCookie = response.headers.getSetCookie();
  if (response.status === 200) {
    // Read to the end, though nothing in it is needed: until its body is read (or collected), a
    // response can keep its connection from going back to undici's pool, and a refresh that
    // follows opens another.
    await response.arrayBuffer().catch(() => null);
    return { kind: "refreshed", setCookie, values: cookieValues(setCookie) };
  }
  if (response.status === 401) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    return { kind: "signed-out", setCookie, code: body?.error?.code ?? "invalid" };
  }
  await response.body?.cancel().catch(() => undefined); // not needed either; the connection goes back
  return { kind: "unavailable" };
}

/** name → value of each Set-Cookie line (the part before the first `;`). */
function cookieValues(setCookie: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of setCookie) {
    const pair = line.split(";", 1)[0];
    const eq = pair.indexOf("=");
    if (eq > 0) values.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return values;
}

/** A Cookie request header with `replacements` taking the place of same-named cookies. */
export function replaceCookies(cookieHeader: string | null, replacements: Map<string, string>): string {
  const kept = (cookieHeader ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part && !replacements.has(part.split("=", 1)[0].trim()));
  for (const [name, value] of replacements) kept.push(`${name}=${value}`);
  return kept.join("; ");
}

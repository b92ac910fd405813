// A browser's part in a sign-in at the local OpenID provider (scripts/oidc-provider.mjs), done with
// fetch and a cookie jar: follow the authorization request to its sign-in page, sign in with a
// login, follow the redirects back. Returns the callback address the provider sent the browser to.
export async function signInAtProvider(authorization: URL, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let url = authorization;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { headers: { cookie: cookie() }, redirect: "manual" });
    keep(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== authorization.origin) return next; // back to the relying party
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no sign-in form at ${url}:\n${html.slice(0, 500)}`);
    const posted = await fetch(new URL(action.replace(/&amp;/g, "&"), url), {
      method: "POST",
      headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "anything" }),
      redirect: "manual",
    });
    keep(posted);
    const next = new URL(posted.headers.get("location")!, url);
    if (next.origin !== authorization.origin) return next;
    url = next;
  }
  throw new Error("too many redirects at the provider");
}

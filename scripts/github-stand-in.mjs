// GitHub's four documented OAuth-app endpoints, as a GitHub Enterprise Server answers them, for
// the tests (GitHub is not an OpenID provider, and the tests cannot reach github.com):
//   GET  /login/oauth/authorize     a sign-in page (any login), then back with ?code&state
//   POST /login/oauth/access_token  the code (and its PKCE verifier, S256) for a bearer token
//   GET  /api/v3/user               who the token is for: { id, login }
//   GET  /api/v3/user/emails        their addresses: the login, primary — verified unless the login
//                                   starts with "unverified:"; and an unverified secondary one
// Point AUTH_PROVIDER_GITHUB_URL at it. Never used outside the tests.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";

export async function startGitHubStandIn({ port, clientId, clientSecret }) {
  const codes = new Map(); // code → { login, redirectUri, challenge }
  const tokens = new Map(); // token → login
  const idOf = (login) => Number.parseInt(createHash("sha256").update(login).digest("hex").slice(0, 8), 16);
  const same = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, `http://localhost:${port}`);
    const body = req.method === "POST" ? await new Promise((resolve) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => resolve(new URLSearchParams(text)));
    }) : new URLSearchParams();
    const send = (status, value, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(type === "application/json" ? JSON.stringify(value) : value);
    };
    if (url.pathname === "/login/oauth/authorize" && req.method === "GET") {
      if (url.searchParams.get("client_id") !== clientId) return send(400, "unknown client", "text/plain");
      const query = url.searchParams.toString().replace(/"/g, "&quot;");
      return send(200, `<!doctype html><title>Sign in to GitHub</title><h1>Sign in to GitHub (stand-in)</h1>
<form method="post" action="/login/oauth/authorize?${query}"><label>Login <input name="login" required></label>
<label>Password <input type="password" name="password" required></label><button type="submit">Sign in</button>
<button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></form>`, "text/html");
    }
    if (url.pathname === "/login/oauth/authorize" && req.method === "POST") {
      const back = new URL(url.searchParams.get("redirect_uri"));
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      if (body.get("cancel")) {
        back.searchParams.set("error", "access_denied");
      } else {
        const code = randomBytes(20).toString("hex");
        codes.set(code, { login: body.get("login"), redirectUri: url.searchParams.get("redirect_uri"), challenge: url.searchParams.get("code_challenge") });
        back.searchParams.set("code", code);
      }
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      const basic = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
      const [id, secret] = basic.split(":").map(decodeURIComponent);
      if (id !== clientId || !same(secret ?? "", clientSecret)) return send(401, { error: "incorrect_client_credentials" });
      const grant = codes.get(body.get("code") ?? "");
      codes.delete(body.get("code") ?? "");
      const verifier = body.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!grant || grant.redirectUri !== body.get("redirect_uri") || grant.challenge !== challenge) return send(200, { error: "bad_verification_code" });
      const token = randomBytes(20).toString("hex");
      tokens.set(token, grant.login);
      return send(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    const login = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (url.pathname.startsWith("/api/v3/") && !login) return send(401, { message: "Bad credentials" });
    const unverified = login?.startsWith("unverified:");
    const email = unverified ? login.slice("unverified:".length) : login;
    if (url.pathname === "/api/v3/user") return send(200, { id: idOf(login), login: email.split("@")[0] });
    if (url.pathname === "/api/v3/user/emails") {
      return send(200, [
        { email: `secondary-${email}`, primary: false, verified: false, visibility: null },
        { email, primary: true, verified: !unverified, visibility: "private" },
      ]);
    }
    send(404, { message: "Not Found" });
  });
  await new Promise((resolve) => server.listen(port, resolve));
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// A deploy stops an instance with SIGTERM while people are using it: nobody whose request was
// already being served may see it fail. Runs on SQLite and on PostgreSQL.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_DATABASE } from "./database";
import { PASSWORD, uniqueEmail, createAccount } from "./helpers";
import { startInstance } from "./instance";

type Outcome = { what: string; startedAt: number; status: number | null; error?: string };

test(`SIGTERM under a steady load of sign-ins, refreshes and page views (${E2E_DATABASE}): every request in flight finishes, and readiness stops saying ready`, async ({ playwright }) => {
  test.setTimeout(120_000);
  const instance = await startInstance("draining");
  const outcomes: Outcome[] = [];
  let stopping = false;
  let killedAt = Number.POSITIVE_INFINITY;

  // The people first, one after another: what is measured is the stop, not the sign-ups. On
  // SQLite every instance of the suite writes to one file, and a sign-up whose transaction meets
  // another process's write answers 503 "try again" (a fault, not a bug): a person would try again.
  const clients: { request: APIRequestContext; email: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const request = await playwright.request.newContext({ baseURL: instance.url });
    const email = uniqueEmail("drain");
    expect((await createAccount(request, email, { triesOn503: 3 })).status()).toBe(201);
    clients.push({ request, email });
  }
  // Each client signs in, refreshes and loads a page, over and over, until the instance is gone.
  const steps = (email: string) =>
    [
      ["sign-in", (r: typeof clients[number]["request"]) => r.post("/api/auth/login", { data: { email, password: PASSWORD } })],
      ["refresh", (r: typeof clients[number]["request"]) => r.post("/api/auth/refresh")],
      ["page", (r: typeof clients[number]["request"]) => r.get("/dashboard", { maxRedirects: 0 })],
    ] as const;
  const load = clients.map(async ({ request, email }) => {
    for (;;) {
      for (const [what, send] of steps(email)) {
        if (stopping && Date.now() - killedAt > 2000) return;
        const startedAt = Date.now();
        try {
          const response = await send(request);
          outcomes.push({ what, startedAt, status: response.status() });
        } catch (error) {
          outcomes.push({ what, startedAt, status: null, error: String(error).split("\n")[0] });
          if (stopping) return;
        }
      }
    }
  });

  await expect.poll(() => outcomes.length, { timeout: 30_000 }).toBeGreaterThan(60);
  // A load balancer still holding a connection asks for readiness just after the signal.
  const probe = await playwright.request.newContext({ baseURL: instance.url });
  expect((await probe.get("/api/health/ready")).status()).toBe(200);
  killedAt = Date.now();
  const exited = instance.kill("SIGTERM");
  stopping = true;
  // The signal takes a moment to arrive: from then on readiness is 503 (draining), then the
  // instance takes no connections at all. It never says "ready" again.
  const readiness = () => probe.get("/api/health/ready").then((r) => r.status(), () => "refused" as const);
  await expect.poll(readiness, { timeout: 5_000, intervals: [20] }).not.toBe(200);
  const afterSignal = await readiness();
  // A stop it was asked for, done cleanly: exit code 0 (database pool closed on the way out).
  expect(await exited).toBe(0);
  await Promise.all(load);
  await probe.dispose();

  // Requests sent before the signal (with a margin for ones still on the wire) were accepted, and
  // every one of them must have been answered, and answered well.
  const accepted = outcomes.filter((o) => o.startedAt < killedAt - 100);
  expect(accepted.length).toBeGreaterThan(60);
  const failed = accepted.filter((o) => o.status === null || o.status >= 500);
  expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
  for (const o of accepted) expect([200, 307], `${o.what} answered ${o.status}`).toContain(o.status);
  // After the signal the instance either said it is draining or no longer took connections.
  expect([503, "refused"]).toContain(afterSignal);
  for (const { request } of clients) await request.dispose();
});


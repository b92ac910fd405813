// The metrics as Prometheus's own tools see them (Debian's prometheus package; npm test installs
// it when missing, scripts/prometheus.cjs): promtool accepts the text, and a real Prometheus
// scraping a test server with the bearer token reads back a refresh it just saw happen.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/free-port.mjs";
import { findPrometheus, HOW_TO_GET_IT } from "../scripts/prometheus.cjs";
import { expect, test } from "./fixtures";
import { PASSWORD, uniqueEmail, createAccount } from "./helpers";
import { E2E } from "./settings";

const tools = () => {
  const found = findPrometheus();
  if (!found) throw new Error(HOW_TO_GET_IT);
  return found;
};
const scrape = async (playwright: import("@playwright/test").PlaywrightWorkerArgs["playwright"]) => {
  const scraper = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${E2E.env.METRICS_TOKEN}` } });
  const text = await (await scraper.get("/metrics")).text();
  await scraper.dispose();
  return text;
};

test("promtool check metrics accepts what /metrics serves", async ({ playwright }) => {
  const text = await scrape(playwright);
  expect(text).toContain("keycard_refreshes_total");
  const checked = spawnSync(tools().promtool, ["check", "metrics"], { input: text, encoding: "utf8" });
  expect(`${checked.stdout}${checked.stderr}`.trim()).toBe("");
  expect(checked.status).toBe(0);
});

test("a real Prometheus scrapes a test server with the token and reads back a refresh counter", async ({ playwright }) => {
  test.setTimeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keycard-prometheus-"));
  const port = await freePort();
  const target = new URL(E2E.baseURL);
  fs.writeFileSync(
    path.join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      "  - job_name: keycard",
      "    metrics_path: /metrics",
      "    authorization: { type: Bearer, credentials: " + JSON.stringify(E2E.env.METRICS_TOKEN) + " }",
      `    static_configs: [{ targets: ["127.0.0.1:${target.port}"] }]`,
    ].join("\n"),
  );
  const server = spawn(tools().prometheus, [
    `--config.file=${path.join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${path.join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: "ignore" });
  try {
    const person = await playwright.request.newContext({ baseURL: E2E.baseURL });
    expect((await createAccount(person, uniqueEmail("scraped"))).status()).toBe(201);
    expect((await person.post("/api/auth/refresh")).status()).toBe(200);
    await person.dispose();

    const query = encodeURIComponent('sum(keycard_refreshes_total{job="keycard",outcome="rotated"})');
    const rotated = async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${query}`);
        const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
        return Number(body.data?.result?.[0]?.value[1] ?? 0);
      } catch {
        return 0; // not up yet
      }
    };
    await expect.poll(rotated, { timeout: 30_000, intervals: [500] }).toBeGreaterThanOrEqual(1);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
    expect(targets.data.activeTargets.map((t) => t.health)).toEqual(["up"]);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});


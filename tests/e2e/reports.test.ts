// Issue 7 reports in headless Chromium on a demo shop seeded from the real order log (its own database,
// built-app server and queue prefix; the report workers run in this process): the hub links every report,
// the pages show the shop's data, and the trust report runs as a background job whose progress bar the
// page polls up to 100%, then shows the engine's figures beside what happened.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, randomSuffix } from "#tests/setup/infra.ts";
import { startAppServer, type AppServer } from "#tests/support/app-server.ts";
import { createOwnDatabase } from "#tests/support/own-database.ts";
import { openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";
import { startSmtpSink } from "#tests/support/smtp-sink.ts";

const DOMAIN = "reports-e2e.myshopify.com";
const PREFIX = `e2e-reports-${randomSuffix()}`;
const APP_SECRET = "e2e-reports-secret-0123456789abcdef0123456789";
const teardowns: (() => Promise<unknown>)[] = [];
const savedEnv = { ...process.env };
let server: AppServer;
let baseUrl: string;
const { page, problems } = await openTestBrowserForFile();

beforeAll(async () => {
  const database = await createOwnDatabase("reports");
  teardowns.push(() => database.release());
  const databaseUrl = database.url;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // The in-process workers mail what the seeded shop queues (digest, PO emails): give them a mailbox, not
  // the default port where nobody listens.
  const sink = await startSmtpSink();
  teardowns.push(() => sink.close());
  Object.assign(process.env, {
    SMTP_URL: sink.url,
    NODE_ENV: "test", DATABASE_URL: databaseUrl, REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: PREFIX, APP_SECRET,
    SHOPIFY_API_KEY: "e2e-api-key", SHOPIFY_API_SECRET: "e2e-api-secret", SHOPIFY_APP_URL: baseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  delete process.env.DEMO_MODE;
  const [dbModule, env, queue, workers, seedModule] = await Promise.all([
    import("#app/db.server.ts"), import("#app/env.server.ts"), import("#app/lib/queue.server.ts"), import("#workers/index.ts"), import("../../prisma/seed/demo-shop.ts"),
  ]);
  env.resetEnvForTests();
  await dbModule.disconnectPrisma();
  teardowns.push(() => dbModule.disconnectPrisma());
  teardowns.push(() => queue.closeQueues());
  await seedModule.seedDemoShop(dbModule.prisma, { domain: DOMAIN, skuLimit: 30, ...(inject("databaseMode") === "postgres" ? { databaseUrl } : {}) });
  const running = await workers.startWorkers({ syncSchedulers: false });
  teardowns.push(() => running.close());
  server = await startAppServer({
    port,
    buildDir: inject("e2eBuildDir"),
    env: { DATABASE_URL: databaseUrl, REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: PREFIX, APP_SECRET, DEMO_SHOP_DOMAIN: DOMAIN, SHOPIFY_API_KEY: "e2e-api-key", SHOPIFY_API_SECRET: "e2e-api-secret", SMTP_URL: sink.url },
  });
  teardowns.push(() => server.stop());
}, 240_000);

afterAll(async () => {
  for (const step of teardowns.reverse()) await step().catch((error: unknown) => process.stderr.write(`reports teardown: ${String(error)}\n`));
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

const heading = () => page.locator("h1.Polaris-Header-Title");

describe("reports", () => {
  it("the hub links each report, and the reports show the demo shop's data", async () => {
    const response = await page.goto(`${baseUrl}/app/reports`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect(heading().textContent()).resolves.toBe("Reports");
    for (const [link, title] of [["Overstock & dead stock", "Overstock & dead stock"], ["ABC & velocity", "ABC & velocity"], ["Supplier scorecards", "Supplier scorecards"], ["Audit sample", "Audit sample"], ["Weekly digest", "Digest preview"]] as const) {
      await page.goto(`${baseUrl}/app/reports`, { waitUntil: "networkidle" });
      await page.getByRole("link", { name: link, exact: true }).click();
      await expect.poll(() => heading().textContent()).toBe(title);
    }
    // ABC: the seeded catalogue, classed; scorecards: the seeded suppliers' received POs.
    await page.goto(`${baseUrl}/app/reports/abc`, { waitUntil: "networkidle" });
    await expect(page.locator(".Polaris-DataTable__TableRow").count()).resolves.toBe(30);
    await page.goto(`${baseUrl}/app/reports/suppliers`, { waitUntil: "networkidle" });
    await expect(page.getByText("Bramble Home Ceramics").first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "reports-suppliers.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("runs the trust report in the background and fills its progress bar to 100%", async () => {
    await page.goto(`${baseUrl}/app/reports`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "Trust report", exact: true }).click();
    await expect.poll(() => heading().textContent()).toBe("Trust report");
    await page.getByRole("button", { name: "Run trust report" }).click();
    const bar = page.getByRole("progressbar", { name: "Trust report progress" });
    const seen: number[] = [];
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const value = (await bar.count()) > 0 ? Number(await bar.getAttribute("aria-valuenow")) : NaN;
      if (Number.isFinite(value) && seen.at(-1) !== value) seen.push(value);
      if (value === 100) break;
      await page.waitForTimeout(100);
    }
    expect(seen.at(-1)).toBe(100);
    expect(seen[0]).toBeLessThan(100); // it started below 100 and was watched going up
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await expect.poll(() => page.getByText("Engine (simulated)").isVisible(), { timeout: 15_000 }).toBe(true);
    await expect(page.getByText("In-stock rate (all SKUs)").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("trust-progress-label").textContent()).resolves.toBe("Done — 100%");
    await page.screenshot({ path: join(testResultsDir, "reports-trust.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 200_000);
});

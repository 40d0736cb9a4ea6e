// Issue 2 acceptance, the newcomer's path: `npm run demo`'s own entry point on embedded defaults
// (PGlite in a fresh data folder, migrations, the demo shop seeded from the real order log, server,
// workers) comes up, prints its URLs, and its admin home renders in headless Chromium.
// Saves test-results/demo-admin-home.png.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, randomSuffix, repoRoot } from "#tests/setup/infra.ts";
import { expectOnlyRefusals, openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";

const SKU_LIMIT = 25; // keeps the seed quick; the real demo uses 300

let demo: ChildProcess;
let output = "";
let adminUrl: string;
let dataDir: string;
const { page, problems } = await openTestBrowserForFile();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "replenish-demo-"));
  const port = await freePort();
  // BUILD_DIR: the build the e2e setup just made, so the demo does not rebuild build/.
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: `demo-${randomSuffix()}`, BUILD_DIR: inject("e2eBuildDir") };
  delete env.DATABASE_URL; // embedded defaults, as on a fresh machine
  demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--port", String(port), "--sku-limit", String(SKU_LIMIT), "--data-dir", dataDir], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout!.on("data", (chunk) => (output += chunk));
  demo.stderr!.on("data", (chunk) => (output += chunk));
  adminUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start within 170 s:\n${output}`)), 170_000);
    const check = () => {
      const match = output.match(/Merchant admin\s+(http:\/\/127\.0\.0\.1:\d+\/app)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    demo.stdout!.on("data", check);
    demo.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  });
}, 200_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once("exit", resolve));
    demo.kill("SIGTERM");
    await exited;
  }
  // Only ever the folder mkdtemp made: a recursive delete must never reach the checkout.
  if (dataDir && dataDir.startsWith(join(tmpdir(), "replenish-demo-"))) await rm(dataDir, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("prints each step and the URLs to open", () => {
    expect(output).toContain("Embedded Postgres (PGlite)");
    expect(output).toContain("Migrations applied");
    expect(output).toMatch(/Demo shop ready \(seeded in/);
    expect(output).toMatch(/Reorder run completed: [1-9]\d* suggestions/);
    expect(output).toContain("Queued the forecast accuracy and trust report"); // shown without a click
    expect(output).toMatch(/Merchant admin\s+http:\/\/127\.0\.0\.1:\d+\/app/);
  });

  it("serves the admin home of the seeded demo shop without Shopify login", async () => {
    const response = await page.goto(adminUrl, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1.Polaris-Header-Title").textContent()).resolves.toBe("Dashboard");
    await expect(page.getByText(/^Demo shop — /).isVisible()).resolves.toBe(true);
    const labels = await page.locator("nav.Polaris-Navigation .Polaris-Navigation__Text").allTextContents();
    expect(labels.map((label) => label.trim())).toEqual(["Dashboard", "Anomalies", "Products", "Reorder", "Suppliers", "Promotions", "Purchase orders", "Receiving", "Transfers", "Back in stock", "Reports", "Accounting", "Channels", "Settings"]);
    await expect(page.getByRole("link", { name: String(SKU_LIMIT), exact: true }).isVisible()).resolves.toBe(true);
    // The first reorder run happened at start-up, so the newcomer sees draft purchase orders at once.
    await expect(page.getByText("No reorder run yet").count()).resolves.toBe(0);
    await page.screenshot({ path: join(testResultsDir, "demo-admin-home.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("shows the first run's advice by supplier: value, drafts by ship-to location, drill-down lines and the engine's explanation", async () => {
    const response = await page.goto(adminUrl.replace(/\/app$/, "/app/reorder"), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect(page.getByText(/^Estimated value to reorder: £[\d,]+\.\d\d$/).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/^Plan for .+: \d+ SKUs, \d+ suggestions\./).isVisible()).resolves.toBe(true);
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    expect(await rows.count()).toBeGreaterThan(0);
    // Every supplier row names its draft POs, each linked to its page; none is left as "None" after the first run.
    const first = rows.first();
    const poLinks = first.getByRole("link", { name: /^PO-\d{4}-\d{4}$/ });
    expect(await poLinks.count()).toBeGreaterThan(0);
    const supplierName = (await first.getByRole("link").first().textContent()) ?? "";
    await first.getByRole("link", { name: supplierName, exact: true }).click();
    await page.waitForURL(/\?supplier=/);
    // The drill-down lists the supplier's SKU lines; a SKU opens its page with the engine's paragraph.
    const skuLink = page.getByRole("link", { name: /^\d{5}[A-Z]*$/ }).first();
    await expect.poll(() => skuLink.count()).toBeGreaterThan(0);
    await skuLink.click();
    await page.waitForURL(/\/app\/products\/[^/?]+/);
    await expect.poll(() => page.getByText("Why this suggestion").count()).toBeGreaterThan(0);
    await expect(page.getByText(/Reorder point [\d,.]+ = /).first().isVisible()).resolves.toBe(true);
    // Every number the engine used, each value wrapped in full (nothing hidden behind a horizontal scroll).
    await expect(page.getByRole("heading", { name: "Every number used" }).isVisible()).resolves.toBe(true);
    const forecast = page.locator(".Polaris-DescriptionList__Description").nth(1);
    await expect(forecast.textContent()).resolves.toMatch(/^[\d.]+ (from|= )/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
    // The Polaris Viz panels draw once hydrated: sales with the forecast, and the projected stock with the reorder point.
    for (const panel of ["demand", "stock"]) await expect.poll(() => page.locator(`[data-chart="${panel}"] svg path`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    for (const legend of ["Units sold", "Forecast", "Projected stock", "Reorder point", "Safety stock"]) {
      await expect(page.getByRole("button", { name: legend, exact: true }).or(page.getByText(legend, { exact: true })).first().isVisible()).resolves.toBe(true);
    }
    await expect(page.getByText(/^Last \d+ days: \d+ units sold/).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "demo-sku-explanation.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("shows every supplier's score, with the shop's weights, on a SKU two suppliers sell", async () => {
    const databaseUrl = output.match(/Embedded Postgres \(PGlite\): (postgres(?:ql)?:\/\/\S+)/)?.[1];
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let skuId: string;
    let names: string[];
    try {
      const offered = await db.query(`SELECT "skuId" FROM "SupplierProduct" GROUP BY "skuId" HAVING count(*) > 1 ORDER BY "skuId" LIMIT 1`);
      skuId = offered.rows[0]?.skuId as string;
      expect(skuId).toBeDefined();
      const suppliers = await db.query(`SELECT s.name FROM "SupplierProduct" p JOIN "Supplier" s ON s.id = p."supplierId" WHERE p."skuId" = $1`, [skuId]);
      names = suppliers.rows.map((r: { name: string }) => r.name);
    } finally {
      await db.end();
    }
    expect(names).toHaveLength(2);
    const response = await page.goto(adminUrl.replace(/\/app$/, `/app/products/${skuId}`), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    const label = page.getByText("Supplier scores (price 40 %, lead time 30 %, quality 20 %, MOQ 10 %)", { exact: true });
    await expect.poll(() => label.count()).toBe(1);
    const scores = (await page.locator(".Polaris-DescriptionList__Description").filter({ hasText: names[0]! }).filter({ hasText: names[1]! }).first().textContent()) ?? "";
    for (const name of names) expect(scores).toMatch(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\&]/g, "\\$&")} \\d\\.\\d\\d`));
    await expect(page.getByText(/Supplier choice weighs price 40 %, lead-time reliability 30 %, quality 20 %, MOQ flexibility 10 %: .+ Chosen: /).count()).resolves.toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("shows the demo's promotions on the calendar, today's running one in today's cell", async () => {
    const response = await page.goto(adminUrl.replace(/\/app$/, "/app/promotions"), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect(page.getByText("1 active, 1 upcoming, 1 past").isVisible()).resolves.toBe(true);
    const todayCell = page.locator('td[aria-current="date"]');
    await expect(todayCell.count()).resolves.toBe(1);
    await expect(todayCell.getByRole("link", { name: "Gift guide feature +35%" }).count()).resolves.toBe(1);

    // The first reorder run planned the promoted SKUs with the uplift, and their page says so.
    const databaseUrl = output.match(/Embedded Postgres \(PGlite\): (postgres(?:ql)?:\/\/\S+)/)?.[1];
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let skuId: string;
    try {
      const promoted = await db.query(`SELECT "skuIds"[1] AS "skuId" FROM "Promotion" WHERE name = 'Gift guide feature'`);
      skuId = promoted.rows[0]?.skuId as string;
    } finally {
      await db.end();
    }
    expect(skuId).toBeDefined();
    await page.goto(adminUrl.replace(/\/app$/, `/app/products/${skuId}`), { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText(/× promotions \d\.\d\d \([^)]*Gift guide feature/).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("filters Products to the SKUs at or below their reorder point", async () => {
    const response = await page.goto(adminUrl.replace(/\/app$/, "/app/products"), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    const all = Number((await page.getByText(/^[\d,]+ SKUs$/).textContent())?.replace(/\D/g, ""));
    await page.goto(adminUrl.replace(/\/app$/, "/app/products?stock=reorder"), { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText(/^[\d,]+ matching SKUs$/).count()).toBe(1);
    await expect(page.getByText("At or below reorder point").first().isVisible()).resolves.toBe(true);
    const matching = Number((await page.getByText(/^[\d,]+ matching SKUs$/).textContent())?.replace(/\D/g, ""));
    // The demo's first run finds SKUs to buy for (its drafts are unsent, so nothing is on order yet).
    expect(matching).toBeGreaterThan(0);
    expect(matching).toBeLessThanOrEqual(all);
    expect(problems).toEqual([]);
  });

  it("sorts Products by days left, most urgent first, from the column header", async () => {
    const response = await page.goto(adminUrl.replace(/\/app$/, "/app/products"), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    // The header is a button named after its column (Polaris shows the direction as a tooltip).
    const header = page.locator("table thead").getByRole("button", { name: "Days left", exact: true });
    await header.hover();
    await expect.poll(() => page.getByText("Sort by days left, fewest first").count()).toBeGreaterThan(0);
    const daysLeftColumn = async () => {
      // Column 7 is Days left; a cell reads "3.4", "12", "∞" or "—", with "at <location>" below for multi-location SKUs.
      const cells = await page.locator("tbody tr td:nth-child(7)").allTextContents();
      return cells.map((text) => text.replace(/at .*$/, "").trim()).filter((t) => /^[\d,.]+$/.test(t)).map((t) => Number(t.replace(/,/g, "")));
    };
    const isSorted = (values: number[], direction: 1 | -1) => values.length > 1 && values.every((v, i) => i === 0 || (v - values[i - 1]!) * direction >= 0);
    // The URL changes as the new rows arrive, and React renders them a moment later: poll the table itself.
    await header.click();
    await page.waitForURL(/sort=days_left(&|$)/);
    await expect.poll(async () => isSorted(await daysLeftColumn(), 1)).toBe(true);
    await page.screenshot({ path: join(testResultsDir, "demo-products-days-left.png") });
    // Clicking again turns it round: the most cover first.
    await header.click();
    await page.waitForURL(/sort=days_left_desc/);
    await expect.poll(async () => isSorted(await daysLeftColumn(), -1)).toBe(true);
    expect(problems).toEqual([]);
  });

  it("lists flagged POs on the anomaly queue with their flags, and the engine's reasoning one click away", async () => {
    const response = await page.goto(adminUrl.replace(/\/app$/, "/app/anomalies?kind=FLAGGED_PO"), { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    const toggles = page.getByRole("button", { name: /^Show the engine's reasoning \(\d+ of \d+ lines?\)$/ });
    await expect.poll(() => toggles.count()).toBeGreaterThan(0);
    // Collapsed: a queue of flagged POs stays scannable (it was tens of screens of paragraphs).
    await expect(page.getByText(/Reorder point [\d,.]+ = /).count()).resolves.toBe(0);
    await toggles.first().click();
    await expect(page.getByText(/Reorder point [\d,.]+ = /).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Hide the engine's reasoning" }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(testResultsDir, "demo-anomalies-flagged.png"), fullPage: true });
    // On a phone the review buttons keep their one line and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
      const button = page.getByRole("link", { name: /^Review PO-\d{4}-\d{4}$/ }).first();
      const box = await button.boundingBox();
      expect(box?.height).toBeLessThan(48);
      await page.screenshot({ path: join(testResultsDir, "demo-anomalies-phone.png") });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(problems).toEqual([]);
  });

  it("replays sales through the Shopify sandbox: orders flow in by webhook, quantities flow out", async () => {
    expect(output).toMatch(/Shopify sandbox filled with the demo store \([1-9]\d* listings/);
    expect(output).toMatch(/Shopify sandbox\s+http:\/\/127\.0\.0\.1:\d+/);
    const databaseUrl = output.match(/Embedded Postgres \(PGlite\): (postgres(?:ql)?:\/\/\S+)/)?.[1];
    expect(databaseUrl).toBeDefined();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const deadline = Date.now() + 60_000;
      let seen = { webhook: 0, order: null as Date | null, push: 0 };
      while (Date.now() < deadline) {
        const webhook = await db.query(`SELECT count(*)::int AS n FROM "WebhookEvent" WHERE topic = 'orders/create' AND status = 'PROCESSED'`);
        // Replayed orders are new rows; the seeded order log was written before the sandbox was filled.
        const order = await db.query(`SELECT min("createdAt") AS at FROM "SalesOrder" WHERE channel = 'SHOPIFY' AND "externalId" LIKE 'gid://shopify/Order/%'`);
        const at: Date | null = order.rows[0].at;
        // Simple queries only (no bind parameters): this connection shares PGlite's one session with the demo's.
        const push = await db.query(`SELECT count(*)::int AS n FROM "ChannelPush" WHERE channel = 'SHOPIFY' AND status = 'SUCCEEDED' AND "requestedAt" >= (SELECT min("createdAt") FROM "SalesOrder" WHERE channel = 'SHOPIFY' AND "externalId" LIKE 'gid://shopify/Order/%')`);
        seen = { webhook: webhook.rows[0].n, order: at, push: push.rows[0].n };
        if (seen.webhook > 0 && seen.order && seen.push > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(seen.webhook, output).toBeGreaterThan(0);
      expect(seen.order, output).not.toBeNull();
      expect(seen.push, output).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  }, 75_000);

  it("connects Amazon and eBay to their sandboxes and pushes quantities there", async () => {
    expect(output).toMatch(/Amazon sandbox\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/eBay sandbox\s+http:\/\/127\.0\.0\.1:\d+/);
    const databaseUrl = output.match(/Embedded Postgres \(PGlite\): (postgres(?:ql)?:\/\/\S+)/)![1];
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(`SELECT channel, status FROM "ChannelConnection" WHERE channel IN ('AMAZON', 'EBAY') ORDER BY channel`);
      expect(rows.rows).toEqual([{ channel: "AMAZON", status: "CONNECTED" }, { channel: "EBAY", status: "CONNECTED" }]);
      // Our quantities reached both (eBay only under the offer ids the seed stored).
      const deadline = Date.now() + 30_000;
      let pushed: Record<string, number> = {};
      while (Date.now() < deadline) {
        const counts = await db.query(`SELECT channel, count(*)::int AS n FROM "ChannelPush" WHERE channel IN ('AMAZON', 'EBAY') AND status = 'SUCCEEDED' GROUP BY channel`);
        pushed = Object.fromEntries(counts.rows.map((row) => [row.channel, row.n]));
        if (pushed.AMAZON && pushed.EBAY) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(pushed.AMAZON, output).toBeGreaterThan(0);
      expect(pushed.EBAY, output).toBeGreaterThan(0);

      // Orders the replay sold on Amazon and eBay arrive in the app through the channel sync (the seed
      // writes no marketplace orders), and nothing is replayed with a refused webhook.
      const until = Date.now() + 60_000;
      let arrived: Record<string, number> = {};
      while (Date.now() < until) {
        const counts = await db.query(`SELECT channel, count(*)::int AS n FROM "SalesOrder" WHERE channel IN ('AMAZON', 'EBAY') GROUP BY channel`);
        arrived = Object.fromEntries(counts.rows.map((row) => [row.channel, row.n]));
        if (arrived.AMAZON && arrived.EBAY) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(arrived.AMAZON, output).toBeGreaterThan(0);
      expect(arrived.EBAY, output).toBeGreaterThan(0);
      expect(output).toMatch(/Sales replay .*\d+ Amazon/);
      expect(output).toMatch(/Sales replay .*\d+ eBay/);
      expect(output).not.toMatch(/webhook answered/);
      // Marketplaces hold sellable = on hand − committed − the demo's buffer of 2.
      const buffers = await db.query(`SELECT "channelBuffers" AS b FROM "ShopSettings"`);
      expect(buffers.rows[0].b).toEqual({ AMAZON: 2, EBAY: 2 });
    } finally {
      await db.end();
    }
  }, 110_000);

  it("lets the merchant map the unmapped marketplace listings on the Channels page: a suggested code, a typed code, or ignore", async () => {
    const channelsUrl = adminUrl.replace(/\/app$/, "/app/channels");
    const fbaRow = page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: /FBA-AMZ-/ });
    // The FBA listing arrives with the Amazon sync: reload until it is listed.
    const until = Date.now() + 60_000;
    await page.goto(channelsUrl, { waitUntil: "networkidle" });
    while ((await fbaRow.count()) === 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await page.goto(channelsUrl, { waitUntil: "networkidle" });
    }
    // Our code inside Amazon's own SKU is suggested ("FBA-AMZ-22423" sells 22423).
    const mapButton = fbaRow.getByRole("button", { name: /^Map to / });
    await expect(mapButton.isVisible()).resolves.toBe(true);
    const code = ((await mapButton.textContent()) ?? "").replace("Map to ", "").trim();
    await expect(fbaRow.textContent()).resolves.toContain(`FBA-AMZ-${code}`);

    // The gift box matches nothing: a wrong typed code is refused with its reason, and nothing changes.
    const giftRow = page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: "Gift box with ribbon" });
    await giftRow.getByLabel("SKU code").fill("NOT-A-SKU");
    await giftRow.getByRole("button", { name: "Map", exact: true }).click();
    await expect.poll(() => page.getByText("No SKU has the code “NOT-A-SKU”.").count()).toBeGreaterThan(0);
    await expect(giftRow.count()).resolves.toBe(1);
    expectOnlyRefusals(problems);
    // It is not ours to stock: ignored, it leaves the list.
    await giftRow.getByRole("button", { name: /^Ignore / }).click();
    await expect.poll(() => page.getByText("Listing ignored").count()).toBeGreaterThan(0);
    await expect.poll(() => giftRow.count()).toBe(0);

    await mapButton.click();
    await expect.poll(() => page.getByText("Listing mapped; its quantity will be pushed.").count()).toBeGreaterThan(0);
    await expect.poll(() => fbaRow.count()).toBe(0);
    await page.screenshot({ path: join(testResultsDir, "demo-channels-mapped.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
    demo.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

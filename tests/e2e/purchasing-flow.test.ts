// Issue 5's end-to-end acceptance: the engine proposes a PO → the approval policy auto-approves it →
// the email (PDF + portal link) arrives at a real SMTP server in this process → the supplier, in
// headless Chromium, counters one line's quantity → the merchant accepts on the PO page → the supplier
// sets the ship date and tracking → the warehouse receives it by scan input in two partial receipts →
// ledger, on-hand, journal (balanced), the recorded lead time and the closed PO are checked in the
// database, and the push-stock job the receipt enqueued, run by the channel-sync worker, sets the new
// quantities on the Shopify sandbox. Then the same steps again (double submits, retried jobs) change nothing.
//
// It runs its own copy of the built app on its own database and queue prefix (the shared e2e server
// serves the shared demo shop, whose POs other browser tests count), with the workers it needs in
// this process: reorder (→ approval policy), PO dispatch, email delivery and, at the end, channel sync.
import { join } from "node:path";
import type { Request as PwRequest } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { observedLeadTimeDays } from "#app/domain/receiving/observed-lead-time.ts";
import { addDays, fromDayNumber, toDayNumber } from "#app/domain/shared/day.ts";
import type { SinkMessage, SmtpSink } from "#tests/support/smtp-sink.ts";
import { freePort, randomSuffix } from "#tests/setup/infra.ts";
import { startAppServer, type AppServer } from "#tests/support/app-server.ts";
import { createOwnDatabase } from "#tests/support/own-database.ts";
import { openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";
import { startSmtpSink } from "#tests/support/smtp-sink.ts";
import { startShopifySandbox, type ShopifySandbox } from "#sandbox/shopify/index.ts";

const DOMAIN = "purchasing-flow-e2e.myshopify.com";
const MERCHANT_EMAIL = "buyer@harbor-pine.test";
const SUPPLIER_EMAIL = "orders@kiln-co.test";
const PREFIX = `e2e-po-${randomSuffix()}`;
const APP_SECRET = "e2e-po-flow-secret-0123456789abcdef0123456789";

let sink: SmtpSink;
let shopify: ShopifySandbox;
let shopifyLocationId = 0;
let server: AppServer;
let db: PrismaClient;
let baseUrl: string;
const teardowns: (() => Promise<unknown>)[] = [];
const savedEnv = { ...process.env };
const browser = await openTestBrowserForFile();
const { page } = browser;

// Modules that read the environment are imported after it is set (below), so they see this test's database.
let app: Awaited<ReturnType<typeof loadApp>>;
async function loadApp() {
  const [dbModule, env, queue, rateLimit, replenishment, purchasing, delivery, workers, registry, stockSync, shopifyServer, channels] = await Promise.all([
    import("#app/db.server.ts"),
    import("#app/env.server.ts"),
    import("#app/lib/queue.server.ts"),
    import("#app/lib/rate-limit.server.ts"),
    import("#app/services/replenishment.server.ts"),
    import("#workers/processors/purchasing.ts"),
    import("#workers/processors/notification-delivery.ts"),
    import("#workers/index.ts"),
    import("#workers/processors/registry.ts"),
    import("#app/services/stock-sync.server.ts"),
    import("#app/shopify.server.ts"),
    import("#app/models/channel-connection.server.ts"),
  ]);
  return { dbModule, env, queue, rateLimit, replenishment, purchasing, delivery, workers, registry, stockSync, shopifyServer, channels };
}

type Seed = { shopId: string; supplierId: string; locationId: string; skus: { id: string; code: string; barcode: string; opening: number; inventoryItemId: number }[] };
let seed: Seed;

async function seedShop(): Promise<Seed> {
  const shop = await db.shop.create({
    data: {
      domain: DOMAIN, name: "Harbor & Pine (purchasing flow)", isDemo: true, timezone: "UTC", currency: "USD",
      // Autonomous: the engine's POs go out without a person, below a threshold this PO stays under.
      settings: { create: { approvalMode: "AUTONOMOUS", approvalThreshold: "20000.00", digestRecipients: [MERCHANT_EMAIL] } },
    },
  });
  const location = await db.location.create({
    data: { shopId: shop.id, name: "Main warehouse", isDefault: true, address: { line1: "12 Dock Road", city: "Portland", country: "US" }, shopifyLocationId: `gid://shopify/Location/${shopifyLocationId}` },
  });
  const supplier = await db.supplier.create({
    data: { shopId: shop.id, name: "Kiln & Co", contactName: "Mira", orderEmail: SUPPLIER_EMAIL, poDelivery: "EMAIL", documentFormat: "PDF", autoSend: true, leadTimeDays: 10, paymentTermsDays: 30 },
  });
  // Eight received POs over the last months: enough history to measure the supplier's lead time, without
  // which the engine flags its lines and even an autonomous shop holds the PO for review.
  for (let i = 0; i < 8; i++) {
    const sentAt = new Date(Date.now() - (110 - i * 12) * 86_400_000);
    const receivedAt = new Date(sentAt.getTime() + 10 * 86_400_000);
    await db.purchaseOrder.create({
      data: { shopId: shop.id, number: `HIST-${i + 1}`, supplierId: supplier.id, locationId: location.id, status: "CLOSED", sentAt, firstReceivedAt: receivedAt, receivedAt, closedAt: receivedAt },
    });
  }
  const defs = [
    { code: "KLN-MUG-01", title: "Stoneware mug", barcode: "0860001000011", cost: "4.00", perDay: (i: number) => 6 + (i % 3), opening: 12 },
    { code: "KLN-BWL-02", title: "Serving bowl", barcode: "0860001000028", cost: "6.50", perDay: (i: number) => 3 + (i % 2), opening: 8 },
  ];
  const today = fromDayNumber(toDayNumber(new Date()));
  const skus: Seed["skus"] = [];
  for (const def of defs) {
    // The same product on the Shopify store (the sandbox), where the new stock must arrive.
    const [variant] = shopify.store.addProduct({ title: def.title, variants: [{ sku: def.code, barcode: def.barcode, price: "24.00", available: { [shopifyLocationId]: def.opening } }] }).variants;
    const sku = await db.sku.create({
      data: { shopId: shop.id, code: def.code, title: def.title, barcode: def.barcode, cost: def.cost, price: "24.00", shopifyVariantId: `gid://shopify/ProductVariant/${variant!.id}` },
    });
    await db.supplierProduct.create({ data: { shopId: shop.id, supplierId: supplier.id, skuId: sku.id, unitCost: def.cost, moq: 1, casePack: 1, isPreferred: true } });
    // 120 days of steady sales up to yesterday: the engine sees a few days of stock left and orders.
    await db.dailyDemand.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        shopId: shop.id, skuId: sku.id, locationId: location.id, day: new Date(`${addDays(today, i - 120)}T00:00:00.000Z`), units: def.perDay(i), orderCount: def.perDay(i), largestOrderUnits: 1,
      })),
    });
    skus.push({ id: sku.id, code: def.code, barcode: def.barcode, opening: def.opening, inventoryItemId: variant!.inventoryItemId });
  }
  const { appendMovements } = await import("#app/models/ledger.server.ts");
  await appendMovements(
    shop.id,
    skus.map((s) => ({ skuId: s.id, locationId: location.id, kind: "INITIAL" as const, quantity: s.opening, sourceType: "SEED", idempotencyKey: `open-${s.code}`, occurredAt: new Date(Date.now() - 121 * 86_400_000) })),
  );
  // Connected to Shopify like an installed shop: offline session, connection, listings mapped by a stock pull.
  const { Session } = await import("@shopify/shopify-api");
  await app.shopifyServer.sessionStorage.storeSession(
    new Session({ id: `offline_${DOMAIN}`, shop: DOMAIN, state: "", isOnline: false, accessToken: shopify.issueAccessToken(), scope: "read_orders,read_inventory,write_inventory,read_products" }),
  );
  await app.channels.connectChannel(shop.id, "SHOPIFY", { settings: {} });
  await app.stockSync.pullStock(shop.id, "SHOPIFY", { requestStockPush: async () => {} });
  expect(await db.channelListing.count({ where: { shopId: shop.id, status: "MAPPED" } })).toBe(skus.length);
  return { shopId: shop.id, supplierId: supplier.id, locationId: location.id, skus };
}

/** What the Shopify store shows as available for a SKU at the linked location. */
function shopifyAvailable(inventoryItemId: number): number | undefined {
  return shopify.store.findLevel(inventoryItemId, shopifyLocationId)?.quantities.available;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  teardowns.push(() => sink.close());
  shopify = await startShopifySandbox({ apiSecret: "e2e-api-secret", apiKey: "e2e-api-key", shopDomain: DOMAIN });
  teardowns.push(() => shopify.close());
  shopifyLocationId = shopify.store.addLocation({ name: "Main warehouse" }).id;
  const database = await createOwnDatabase("po_flow");
  teardowns.push(() => database.release());
  const databaseUrl = database.url;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // This process is the worker side: same database, Redis prefix, secret (portal tokens) and SMTP server as the app.
  Object.assign(process.env, {
    NODE_ENV: "test", DATABASE_URL: databaseUrl, REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: PREFIX, APP_SECRET, SMTP_URL: sink.url, MAIL_FROM: "Harbor & Pine <buyer@harbor-pine.test>",
    SHOPIFY_API_KEY: "e2e-api-key", SHOPIFY_API_SECRET: "e2e-api-secret", SHOPIFY_APP_URL: baseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    SHOPIFY_ADMIN_ORIGIN: shopify.origin, // the Shopify client of this process (the push-stock worker) talks to the sandbox
  });
  delete process.env.DEMO_MODE;
  app = await loadApp();
  app.env.resetEnvForTests();
  await app.dbModule.disconnectPrisma();
  db = app.dbModule.prisma;
  seed = await seedShop();
  server = await startAppServer({
    port,
    buildDir: inject("e2eBuildDir"),
    env: { DATABASE_URL: databaseUrl, REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: PREFIX, APP_SECRET, DEMO_SHOP_DOMAIN: DOMAIN, SHOPIFY_API_KEY: "e2e-api-key", SHOPIFY_API_SECRET: "e2e-api-secret", SMTP_URL: sink.url },
  });
  teardowns.push(() => server.stop());
});

afterAll(async () => {
  for (const step of teardowns.reverse()) await step().catch((error: unknown) => process.stderr.write(`purchasing-flow teardown: ${String(error)}\n`));
  await app?.queue.closeQueues().catch(() => undefined);
  await app?.rateLimit.closeRateLimiter().catch(() => undefined);
  await app?.dbModule.disconnectPrisma().catch(() => undefined);
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** Everything the flow writes, to compare before and after the repeated steps. */
async function snapshot(purchaseOrderId: string) {
  const po = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, include: { lines: { orderBy: { id: "asc" } } } });
  return {
    po: { status: po.status, total: po.total.toString(), lines: po.lines.map((l) => [l.quantityOrdered, l.quantityReceived, l.unitCost.toString()]), sentAt: po.sentAt, receivedAt: po.receivedAt, closedAt: po.closedAt },
    purchaseOrders: await db.purchaseOrder.count({ where: { shopId: seed.shopId } }),
    events: await db.purchaseOrderEvent.count({ where: { purchaseOrderId } }),
    movements: await db.inventoryMovement.count({ where: { shopId: seed.shopId } }),
    levels: (await db.inventoryLevel.findMany({ where: { shopId: seed.shopId }, orderBy: { skuId: "asc" } })).map((l) => [l.skuId, l.onHand]),
    receipts: await db.receipt.count({ where: { shopId: seed.shopId } }),
    journal: await db.journalLine.count({ where: { shopId: seed.shopId } }),
    notifications: await db.notification.count({ where: { shopId: seed.shopId } }),
    pushes: await db.channelPush.count({ where: { shopId: seed.shopId } }),
    shopify: seed.skus.map((s) => shopifyAvailable(s.inventoryItemId)),
    reviews: await db.reviewItem.count({ where: { shopId: seed.shopId } }),
    emails: sink.count,
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A keyboard-wedge scanner: the code's characters, then Enter, into the focused scan field. */
async function scan(code: string): Promise<void> {
  const field = page.getByLabel("Scan item barcode");
  await field.focus();
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press("Enter");
}

/** The responses a test provokes on purpose (a refused double submit) are not problems. */
function unexpectedProblems(allowed: RegExp[] = []): string[] {
  return browser.problems.filter((p) => !allowed.some((re) => re.test(p)));
}

describe("purchasing flow, engine to closed PO", () => {
  // Each step answers for the problems of its own pages.
  beforeEach(() => {
    browser.problems.length = 0;
  });

  let purchaseOrderId = "";
  let number = "";
  let portalLink = "";
  let poEmail: SinkMessage;
  const lineQuantities = new Map<string, number>(); // skuId → agreed quantity
  let counteredSkuCode = "";
  let receiptPosts: { url: string; form: string }[] = [];

  it("the engine proposes a PO, the policy auto-approves it, and the email arrives with the PDF and the portal link", async () => {
    const running = await app.workers.startWorkers({
      syncSchedulers: false,
      processors: { reorder: { "run-reorder": app.purchasing.runReorderThenApprove }, purchasing: { "dispatch-po": app.purchasing.dispatchPoJob } },
    });
    try {
      await app.replenishment.requestManualReorder(seed.shopId, { queues: running.queues });
      const po = await waitFor("the engine's PO to be sent", () => db.purchaseOrder.findFirst({ where: { shopId: seed.shopId, status: "SENT" }, include: { lines: true } }));
      purchaseOrderId = po.id;
      number = po.number;
      expect(po).toMatchObject({ supplierId: seed.supplierId, approvedBy: "approval policy", reorderRunId: expect.any(String) });
      expect(po.lines.map((l) => l.skuId).sort()).toEqual(seed.skus.map((s) => s.id).sort());
      for (const line of po.lines) expect(line.quantityOrdered).toBeGreaterThan(0);
      const events = await db.purchaseOrderEvent.findMany({ where: { purchaseOrderId }, orderBy: { createdAt: "asc" } });
      expect(events.map((e) => [e.type, (e.data as { event?: string } | null)?.event ?? null])).toEqual([
        ["STATUS_CHANGE", null], // the reorder run drafted it
        ["STATUS_CHANGE", "auto-approve"],
        ["STATUS_CHANGE", "send"],
        ["EMAIL_SENT", null],
      ]);
    } finally {
      // The reorder worker stops here: the re-plans that receiving requests later must not draft new POs mid-test.
      await running.close();
    }

    // Email delivery: the notifications worker sends through the SMTP server in this process.
    const mail = await app.workers.startWorkers({ syncSchedulers: false, processors: { notifications: { "deliver-notification": app.delivery.deliverNotification } } });
    teardowns.push(() => mail.close());
    const [message] = await sink.waitForMessages((all) => all.some((m) => m.subject.includes(number)), 45_000).then((all) => all.filter((m) => m.subject.includes(number)));
    poEmail = message!;
    expect(poEmail.envelopeTo).toEqual([SUPPLIER_EMAIL]);
    expect(poEmail.subject).toBe(`Purchase order ${number} from Harbor & Pine (purchasing flow)`);
    const pdf = poEmail.attachments.find((a) => a.filename === `${number}.pdf`);
    expect(pdf?.contentType).toBe("application/pdf");
    expect(pdf!.content.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const link = /https?:\/\/\S+\/portal\/[A-Za-z0-9_.%-]+/.exec(poEmail.text)?.[0];
    expect(link?.startsWith(`${baseUrl}/portal/`)).toBe(true);
    portalLink = link!;
    await waitFor("the PO email row to be SENT", async () => (await db.notification.findFirst({ where: { shopId: seed.shopId, kind: "PURCHASE_ORDER", status: "SENT" } })) !== null);
  });

  it("the supplier counters one line's quantity in the portal; a bad value is refused and nothing typed is lost", async () => {
    expect(portalLink).not.toBe("");
    // A link with one character changed opens the plain refusal page, the same for any bad link.
    const token = portalLink.split("/portal/")[1]!;
    const tampered = `${baseUrl}/portal/${token.slice(0, 8)}${token[8] === "A" ? "B" : "A"}${token.slice(9)}`;
    const refused = await page.goto(tampered, { waitUntil: "networkidle" });
    expect(refused?.status()).toBe(403);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Link not valid");
    await expect(page.getByText("This link is not valid. Ask the merchant for a new one.").isVisible()).resolves.toBe(true);
    expect(await page.locator("body").textContent()).not.toContain(number);

    await page.goto(portalLink, { waitUntil: "networkidle" });
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Purchase order ${number}`);
    const lines = await db.purchaseOrderLine.findMany({ where: { purchaseOrderId }, include: { sku: true }, orderBy: { id: "asc" } });
    const target = lines[0]!;
    counteredSkuCode = target.sku.code;
    const quantityField = page.getByLabel(new RegExp(`^Quantity for ${target.sku.code} `));
    const notes = page.getByLabel("Notes for the merchant");

    await quantityField.fill("a dozen");
    await notes.fill("We can ship part now, the rest next month.");
    await page.getByRole("button", { name: "Send counter-offer" }).click();
    await expect.poll(() => page.getByText("Enter a whole number of units from 0 to 1,000,000").isVisible()).toBe(true);
    await expect(quantityField.inputValue()).resolves.toBe("a dozen");
    await expect(notes.inputValue()).resolves.toBe("We can ship part now, the rest next month.");
    expect((await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId } })).status).toBe("SENT");

    const countered = target.quantityOrdered - Math.max(1, Math.floor(target.quantityOrdered / 4));
    await quantityField.fill(String(countered));
    await page.getByRole("button", { name: "Send counter-offer" }).click();
    await expect.poll(() => page.getByText("Your counter-offer was sent to the merchant.").isVisible()).toBe(true);
    await expect.poll(() => page.getByText(`Round 1: supplier's counter-offer on ${lines.length} lines — We can ship part now, the rest next month.`).isVisible()).toBe(true);
    // While the merchant considers it, the answer section says so (it used to be an empty heading).
    await expect(page.locator("section[aria-labelledby=\"respond-heading\"]").getByText("Your counter-offer is with the merchant.").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "portal-counter-offer.png"), fullPage: true });

    const po = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId } });
    expect(po.status).toBe("COUNTERED");
    // Nothing changes on the order until the merchant accepts.
    expect((await db.purchaseOrderLine.findUniqueOrThrow({ where: { id: target.id } })).quantityOrdered).toBe(target.quantityOrdered);
    for (const l of lines) lineQuantities.set(l.skuId, l.id === target.id ? countered : l.quantityOrdered);
    const review = await db.reviewItem.findFirstOrThrow({ where: { shopId: seed.shopId, kind: "SUPPLIER_MESSAGE", subjectId: purchaseOrderId } });
    expect(review).toMatchObject({ status: "OPEN", reason: `${number}: the supplier sent a counter-offer (round 1)` });
    // The merchant's email, through the outbox and the SMTP server.
    const [alert] = await sink.waitForMessages((all) => all.some((m) => m.envelopeTo.includes(MERCHANT_EMAIL)), 30_000).then((all) => all.filter((m) => m.envelopeTo.includes(MERCHANT_EMAIL)));
    expect(alert!.text).toContain(`${baseUrl}/app/purchase-orders/${purchaseOrderId}`);
    expect(unexpectedProblems([/HTTP (403|422): .*\/portal\//, /^console error: Failed to load resource: the server responded with a status of (403|422)/])).toEqual([]);
  });

  it("the merchant accepts the counter-offer on the PO page", async () => {
    await page.goto(`${baseUrl}/app/purchase-orders/${purchaseOrderId}`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("Counter-offer waiting for you").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Accept counter-offer" }).click();
    await expect.poll(() => page.getByText("Counter-offer accepted: the order is confirmed").isVisible()).toBe(true);
    const po = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, include: { lines: true } });
    expect(po.status).toBe("CONFIRMED");
    for (const line of po.lines) expect(line.quantityOrdered).toBe(lineQuantities.get(line.skuId));
    expect((await db.reviewItem.findFirstOrThrow({ where: { shopId: seed.shopId, kind: "SUPPLIER_MESSAGE", subjectId: purchaseOrderId } })).status).toBe("RESOLVED");
    // The supplier is told by email, with a link back to the portal.
    const [told] = await sink
      .waitForMessages((all) => all.some((m) => m.subject === `${number}: your counter-offer is accepted`), 30_000)
      .then((all) => all.filter((m) => m.subject === `${number}: your counter-offer is accepted`));
    expect(told!.envelopeTo).toEqual([SUPPLIER_EMAIL]);
    expect(told!.text).toContain(`${baseUrl}/portal/`);
    await page.screenshot({ path: join(testResultsDir, "purchasing-flow-merchant-accepted.png"), fullPage: true });
    expect(unexpectedProblems()).toEqual([]);
  });

  it("the supplier sets the ship date, method and tracking: the PO is shipped with ETA = ship date + transit days", async () => {
    await page.goto(portalLink, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("Confirmed", { exact: true }).isVisible()).toBe(true);
    const shipDate = addDays(fromDayNumber(toDayNumber(new Date())), 2);
    await page.getByLabel("Expected ship date").fill(shipDate);
    await page.getByLabel("Ship method").selectOption("air");
    await page.getByLabel("Tracking numbers").fill("1Z999AA10123456784");
    await page.getByLabel("Your order reference").fill("KC-SO-7781");
    await page.getByRole("button", { name: "Save shipping details" }).click();
    await expect.poll(() => page.getByText("Shipping details saved.").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Shipped", { exact: true }).isVisible()).toBe(true);
    const po = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId } });
    expect(po).toMatchObject({ status: "SHIPPED", shipMethod: "air", trackingNumbers: ["1Z999AA10123456784"], supplierReference: "KC-SO-7781" });
    expect(po.expectedShipDate?.toISOString().slice(0, 10)).toBe(shipDate);
    expect(po.expectedArrivalDate?.toISOString().slice(0, 10)).toBe(addDays(shipDate, 7));
    // The lines' dates follow the arrival, and the portal's line totals are whole cents that add up to the PO's total.
    const shippedLines = await db.purchaseOrderLine.findMany({ where: { purchaseOrderId } });
    expect(shippedLines.map((l) => l.expectedDate?.toISOString().slice(0, 10))).toEqual(shippedLines.map(() => addDays(shipDate, 7)));
    const totals = await page.locator("table").first().locator("tbody tr td:nth-child(6)").allTextContents();
    expect(totals.length).toBe(shippedLines.length);
    for (const t of totals) expect(t.trim()).toMatch(/^[A-Z]{3} [\d,]+\.\d\d$/);
    expect(unexpectedProblems()).toEqual([]);
  });

  it("the warehouse receives it by scanning, in two partial receipts, and the books are right", async () => {
    const counts = [...lineQuantities.entries()].map(([skuId, qty]) => ({ sku: seed.skus.find((s) => s.id === skuId)!, qty }));
    receiptPosts = [];
    const recordPost = (request: PwRequest) => {
      if (request.method() === "POST" && request.url().includes("/app/receiving/")) receiptPosts.push({ url: request.url(), form: request.postData() ?? "" });
    };
    page.on("request", recordPost);

    await page.goto(`${baseUrl}/app/receiving`, { waitUntil: "networkidle" });
    await page.getByLabel("Scan PO barcode").focus();
    await page.keyboard.type(number);
    await page.keyboard.press("Enter");
    // The desk opens a PO that is on its way straight on its receiving screen, or offers "Receive items".
    const onScreen = () => /^\/app\/receiving\/(?!transfers\/)[^/]+$/.test(new URL(page.url()).pathname);
    const receiveLink = page.getByRole("link", { name: "Receive items" });
    await expect.poll(async () => onScreen() || (await receiveLink.isVisible())).toBe(true);
    if (!onScreen()) await receiveLink.click();
    await expect.poll(onScreen).toBe(true);
    await expect.poll(() => page.locator("h1.Polaris-Header-Title").textContent()).toBe(`Receive ${number}`);

    // First delivery: part of each line, every unit scanned by its barcode.
    const first = counts.map(({ sku, qty }) => ({ sku, qty: Math.min(3, qty - 1) }));
    for (const { sku, qty } of first) for (let i = 0; i < qty; i++) await scan(sku.barcode);
    for (const { sku, qty } of first) await expect.poll(() => page.getByLabel(`Received now ${sku.code}`, { exact: true }).inputValue()).toBe(String(qty));
    await page.getByLabel("Received by").fill("Sam");
    await page.getByRole("button", { name: "Confirm receipt" }).click();
    await expect.poll(() => page.getByText(/Receipt booked: .* is now partially received/).isVisible()).toBe(true);
    expect((await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId } })).status).toBe("PARTIALLY_RECEIVED");

    // Second delivery: the rest, one scan each, the remaining count typed (a scanner with a quantity key).
    for (const { sku } of counts) await scan(sku.barcode);
    for (const { sku, qty } of counts) {
      const rest = qty - Math.min(3, qty - 1);
      await page.getByLabel(`Received now ${sku.code}`, { exact: true }).fill(String(rest));
    }
    await page.getByRole("button", { name: "Confirm receipt" }).click();
    await expect.poll(() => page.getByText(/Receipt booked: .* is now closed/).isVisible()).toBe(true);
    page.off("request", recordPost);
    await page.screenshot({ path: join(testResultsDir, "purchasing-flow-received.png"), fullPage: true });

    const po = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, include: { lines: true } });
    expect(po.status).toBe("CLOSED");
    for (const line of po.lines) expect(line.quantityReceived).toBe(lineQuantities.get(line.skuId));

    // Ledger: two receipts' movements per SKU, adding up to what was agreed; on-hand = opening + received.
    const receipts = await db.receipt.findMany({ where: { purchaseOrderId }, orderBy: { receivedAt: "asc" } });
    expect(receipts).toHaveLength(2);
    for (const { sku, qty } of counts) {
      const moves = await db.inventoryMovement.findMany({ where: { shopId: seed.shopId, skuId: sku.id, sourceType: "RECEIPT" } });
      expect(moves).toHaveLength(2);
      expect(moves.reduce((sum, m) => sum + m.quantity, 0)).toBe(qty);
      const level = await db.inventoryLevel.findFirstOrThrow({ where: { shopId: seed.shopId, skuId: sku.id, locationId: seed.locationId } });
      expect(level.onHand).toBe(sku.opening + qty);
    }

    // Journal: every entry balances, and inventory received = the value of the goods at the agreed costs.
    const entries = await db.journalEntry.findMany({ where: { shopId: seed.shopId, sourceType: "RECEIPT" }, include: { lines: true } });
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) {
      const debit = entry.lines.reduce((s, l) => s + Math.round(Number(l.debit) * 100), 0);
      const credit = entry.lines.reduce((s, l) => s + Math.round(Number(l.credit) * 100), 0);
      expect(debit).toBe(credit);
    }
    const inventoryDebit = entries.flatMap((e) => e.lines).filter((l) => l.account === "INVENTORY").reduce((s, l) => s + Math.round(Number(l.debit) * 100), 0);
    const agreedValue = po.lines.reduce((s, l) => s + Math.round(l.quantityOrdered * Number(l.unitCost) * 100), 0);
    expect(inventoryDebit).toBe(agreedValue);

    // The lead time the engine learns from: placed (sent) → fully received.
    const sent = await db.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId, type: "STATUS_CHANGE", toStatus: "SENT" } });
    expect(po.sentAt?.getTime()).toBe(sent.createdAt.getTime());
    expect(po.receivedAt?.getTime()).toBe(receipts[1]!.receivedAt.getTime());
    expect(observedLeadTimeDays(po.sentAt, po.receivedAt)).toBe(Math.round(((receipts[1]!.receivedAt.getTime() - sent.createdAt.getTime()) / 86_400_000) * 10) / 10);

    // Channels: receiving enqueued the (coalesced) push-stock job; the channel-sync worker runs it and
    // Shopify shows the new quantities.
    const jobs = await app.queue.getProducerQueues().queue("channel-sync").getJobs(["delayed", "waiting", "prioritized"]);
    expect(jobs.filter((j) => j.name === "push-stock" && (j.data as { shopId?: string }).shopId === seed.shopId).length).toBeGreaterThanOrEqual(1);
    for (const { sku } of counts) expect(shopifyAvailable(sku.inventoryItemId)).toBe(sku.opening);
    const sync = await app.workers.startWorkers({ syncSchedulers: false, processors: { "channel-sync": { "push-stock": app.registry.processors["channel-sync"]!["push-stock"]! } } });
    try {
      for (const { sku, qty } of counts) await waitFor(`Shopify to show ${sku.code} at ${sku.opening + qty}`, async () => shopifyAvailable(sku.inventoryItemId) === sku.opening + qty, 30_000);
    } finally {
      await sync.close();
    }
    const pushes = await db.channelPush.findMany({ where: { shopId: seed.shopId, status: "SUCCEEDED" } });
    expect(pushes.map((p) => p.quantity).sort((a, b) => a - b)).toEqual(counts.map(({ sku, qty }) => sku.opening + qty).sort((a, b) => a - b));
    expect(receiptPosts.filter((p) => p.form.includes("intent=confirm"))).toHaveLength(2);
    expect(unexpectedProblems()).toEqual([]);
  });

  it("the same steps again — double submits and retried jobs — change nothing", async () => {
    const before = await snapshot(purchaseOrderId);

    // Retried jobs: the dispatch job and the email delivery run again with the same data.
    const deps = { db, logger: (await import("#app/lib/logger.server.ts")).logger, now: () => new Date(), queues: app.queue.getProducerQueues(), planForShop: app.replenishment.planForShop, webhookHandlers: {} };
    const again = await app.purchasing.dispatchPoJob({ shopId: seed.shopId, purchaseOrderId, step: "render" }, deps as never);
    expect(again).toMatchObject({ status: "SENT", alreadyDone: true });
    const emailRow = await db.notification.findFirstOrThrow({ where: { shopId: seed.shopId, kind: "PURCHASE_ORDER" } });
    await app.delivery.deliverNotification({ shopId: seed.shopId, notificationId: emailRow.id }, deps as never);
    const mutations = shopify.requests.filter((r) => r.operationName === "ReplenishSetQuantities").length;
    await app.stockSync.pushStock(seed.shopId, {}, { requestStockPush: async () => {} });
    expect(shopify.requests.filter((r) => r.operationName === "ReplenishSetQuantities").length).toBe(mutations);

    // The supplier submits the counter-offer and the acceptance again (a double click, a back button).
    const token = decodeURIComponent(portalLink.split("/portal/")[1]!);
    const lines = await db.purchaseOrderLine.findMany({ where: { purchaseOrderId }, include: { sku: true } });
    const line = lines.find((l) => l.sku.code === counteredSkuCode)!;
    for (const form of [{ intent: "counter", [`line.${line.id}.quantity`]: "1" }, { intent: "accept" }]) {
      const response = await page.request.post(`${baseUrl}/portal/${encodeURIComponent(token)}`, { form, maxRedirects: 0 });
      expect(response.status()).toBe(409);
    }
    // The warehouse's two confirm posts, replayed with their receipt keys.
    for (const post of receiptPosts.filter((p) => p.form.includes("intent=confirm"))) {
      const response = await page.request.post(post.url, { data: post.form, headers: { "content-type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
      expect(response.status()).toBeLessThan(500);
    }
    // The merchant's accept again.
    const accept = await page.request.post(`${baseUrl}/app/purchase-orders/${purchaseOrderId}/negotiation`, { form: { intent: "accept-counter" }, maxRedirects: 0 });
    expect(accept.status()).toBe(409);

    await new Promise((resolve) => setTimeout(resolve, 1_500)); // any email a replay might have queued would be out by now
    expect(await snapshot(purchaseOrderId)).toEqual(before);
  });

  it("the supplier submits new bank details in the portal: held on the PO page until the merchant confirms them, then in force on the supplier's page", async () => {
    const IBAN = "GB82WEST12345698765432";
    await page.goto(portalLink, { waitUntil: "networkidle" });
    await page.getByLabel("Account holder", { exact: true }).fill("Kingfisher Candle & Light Ltd");
    await page.getByLabel("Bank name", { exact: true }).fill("Westminster Bank");
    await page.getByLabel("IBAN", { exact: true }).fill(IBAN);
    await page.getByRole("button", { name: "Submit new bank details" }).click();
    await expect.poll(() => page.getByText(/^Submitted new bank details/).isVisible()).toBe(true);
    const { supplierId } = await db.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, select: { supplierId: true } });
    expect((await db.supplierRemittance.findFirstOrThrow({ where: { supplierId } })).status).toBe("PENDING");

    await page.goto(`${baseUrl}/app/purchase-orders/${purchaseOrderId}`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText("The supplier submitted new bank details").isVisible()).toBe(true);
    await expect(page.getByRole("cell", { name: IBAN }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "purchasing-flow-bank-details-held.png"), fullPage: true });
    await page.getByRole("button", { name: "Confirm new bank details" }).click();
    await expect.poll(() => page.getByText("New bank details confirmed").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("The supplier submitted new bank details").isVisible()).toBe(false);
    expect((await db.supplierRemittance.findFirstOrThrow({ where: { supplierId } })).status).toBe("CONFIRMED");

    await page.goto(`${baseUrl}/app/suppliers/${supplierId}`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByText(`Payments go to: Account holder: Kingfisher Candle & Light Ltd · Bank: Westminster Bank · IBAN: ${IBAN}`).isVisible()).toBe(true);
    expect(unexpectedProblems()).toEqual([]);
  });
});

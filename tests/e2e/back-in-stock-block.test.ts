// The back-in-stock theme block in headless Chromium, on a page that mimics a product page
// (tests/fixtures/storefront/product.html: Small in stock, Large sold out). A tiny server in this test
// plays Shopify's storefront: it serves the page and the block's assets, and forwards
// /apps/back-in-stock/* to the app's proxy routes with a valid app-proxy signature, as Shopify does.
// The routes run in this process on a database of this file's own (a copy of the migrated template).
// The restock half of the acceptance line runs here too: the subscribed variant is received through
// the real receiving service (ledger → stock push → availability check), the queue workers run in this
// process, and the alert must arrive at a real SMTP server (smtp-server) listening in this process.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { signAppProxy } from "#sandbox/shopify/webhooks.ts";
import { randomSuffix, repoRoot } from "#tests/setup/infra.ts";
import { createOwnDatabase } from "#tests/support/own-database.ts";
import { openTestBrowserForFile } from "#tests/support/browser.ts";
import { startSmtpSink, type SmtpSink } from "#tests/support/smtp-sink.ts";
import type { RunningWorkers } from "#workers/index.ts";

const SHOP = "bis-e2e.myshopify.com";
const SECRET = "bis-e2e-api-secret";
const IN_STOCK = "41000000001";
const SOLD_OUT = "41000000002";
const fixture = join(repoRoot, "tests/fixtures/storefront/product.html");
const assetsDir = join(repoRoot, "extensions/back-in-stock/assets");

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response;

let server: Server;
let baseUrl: string;
let prisma: PrismaClient;
let releaseDatabase: () => Promise<void>;
let closeRateLimiter: () => Promise<void>;
let expectedEta: string;
let sink: SmtpSink;
let workers: RunningWorkers;
let receivingFixture: { shopId: string; purchaseOrderId: string; lineId: string };
const savedEnv = { ...process.env };
const routes = new Map<string, { loader?: Handler; action?: Handler }>();
const { page, problems } = await openTestBrowserForFile();

/** Shopify's app proxy: the storefront query plus shop, path_prefix and timestamp, signed with the app secret. */
async function forwardToProxy(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const subpath = url.pathname.replace(/^\/apps\/back-in-stock\//, "");
  const route = routes.get(subpath);
  if (!route) return send(res, 404, "text/plain", "Not found");
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  Object.assign(params, { shop: SHOP, logged_in_customer_id: "", path_prefix: "/apps/back-in-stock", timestamp: String(Math.floor(Date.now() / 1000)) });
  params.signature = signAppProxy(SECRET, params);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const method = req.method ?? "GET";
  const request = new Request(`https://replenish.test/proxy/${subpath}?${new URLSearchParams(params).toString()}`, {
    method,
    headers: { "content-type": req.headers["content-type"] ?? "", "x-forwarded-for": "127.0.0.1" },
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
  const handler = method === "POST" ? route.action : route.loader;
  if (!handler) return send(res, 405, "text/plain", "Method not allowed");
  const response = await handler({ request, params: {}, context: {} });
  send(res, response.status, response.headers.get("content-type") ?? "application/json", await response.text());
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function storefront(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://storefront");
  if (url.pathname.startsWith("/apps/back-in-stock/")) return forwardToProxy(req, res, url);
  if (url.pathname === "/products/linen-shirt") return send(res, 200, "text/html; charset=utf-8", await readFile(fixture));
  const asset = /^\/assets\/(back-in-stock\.(js|css))$/.exec(url.pathname);
  if (asset) return send(res, 200, asset[2] === "js" ? "text/javascript" : "text/css", await readFile(join(assetsDir, asset[1]!)));
  send(res, 404, "text/plain", "Not found");
}

beforeAll(async () => {
  const database = await createOwnDatabase("bis");
  releaseDatabase = () => database.release();
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: inject("redisUrl"),
    QUEUE_PREFIX: `bis-e2e-${randomSuffix()}`,
    SHOPIFY_API_KEY: "bis-e2e-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://replenish.test",
    APP_SECRET: "bis-e2e-app-secret-0123456789abcdef0123456789",
    LOG_LEVEL: "silent",
  });
  sink = await startSmtpSink();
  process.env.SMTP_URL = sink.url;
  delete process.env.DEMO_MODE;
  (await import("#app/env.server.ts")).resetEnvForTests();
  ({ prisma } = await import("#app/db.server.ts"));
  ({ closeRateLimiter } = await import("#app/lib/rate-limit.server.ts"));
  const { expectedShipMessage } = await import("#app/domain/back-in-stock/expected-ship-date.ts");
  const subscribe = await import("#app/routes/proxy.subscribe.tsx");
  const eta = await import("#app/routes/proxy.eta.tsx");
  routes.set("subscribe", { loader: subscribe.loader as Handler, action: subscribe.action as Handler });
  routes.set("eta", { loader: eta.loader as Handler });

  // The shop, its two variants and an open PO bringing the sold-out one in three weeks.
  const shop = await prisma.shop.create({ data: { domain: SHOP, name: "Harbor & Pine", settings: { create: {} } } });
  await prisma.sku.create({ data: { shopId: shop.id, code: "SHIRT-S", title: "Linen shirt", variantTitle: "Small", shopifyVariantId: `gid://shopify/ProductVariant/${IN_STOCK}` } });
  const soldOut = await prisma.sku.create({ data: { shopId: shop.id, code: "SHIRT-L", title: "Linen shirt", variantTitle: "Large", shopifyVariantId: `gid://shopify/ProductVariant/${SOLD_OUT}` } });
  const supplier = await prisma.supplier.create({ data: { shopId: shop.id, name: "Linen Mill" } });
  const location = await prisma.location.create({ data: { shopId: shop.id, name: "Warehouse" } });
  const arrival = new Date(`${new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
  const po = await prisma.purchaseOrder.create({
    include: { lines: true },
    data: {
      shopId: shop.id, number: "PO-2026-0001", supplierId: supplier.id, locationId: location.id, status: "CONFIRMED", expectedArrivalDate: arrival,
      lines: { create: { shopId: shop.id, skuId: soldOut.id, quantityOrdered: 24, unitCost: "18.00" } },
    },
  });
  expectedEta = expectedShipMessage({ date: arrival, isoDate: arrival.toISOString().slice(0, 10) });
  receivingFixture = { shopId: shop.id, purchaseOrderId: po.id, lineId: po.lines[0]!.id };
  await prisma.sku.update({ where: { id: soldOut.id }, data: { price: "48.00", imageUrl: "https://cdn.example.test/linen-shirt.jpg" } });

  // The queue workers that deliver restock alerts, in this process, sending to the sink.
  const { startWorkers } = await import("#workers/index.ts");
  const { deliverNotification, deliverNotificationBatch, sweepOutbox } = await import("#workers/processors/notification-delivery.ts");
  const { notifyRestockJob, closeDiscontinuedJob } = await import("#workers/processors/back-in-stock.ts");
  workers = await startWorkers({
    syncSchedulers: false,
    processors: {
      notifications: { "deliver-notification": deliverNotification, "deliver-batch": deliverNotificationBatch, "sweep-outbox": sweepOutbox },
      "back-in-stock": { "notify-restock": notifyRestockJob, "close-discontinued": closeDiscontinuedJob },
    },
  });

  server = createServer((req, res) => {
    storefront(req, res).catch((error: unknown) => send(res, 500, "text/plain", String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (workers) {
    for (const name of ["notifications", "back-in-stock", "reorder", "channel-sync"] as const) await workers.queues.queue(name).obliterate({ force: true });
    await workers.close();
  }
  (await import("#app/lib/mailer.server.ts")).closeMailer();
  await (await import("#app/lib/queue.server.ts")).closeQueues();
  await sink?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await closeRateLimiter?.();
  const { disconnectPrisma } = await import("#app/db.server.ts");
  await disconnectPrisma();
  await releaseDatabase?.();
  // Later files in this fork must not inherit this file's database or secret.
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  (await import("#app/env.server.ts")).resetEnvForTests();
});

describe("back-in-stock block", () => {
  it("hides on the in-stock variant, shows with the ETA on the sold-out one, and subscribes", async () => {
    const etaRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/apps/back-in-stock/")) etaRequests.push(request.url());
    });
    await page.goto(`${baseUrl}/products/linen-shirt`, { waitUntil: "networkidle" });

    const block = page.locator("[data-bis]");
    await expect.poll(() => block.isHidden()).toBe(true);
    expect(etaRequests).toEqual([]); // nothing fetched for an in-stock variant

    await page.selectOption("#variant-select", SOLD_OUT);
    await expect.poll(() => block.isVisible()).toBe(true);
    await expect.poll(() => page.locator("[data-bis-eta]").textContent()).toBe(expectedEta);
    expect(new URL(page.url()).searchParams.get("variant")).toBe(SOLD_OUT);

    // Back to Small: the form goes away again.
    await page.selectOption("#variant-select", IN_STOCK);
    await expect.poll(() => block.isHidden()).toBe(true);
    await page.selectOption("#variant-select", SOLD_OUT);
    await expect.poll(() => block.isVisible()).toBe(true);

    // An invalid address is refused in the page, announced, and focus goes to the field.
    const email = page.getByLabel("Email");
    await email.fill("shopper@example");
    await page.getByRole("button", { name: "Notify me" }).click();
    const status = page.getByRole("status");
    await expect.poll(() => status.textContent()).toMatch(/valid email/);
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("bis-email-b1");

    await email.fill("Shopper@Example.com");
    await page.getByRole("button", { name: "Notify me" }).click();
    await expect.poll(() => status.textContent()).toMatch(/You're on the list/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("status");
    expect(await page.locator("[data-bis-form]").isHidden()).toBe(true);

    const rows = await prisma.backInStockSubscription.findMany({ include: { sku: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contact: "shopper@example.com", status: "ACTIVE", consentText: "We'll send you one message when this item is back in stock. No marketing." });
    expect(rows[0]!.sku.code).toBe("SHIRT-L");
    expect(etaRequests.filter((u) => u.includes("/eta?"))).toHaveLength(1); // cached per variant
    expect(problems).toEqual([]);

    // Half of the PO arrives (12 of 24 Large shirts; the rest keeps the ETA for the next test), through
    // the real receiving service.
    const { confirmReceipt } = await import("#app/services/receiving.server.ts");
    await confirmReceipt(receivingFixture.shopId, {
      purchaseOrderId: receivingFixture.purchaseOrderId,
      receiptKey: "bis-e2e-receipt-1",
      lines: [{ lineId: receivingFixture.lineId, received: 12 }],
    });
    const [mail] = await sink.waitForMessages((messages) => messages.some((m) => m.envelopeTo.includes("shopper@example.com")), 30_000);
    expect(mail).toMatchObject({ envelopeTo: ["shopper@example.com"], subject: "Back in stock: Linen shirt (Large)" });
    expect(mail!.text).toContain(`https://${SHOP}/cart/${SOLD_OUT}:1`);
    expect(mail!.text).toMatch(/https:\/\/replenish\.test\/bis\/unsubscribe\/[A-Za-z0-9_-]+/);
    expect(mail!.html).toContain("https://cdn.example.test/linen-shirt.jpg");
    expect(mail!.html).toContain("$48.00");
    await expect.poll(async () => (await prisma.notification.findFirst({ where: { recipient: "shopper@example.com", kind: "BACK_IN_STOCK" } }))?.status, { timeout: 10_000 }).toBe("SENT");
    expect((await prisma.backInStockSubscription.findFirstOrThrow({ where: { contact: "shopper@example.com" } })).status).toBe("NOTIFIED");
  });

  it("follows a theme's variant:change event and a ?variant= URL change on their own", async () => {
    await page.goto(`${baseUrl}/products/linen-shirt`, { waitUntil: "networkidle" });
    const block = page.locator("[data-bis]");
    await page.evaluate((id) => document.dispatchEvent(new CustomEvent("variant:change", { detail: { variant: { id: Number(id) } } })), SOLD_OUT);
    await expect.poll(() => block.isVisible()).toBe(true);
    await page.evaluate((id) => document.dispatchEvent(new CustomEvent("variant:change", { detail: { variant: { id: Number(id) } } })), IN_STOCK);
    await expect.poll(() => block.isHidden()).toBe(true);
    await page.evaluate((id) => history.replaceState({}, "", `?variant=${id}`), SOLD_OUT);
    await expect.poll(() => block.isVisible()).toBe(true);
    await expect.poll(() => page.locator("[data-bis-eta]").textContent()).toBe(expectedEta);
    // Typing in the block's own field must not make it follow the (unchanged) cart form back to Small.
    await page.getByLabel("Email").fill("other@example.com");
    await page.getByLabel("Email").blur();
    expect(await block.isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});

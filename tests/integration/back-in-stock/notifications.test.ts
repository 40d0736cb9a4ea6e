// Issue 6 items 3–7: restock alerts through the real receiving → ledger → stock-push path, a real
// BullMQ queue and a real SMTP server (and the Twilio fake for SMS); first come first served under the
// notify ratio; ETA-change updates to subscribers and backorder customers; discontinued closes with
// alternatives; unsubscribe and double opt-in links; the privacy webhooks; conversions and the CSV.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { createMailer, type Mailer } from "#app/lib/mailer.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { closeRateLimiter } from "#app/lib/rate-limit.server.ts";
import { createSmsClient } from "#app/lib/sms.server.ts";
import { backInStockReport } from "#app/models/back-in-stock-report.server.ts";
import { backInStockCsv, backInStockOverview, updateBackInStockSettings } from "#app/services/back-in-stock-admin.server.ts";
import { closeDiscontinued, notifyEtaChanged, onAvailabilityChanged } from "#app/services/back-in-stock-notify.server.ts";
import { subscribe } from "#app/services/back-in-stock.server.ts";
import { confirmReceipt } from "#app/services/receiving.server.ts";
import { action as confirmAction } from "#app/routes/bis.confirm.$token.tsx";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "#app/routes/bis.unsubscribe.$token.tsx";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { closeDiscontinuedJob, notifyRestockJob } from "#workers/processors/back-in-stock.ts";
import { deliverNotification, deliverNotificationBatch, sweepOutbox } from "#workers/processors/notification-delivery.ts";
import { defaultWebhookHandlers } from "#workers/processors/webhook-event.ts";
import { startTwilioSandbox, type TwilioSandbox } from "#sandbox/twilio/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, recordMovement } from "#tests/factories/index.ts";
import { startSmtpSink, type SinkMessage, type SmtpSink } from "#tests/support/smtp-sink.ts";
import { createReceivingFixture } from "../receiving/fixtures.ts";
import { obliterateAll, waitUntil } from "../workers/helpers.ts";

let sink: SmtpSink;
let twilio: TwilioSandbox;
let mailer: Mailer;
let running: RunningWorkers;

beforeAll(async () => {
  sink = await startSmtpSink();
  twilio = await startTwilioSandbox();
  mailer = createMailer({ smtpUrl: sink.url, from: "Replenish <no-reply@replenish.test>" });
});

afterAll(async () => {
  mailer.close();
  await sink.close();
  await twilio.close();
  await closeQueues();
  await closeRateLimiter();
});

beforeEach(async () => {
  await resetDatabase();
  sink.clear();
  twilio.messages.length = 0;
  running = await startWorkers({
    syncSchedulers: false,
    processors: {
      notifications: { "deliver-notification": deliverNotification, "deliver-batch": deliverNotificationBatch, "sweep-outbox": sweepOutbox },
      "back-in-stock": { "notify-restock": notifyRestockJob, "close-discontinued": closeDiscontinuedJob },
    },
    processorsDeps: { mailer, sms: createSmsClient({ apiBase: twilio.origin, accountSid: twilio.accountSid, authToken: twilio.authToken, from: "+15005550006" }) },
  });
});

afterEach(async () => {
  await obliterateAll(running.queues);
  await running.close();
});

const DAY = 86_400_000;

async function subscriber(shopId: string, skuId: string, contact: string, createdAt: Date, extra: { contactType?: "EMAIL" | "SMS"; status?: "ACTIVE" | "PENDING_CONFIRMATION" } = {}) {
  return prisma.backInStockSubscription.create({
    data: {
      shopId,
      skuId,
      contact,
      contactType: extra.contactType ?? "EMAIL",
      status: extra.status ?? "ACTIVE",
      consentAt: createdAt,
      consentText: "We'll send you one message when this item is back in stock.",
      unsubscribeToken: `tok_${contact.replace(/[^a-z0-9]/gi, "")}_${Math.random().toString(36).slice(2, 12)}`,
      createdAt,
    },
  });
}

const linkIn = (message: SinkMessage, pattern: RegExp) => pattern.exec(message.text)?.[0];

describe("restock notifications", () => {
  it("tells the first subscribers (ratio × units) when receiving brings a sold-out variant back, with image, price, cart and unsubscribe links", async () => {
    const f = await createReceivingFixture();
    const shop = await prisma.shop.update({ where: { id: f.shopId }, data: { name: "Harbor & Pine", settings: { update: { backInStockNotifyRatio: 1, backInStockSender: "Harbor & Pine <hello@harborpine.test>" } } } });
    await prisma.sku.update({ where: { id: f.plateId }, data: { imageUrl: "https://cdn.example.test/plate.jpg", price: "14.50", shopifyVariantId: "gid://shopify/ProductVariant/777" } });
    const t0 = Date.now() - 10 * DAY;
    const first = await subscriber(f.shopId, f.plateId, "first@example.test", new Date(t0));
    const second = await subscriber(f.shopId, f.plateId, "second@example.test", new Date(t0 + DAY));
    const third = await subscriber(f.shopId, f.plateId, "third@example.test", new Date(t0 + 2 * DAY));

    // Two plates arrive (the real receiving service → ledger → requestStockPush → availability check).
    await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "bis-receipt-0001", lines: [{ lineId: f.plateLineId, received: 2 }] }, { queues: running.queues });

    const messages = await sink.waitForMessages(2, 15_000);
    expect(messages.map((m) => m.envelopeTo[0]).sort()).toEqual(["first@example.test", "second@example.test"]);
    const mail = messages[0]!;
    expect(mail.subject).toBe("Back in stock: White plate");
    expect(mail.parsed?.from?.text).toBe('"Harbor & Pine" <hello@harborpine.test>');
    expect(mail.html).toContain('src="https://cdn.example.test/plate.jpg"');
    expect(mail.html).toContain("$14.50");
    expect(mail.text).toContain(`https://${shop.domain}/cart/777:1`);
    const unsubscribe = linkIn(mail, /https:\/\/[^\s]+\/bis\/unsubscribe\/[A-Za-z0-9_-]+/);
    expect(unsubscribe).toBeDefined();
    expect(mail.raw.toString("utf8")).toMatch(/^List-Unsubscribe:\s+<https:\/\/[^>]+\/bis\/unsubscribe\/[A-Za-z0-9_-]+>\r?$/m);
    expect(mail.raw.toString("utf8")).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    await waitUntil(async () => (await prisma.notification.count({ where: { shopId: f.shopId, status: "SENT" } })) === 2);
    const subs = await prisma.backInStockSubscription.findMany({ where: { shopId: f.shopId }, orderBy: { createdAt: "asc" } });
    expect(subs.map((s) => [s.id, s.status])).toEqual([
      [first.id, "NOTIFIED"],
      [second.id, "NOTIFIED"],
      [third.id, "ACTIVE"], // ratio 1 × 2 units: the third waits for the next restock
    ]);
    const rows = await prisma.notification.findMany({ where: { shopId: f.shopId } });
    expect(rows.every((r) => r.kind === "BACK_IN_STOCK" && r.providerMessageId && r.sentAt)).toBe(true);

    // The same restock reported again (Shopify's webhook echoing our push) tells nobody new.
    await onAvailabilityChanged(f.shopId, [{ skuId: f.plateId, after: 2 }], { queues: running.queues });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(sink.messages).toHaveLength(2);
    expect(await prisma.backInStockSubscription.count({ where: { shopId: f.shopId, status: "ACTIVE" } })).toBe(1);

    // The unsubscribe link: GET asks, POST unsubscribes (and a second POST is harmless).
    const token = unsubscribe!.split("/").at(-1)!;
    const view = await unsubscribeLoader({ params: { token }, request: new Request(unsubscribe!), context: {} });
    expect(view).toMatchObject({ valid: true, product: "White plate", shop: "Harbor & Pine" });
    const result = await unsubscribeAction({ params: { token }, request: new Request(unsubscribe!, { method: "POST", body: "List-Unsubscribe=One-Click" }), context: {} });
    expect(result).toMatchObject({ ok: true });
    expect((await prisma.backInStockSubscription.findFirstOrThrow({ where: { unsubscribeToken: token } })).status).toBe("UNSUBSCRIBED");
  });

  it("notifies everyone without a ratio, sends SMS through the Twilio-compatible API, and requests nothing while still sold out", async () => {
    const shop = await createShop({ name: "Tide Goods", settings: { create: { backInStockSmsEnabled: true } } });
    const location = await createLocation({ shopId: shop.id });
    const sku = await createSku({ shopId: shop.id, title: "Canvas tote", shopifyVariantId: "gid://shopify/ProductVariant/555" });
    const now = Date.now() - DAY;
    await subscriber(shop.id, sku.id, "a@example.test", new Date(now));
    await subscriber(shop.id, sku.id, "+14155550123", new Date(now + 1), { contactType: "SMS" });
    await subscriber(shop.id, sku.id, "c@example.test", new Date(now + 2));
    await subscriber(shop.id, sku.id, "pending@example.test", new Date(now + 3), { status: "PENDING_CONFIRMATION" });

    // Still sold out: nothing requested.
    expect(await onAvailabilityChanged(shop.id, [sku.id], { queues: running.queues })).toEqual({ requested: [] });
    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity: 1, kind: "ADJUSTMENT" });
    expect(await onAvailabilityChanged(shop.id, [sku.id], { queues: running.queues })).toEqual({ requested: [sku.id] });

    await sink.waitForMessages(2, 15_000);
    const [sms] = await twilio.waitForMessages(1, 15_000);
    expect(sms!.to).toBe("+14155550123");
    expect(sms!.body).toContain("Canvas tote is back in stock ($12.00)");
    expect(sms!.body).toContain(`https://${shop.domain}/cart/555:1`);
    await waitUntil(async () => (await prisma.notification.count({ where: { shopId: shop.id, status: "SENT" } })) === 3);
    // Unconfirmed (double opt-in) subscribers are not on the list yet.
    expect((await prisma.backInStockSubscription.findFirstOrThrow({ where: { contact: "pending@example.test" } })).status).toBe("PENDING_CONFIRMATION");
  });
});

describe("restock made in Shopify (inventory_levels/update)", () => {
  it("tells waiting subscribers when Shopify reports the variant available again, and not when it reports zero", async () => {
    const shop = await createShop({ name: "Tide Goods" });
    await createLocation({ shopId: shop.id, shopifyLocationId: "gid://shopify/Location/71", isDefault: true });
    const sku = await createSku({ shopId: shop.id, title: "Rope basket", shopifyVariantId: "gid://shopify/ProductVariant/8801" });
    await prisma.channelListing.create({ data: { shopId: shop.id, channel: "SHOPIFY", skuId: sku.id, externalId: "gid://shopify/ProductVariant/8801", externalItemId: "gid://shopify/InventoryItem/5501", status: "MAPPED" } });
    await subscriber(shop.id, sku.id, "waiting@example.test", new Date(Date.now() - DAY));
    const deps = { db: prisma, logger, now: () => new Date(), queues: running.queues, planForShop: async () => ({ suggestionCount: 0 }), webhookHandlers: defaultWebhookHandlers };
    const deliver = async (available: number) => {
      const key = `inv-${Math.random()}`;
      const event = await prisma.webhookEvent.create({
        data: { shopDomain: shop.domain, shopId: shop.id, topic: "inventory_levels/update", webhookId: key, dedupeKey: key, payload: { inventory_item_id: 5501, location_id: 71, available } },
      });
      return defaultWebhookHandlers["inventory_levels/update"]!(event, deps);
    };

    await deliver(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sink.messages).toHaveLength(0);
    // The merchant adds 4 units in Shopify's admin: our ledger still says 0, Shopify's figure counts.
    await deliver(4);
    const [mail] = await sink.waitForMessages(1, 15_000);
    expect(mail).toMatchObject({ envelopeTo: ["waiting@example.test"], subject: "Back in stock: Rope basket" });
  });
});

describe("ETA changes", () => {
  it("sends one update to subscribers and backorder customers: last week we said 2 weeks, now we expect April 3", async () => {
    const now = new Date("2026-03-20T12:00:00Z");
    const shop = await createShop({ name: "Harbor & Pine" });
    const sku = await createSku({ shopId: shop.id, title: "Linen shirt", variantTitle: "Large" });
    const subscribedAt = new Date(now.getTime() - 7 * DAY);
    await subscriber(shop.id, sku.id, "waiting@example.test", subscribedAt);
    const order = await prisma.salesOrder.create({
      data: { shopId: shop.id, channel: "SHOPIFY", externalId: "1001", placedAt: subscribedAt, customerEmail: "Buyer@Example.test", lines: { create: { shopId: shop.id, externalLineId: "1", skuId: sku.id, quantity: 1, unshippedQuantity: 1, unitPrice: "40.00" } } },
    });
    // A shipped order and a cancelled one are not backorders.
    await prisma.salesOrder.create({ data: { shopId: shop.id, channel: "SHOPIFY", externalId: "1002", placedAt: subscribedAt, customerEmail: "shipped@example.test", lines: { create: { shopId: shop.id, externalLineId: "1", skuId: sku.id, quantity: 1, unshippedQuantity: 0 } } } });
    await prisma.salesOrder.create({ data: { shopId: shop.id, channel: "SHOPIFY", externalId: "1003", placedAt: subscribedAt, cancelledAt: now, customerEmail: "cancelled@example.test", lines: { create: { shopId: shop.id, externalLineId: "1", skuId: sku.id, quantity: 1, unshippedQuantity: 1 } } } });

    const change = { skuId: sku.id, previousEta: new Date(subscribedAt.getTime() + 14 * DAY), newEta: new Date("2026-04-03T00:00:00Z"), purchaseOrderId: "po_1" };
    const result = await notifyEtaChanged(undefined, shop.id, change, { now, queues: running.queues });
    expect(result).toMatchObject({ subscribers: 1, backorders: 1 });
    const messages = await sink.waitForMessages(2, 15_000);
    expect(messages.map((m) => m.envelopeTo[0]).sort()).toEqual(["buyer@example.test", "waiting@example.test"]);
    for (const m of messages) {
      expect(m.subject).toBe("New expected date for Linen shirt (Large)");
      expect(m.text).toContain("Last week we said 2 weeks, now we expect April 3.");
    }
    expect(messages.find((m) => m.envelopeTo[0] === "buyer@example.test")!.text).toContain("the Linen shirt (Large) you ordered");
    expect((await prisma.notification.findFirstOrThrow({ where: { recipient: "buyer@example.test" } })).payload).toMatchObject({ salesOrderId: order.id });

    // Reported twice (a retried PO job), or in the caller's transaction: still one message each.
    const again = await prisma.$transaction((tx) => notifyEtaChanged(tx, shop.id, change, { now, queues: running.queues }));
    expect(again.ids).toEqual([]);
    expect(await prisma.notification.count({ where: { shopId: shop.id } })).toBe(2);
    // No move, no message.
    expect((await notifyEtaChanged(undefined, shop.id, { ...change, previousEta: change.newEta }, { now })).ids).toEqual([]);
  });
});

describe("discontinued variants", () => {
  it("closes alerts waiting over 90 days with up to three in-stock alternatives of the same product type", async () => {
    const now = new Date();
    const shop = await createShop({ name: "Harbor & Pine" });
    const location = await createLocation({ shopId: shop.id });
    const gone = await createSku({ shopId: shop.id, title: "Speckled mug", productType: "Mugs", status: "DISCONTINUED" });
    const alternatives = [];
    for (const [title, units] of [["Blue mug", 5], ["Green mug", 9], ["Red mug", 2], ["Grey mug", 1]] as const) {
      const alt = await createSku({ shopId: shop.id, title, productType: "Mugs" });
      await recordMovement({ shopId: shop.id, skuId: alt.id, locationId: location.id, quantity: units });
      alternatives.push(alt);
    }
    await createSku({ shopId: shop.id, title: "Sold-out mug", productType: "Mugs" });
    await createSku({ shopId: shop.id, title: "Linen shirt", productType: "Shirts" });
    const old = await subscriber(shop.id, gone.id, "old@example.test", new Date(now.getTime() - 100 * DAY));
    const recent = await subscriber(shop.id, gone.id, "recent@example.test", new Date(now.getTime() - 10 * DAY));

    expect(await closeDiscontinued({ shopId: shop.id }, { queues: running.queues, now: () => now })).toEqual({ closed: 1, shops: 1 });
    const [mail] = await sink.waitForMessages(1, 15_000);
    expect(mail!.envelopeTo).toEqual(["old@example.test"]);
    expect(mail!.subject).toBe("Speckled mug is no longer available");
    const listed = mail!.text.split("\n").filter((line) => line.startsWith("- ")).map((line) => line.slice(2).split(" (")[0]);
    expect(listed).toEqual(["Green mug", "Blue mug", "Red mug"]); // most units first, three at most, never sold-out ones
    expect((await prisma.backInStockSubscription.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("CLOSED");
    expect((await prisma.backInStockSubscription.findUniqueOrThrow({ where: { id: recent.id } })).status).toBe("ACTIVE");
    // The daily job again: nothing more.
    expect(await closeDiscontinued({}, { queues: running.queues, now: () => now })).toMatchObject({ closed: 0 });
  });
});

describe("double opt-in", () => {
  it("sends a confirmation link; only POST confirms, and a confirmed alert is then notified on restock", async () => {
    const shop = await createShop({ domain: "optin-shop.myshopify.com", name: "Tide Goods", settings: { create: { backInStockDoubleOptIn: true } } });
    const location = await createLocation({ shopId: shop.id });
    const sku = await createSku({ shopId: shop.id, title: "Canvas tote", shopifyVariantId: "gid://shopify/ProductVariant/901" });
    const answer = await subscribe(shop.domain, { variantId: "901", contact: "Shopper@Example.test", consentText: "One message when it is back.", ip: "10.0.0.1" });
    expect(answer).toMatchObject({ ok: true, status: "pending_confirmation" });
    const [optIn] = await sink.waitForMessages(1, 15_000);
    expect(optIn!.subject).toBe("Confirm your alert for Canvas tote");
    const link = linkIn(optIn!, /https:\/\/[^\s]+\/bis\/confirm\/[A-Za-z0-9_-]+/)!;
    const token = link.split("/").at(-1)!;

    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity: 3, kind: "ADJUSTMENT" });
    expect(await onAvailabilityChanged(shop.id, [sku.id], { queues: running.queues })).toEqual({ requested: [] }); // nobody confirmed yet

    const confirmed = await confirmAction({ params: { token }, request: new Request(link, { method: "POST" }), context: {} });
    expect(confirmed).toMatchObject({ ok: true });
    expect((await prisma.backInStockSubscription.findFirstOrThrow({ where: { shopId: shop.id } })).status).not.toBe("PENDING_CONFIRMATION");
    // Confirming while it is in stock sets the restock alert off at once.
    const messages = await sink.waitForMessages(2, 15_000);
    expect(messages[1]!.subject).toBe("Back in stock: Canvas tote");
  });
});

describe("privacy webhooks", () => {
  async function event(shopId: string, domain: string, topic: string, payload: object) {
    const key = `${topic}-${Math.random()}`;
    const row = await prisma.webhookEvent.create({ data: { shopDomain: domain, shopId, topic, webhookId: key, dedupeKey: key, payload } });
    const handler = defaultWebhookHandlers[topic]!;
    return handler(row, { db: prisma, logger, now: () => new Date(), queues: running.queues, planForShop: async () => ({ suggestionCount: 0 }), webhookHandlers: defaultWebhookHandlers });
  }

  it("customers/redact deletes that customer's subscriptions and messages; data_request exports them; shop/redact deletes all", async () => {
    const shop = await createShop({ settings: { create: { digestRecipients: ["owner@shop.test"] } } });
    const sku = await createSku({ shopId: shop.id, title: "Canvas tote" });
    const other = await createSku({ shopId: shop.id, title: "Linen shirt" });
    const gone = await subscriber(shop.id, sku.id, "gone@example.test", new Date());
    await subscriber(shop.id, other.id, "gone@example.test", new Date());
    await subscriber(shop.id, sku.id, "+14155550199", new Date(), { contactType: "SMS" });
    await subscriber(shop.id, sku.id, "stays@example.test", new Date());
    await prisma.notification.create({ data: { shopId: shop.id, channel: "EMAIL", kind: "BACK_IN_STOCK", recipient: "gone@example.test", bodyText: "x", dedupeKey: "n1", subscriptionId: gone.id, status: "SENT" } });

    const request = await event(shop.id, shop.domain, "customers/data_request", { customer: { id: 7, email: "GONE@example.test", phone: "+1 415 555 0199" }, data_request: { id: 1 } });
    expect(request).toMatchObject({ note: expect.stringContaining("3 subscription(s), 1 message(s)") });
    const [exported] = await sink.waitForMessages(1, 15_000);
    expect(exported!.envelopeTo).toEqual(["owner@shop.test"]);
    const json = JSON.parse(exported!.attachments[0]!.content.toString("utf8")) as { backInStock: { subscriptions: { contact: string; product: string }[] } };
    expect(json.backInStock.subscriptions.map((s) => [s.contact, s.product]).sort()).toEqual([
      ["+14155550199", "Canvas tote"],
      ["gone@example.test", "Canvas tote"],
      ["gone@example.test", "Linen shirt"],
    ]);

    await event(shop.id, shop.domain, "customers/redact", { customer: { id: 7, email: "gone@example.test", phone: "+14155550199" }, orders_to_redact: [] });
    const left = await prisma.backInStockSubscription.findMany({ where: { shopId: shop.id } });
    expect(left.map((s) => s.contact)).toEqual(["stays@example.test"]);
    expect(await prisma.notification.count({ where: { shopId: shop.id, recipient: { in: ["gone@example.test", "+14155550199"] } } })).toBe(0);

    await event(shop.id, shop.domain, "shop/redact", { shop_id: 1, shop_domain: shop.domain });
    expect(await prisma.backInStockSubscription.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("admin figures", () => {
  it("counts waiting demand, sends, conversions within 7 days and recovered revenue, exports CSV, validates settings", async () => {
    const shop = await createShop();
    const sku = await createSku({ shopId: shop.id, code: "TOTE-1", title: "Canvas tote" });
    const notifiedAt = new Date("2026-03-01T10:00:00Z");
    const a = await subscriber(shop.id, sku.id, "a@example.test", new Date("2026-02-01T00:00:00Z"));
    const b = await subscriber(shop.id, sku.id, "b@example.test", new Date("2026-02-02T00:00:00Z"));
    await subscriber(shop.id, sku.id, "c@example.test", new Date("2026-02-03T00:00:00Z"));
    await prisma.backInStockSubscription.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { status: "NOTIFIED", notifiedAt } });
    for (const s of [a, b]) await prisma.notification.create({ data: { shopId: shop.id, channel: "EMAIL", kind: "BACK_IN_STOCK", recipient: s.contact, bodyText: "x", dedupeKey: `r-${s.id}`, subscriptionId: s.id, status: "SENT" } });
    // a orders within 7 days (2 × 20.00, one refunded → 20.00); b orders on day 8 (too late).
    await prisma.salesOrder.create({ data: { shopId: shop.id, channel: "SHOPIFY", externalId: "2001", placedAt: new Date(notifiedAt.getTime() + 2 * DAY), customerEmail: "A@example.test", lines: { create: { shopId: shop.id, externalLineId: "1", skuId: sku.id, quantity: 2, refundedQuantity: 1, unitPrice: "20.00" } } } });
    await prisma.salesOrder.create({ data: { shopId: shop.id, channel: "SHOPIFY", externalId: "2002", placedAt: new Date(notifiedAt.getTime() + 8 * DAY), customerEmail: "b@example.test", lines: { create: { shopId: shop.id, externalLineId: "1", skuId: sku.id, quantity: 1, unitPrice: "20.00" } } } });

    const overview = await backInStockOverview(shop.id);
    expect(overview.rows).toEqual([expect.objectContaining({ code: "TOTE-1", waiting: 1, notified: 2, sent: 2, failed: 0, converted: 1, recoveredRevenue: "20.00" })]);
    expect(overview.totals).toMatchObject({ waiting: 1, sent: 2, converted: 1, recoveredRevenue: "20.00" });
    expect((await backInStockReport(shop.id)).rows[0]!.converted).toBe(1); // recording twice counts once

    const { csv, filename } = await backInStockCsv(shop.id, new Date("2026-03-20T00:00:00Z"));
    expect(filename).toBe("back-in-stock-2026-03-20.csv");
    expect(csv.split(/\r?\n/)[0]).toBe("sku,product,status,waiting,pending_confirmation,notified,sent,failed,converted,recovered_revenue,oldest_waiting_since");
    expect(csv.split(/\r?\n/)[1]).toBe("TOTE-1,Canvas tote,ACTIVE,1,0,2,2,0,1,20.00,2026-02-03");

    expect(await updateBackInStockSettings(shop.id, { smsEnabled: "true", doubleOptIn: "false", sender: "not an address", notifyRatio: "0" })).toEqual({
      ok: false,
      errors: { sender: expect.stringMatching(/email address/), notifyRatio: expect.stringMatching(/0.5 to 100/) },
    });
    expect(await updateBackInStockSettings(shop.id, { smsEnabled: "true", doubleOptIn: "true", sender: "Tide Goods <hi@tide.test>", notifyRatio: "1.5" })).toEqual({ ok: true });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ backInStockSmsEnabled: true, backInStockDoubleOptIn: true, backInStockSender: "Tide Goods <hi@tide.test>" });
    expect(overview.settings).toMatchObject({ smsEnabled: false, notifyRatio: null });
  });
});

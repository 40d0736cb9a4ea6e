import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Shop, Sku } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { closeRateLimiter, resetRateLimits } from "#app/lib/rate-limit.server.ts";
import { action as subscribeAction, loader as subscribeLoader } from "#app/routes/proxy.subscribe.tsx";
import { loader as etaLoader } from "#app/routes/proxy.eta.tsx";
import { SUBSCRIBE_RATE_LIMITS } from "#app/services/back-in-stock.server.ts";
import { createLocation, createShop, createSku, createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { proxyRequest, type ProxyRequestOptions } from "./proxy-helpers.ts";

const domain = "bis-shop.myshopify.com";
const CONSENT = "By signing up you agree to receive one email when this item is back in stock.";
let shop: Shop;
let sku: Sku;
let ipCounter = 0;

async function post(options: Partial<ProxyRequestOptions> & { body?: Record<string, string> } = {}) {
  const request = proxyRequest({
    shop: domain,
    path: "subscribe",
    query: { variant: "44100000001" },
    body: { email: "Shopper@Example.com", consent_text: CONSENT },
    // A fresh IP per call unless a test cares, so the per-IP limit never leaks between cases.
    ip: `198.51.100.${++ipCounter % 250}`,
    ...options,
  });
  const response = (await subscribeAction({ request, params: {}, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as { ok: boolean; message: string; status?: string } };
}

async function eta(variant: string) {
  const response = (await etaLoader({ request: proxyRequest({ shop: domain, path: "eta", query: { variant } }), params: {}, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as { ok: boolean; message: string; eta: string | null } };
}

beforeEach(async () => {
  await resetDatabase();
  // Counters live in Redis under this file's QUEUE_PREFIX; each test starts from empty windows.
  await resetRateLimits();
  shop = await createShop({ domain, name: "Harbor Goods" });
  sku = await createSku({ shopId: shop.id, title: "Linen shirt", variantTitle: "M", shopifyVariantId: "gid://shopify/ProductVariant/44100000001" });
});

afterAll(async () => {
  await closeRateLimiter();
});

describe("POST /proxy/subscribe", () => {
  it("stores one ACTIVE subscription with the consent text and time for a validly signed request", async () => {
    const before = Date.now();
    const { status, body } = await post();
    expect(status).toBe(201);
    expect(body).toMatchObject({ ok: true, status: "subscribed" });
    expect(body.message).toMatch(/on the list/);
    const rows = await prisma.backInStockSubscription.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shopId: shop.id, skuId: sku.id, contactType: "EMAIL", contact: "shopper@example.com", status: "ACTIVE", consentText: CONSENT });
    expect(rows[0]!.consentAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[0]!.unsubscribeToken.length).toBeGreaterThan(20);
    expect(await prisma.notification.count()).toBe(0);
  });

  it("refuses a request without a signature, with a message", async () => {
    const { status, body } = await post({ unsigned: true });
    expect(status).toBe(401);
    expect(body.ok).toBe(false);
    expect(body.message).toMatch(/verify/);
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("refuses a signed request whose variant was altered afterwards", async () => {
    await createSku({ shopId: shop.id, shopifyVariantId: "gid://shopify/ProductVariant/44100000002" });
    const { status } = await post({ tamper: { variant: "44100000002" } });
    expect(status).toBe(401);
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("refuses a request for another shop than the one signed, and one signed with the wrong secret", async () => {
    expect((await post({ tamper: { shop: "other-shop.myshopify.com" } })).status).toBe(401);
    expect((await post({ secret: "not-the-app-secret" })).status).toBe(401);
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("refuses a stale timestamp (outside Shopify's 90 s tolerance)", async () => {
    const { status } = await post({ timestamp: Math.floor(Date.now() / 1000) - 120 });
    expect(status).toBe(401);
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("answers 422 with a message to an invalid email and stores nothing", async () => {
    const { status, body } = await post({ body: { email: "shopper@example", consent_text: CONSENT } });
    expect(status).toBe(422);
    expect(body).toEqual({ ok: false, message: expect.stringMatching(/valid email/) as unknown });
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("refuses SMS while the shop has it off, validates E.164 once on, and normalises the number", async () => {
    const sms = (phone: string) => post({ body: { contact_type: "SMS", phone, consent_text: CONSENT } });
    const off = await sms("+14155550123");
    expect(off.status).toBe(422);
    expect(off.body.message).toMatch(/Text message alerts are not available/);

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { backInStockSmsEnabled: true } });
    const bad = await sms("415 555 0123");
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/country code/);
    expect(await prisma.backInStockSubscription.count()).toBe(0);

    const good = await sms("+1 (415) 555-0123");
    expect(good.status).toBe(201);
    expect(await prisma.backInStockSubscription.findFirstOrThrow()).toMatchObject({ contactType: "SMS", contact: "+14155550123" });
  });

  it("answers 404 with a message for a variant we do not know", async () => {
    const { status, body } = await post({ query: { variant: "999" } });
    expect(status).toBe(404);
    expect(body.message).toMatch(/not available/);
    expect(await prisma.backInStockSubscription.count()).toBe(0);
  });

  it("de-duplicates: the same contact and variant (any case, even simultaneously) is stored once", async () => {
    const answers = await Promise.all([post(), post({ body: { email: "SHOPPER@example.com", consent_text: CONSENT } }), post()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const duplicate = answers.find((a) => a.status === 200)!;
    expect(duplicate.body).toMatchObject({ ok: true, status: "already_subscribed" });
    expect(duplicate.body.message).toMatch(/already on the list/);
    expect(await prisma.backInStockSubscription.count()).toBe(1);
    // The numeric id and the gid name the same variant.
    expect((await post({ query: { variant: "gid://shopify/ProductVariant/44100000001" } })).status).toBe(200);
    expect(await prisma.backInStockSubscription.count()).toBe(1);
  });

  it("lets someone who unsubscribed sign up again (the row is revived, not duplicated)", async () => {
    await post();
    await prisma.backInStockSubscription.updateMany({ data: { status: "UNSUBSCRIBED" } });
    const again = await post();
    expect(again.status).toBe(201);
    expect(await prisma.backInStockSubscription.findMany()).toEqual([expect.objectContaining({ status: "ACTIVE" })]);
  });

  it("answers 429 past the per-IP limit and stores nothing extra", async () => {
    const limit = SUBSCRIBE_RATE_LIMITS.perIp.limit;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 3; i++) {
      statuses.push((await post({ ip: "192.0.2.55", body: { email: `burst${i}@example.com`, consent_text: CONSENT } })).status);
    }
    expect(statuses.slice(0, limit).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(limit)).toEqual([429, 429, 429]);
    const last = await post({ ip: "192.0.2.55", body: { email: "late@example.com", consent_text: CONSENT } });
    expect(last.body).toEqual({ ok: false, message: expect.stringMatching(/Too many attempts/) as unknown });
    expect(await prisma.backInStockSubscription.count()).toBe(limit);
  });

  it("answers 429 past the per-contact limit even from different IPs", async () => {
    const variants = await Promise.all(
      Array.from({ length: SUBSCRIBE_RATE_LIMITS.perContact.limit + 1 }, (_, i) => createSku({ shopId: shop.id, shopifyVariantId: `gid://shopify/ProductVariant/5510${i}` })),
    );
    const statuses: number[] = [];
    for (const variant of variants) statuses.push((await post({ query: { variant: variant.shopifyVariantId!.split("/").pop()! } })).status);
    expect(statuses).toEqual([...Array<number>(SUBSCRIBE_RATE_LIMITS.perContact.limit).fill(201), 429]);
    expect(await prisma.backInStockSubscription.count()).toBe(SUBSCRIBE_RATE_LIMITS.perContact.limit);
  });

  it("with double opt-in: stores PENDING_CONFIRMATION and writes one OPT_IN outbox row", async () => {
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { backInStockDoubleOptIn: true } });
    const { status, body } = await post();
    expect(status).toBe(201);
    expect(body).toMatchObject({ ok: true, status: "pending_confirmation" });
    const subscription = await prisma.backInStockSubscription.findFirstOrThrow();
    expect(subscription).toMatchObject({ status: "PENDING_CONFIRMATION", confirmedAt: null });
    const outbox = await prisma.notification.findMany();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ shopId: shop.id, kind: "OPT_IN", channel: "EMAIL", recipient: "shopper@example.com", status: "PENDING", subscriptionId: subscription.id });
    expect(outbox[0]!.subject).toMatch(/Linen shirt \(M\)/);
    expect((await post()).status).toBe(200);
    expect(await prisma.notification.count()).toBe(1);
  });

  it("answers GET with 405", async () => {
    const response = (await subscribeLoader({ request: proxyRequest({ shop: domain, path: "subscribe", method: "GET" }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(405);
  });
});

describe("GET /proxy/eta", () => {
  async function purchaseOrder(status: "SENT" | "CONFIRMED" | "DRAFT" | "RECEIVED", arrival: string, lines: { ordered: number; received?: number }) {
    const supplier = await createSupplier({ shopId: shop.id });
    const location = await createLocation({ shopId: shop.id });
    return prisma.purchaseOrder.create({
      data: {
        shopId: shop.id,
        number: `PO-${Math.random().toString(36).slice(2, 8)}`,
        supplierId: supplier.id,
        locationId: location.id,
        status,
        expectedArrivalDate: new Date(arrival),
        lines: { create: { shopId: shop.id, skuId: sku.id, quantityOrdered: lines.ordered, quantityReceived: lines.received ?? 0, unitCost: "4.00" } },
      },
    });
  }

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it("answers the earliest open PO arrival that still has units to come", async () => {
    await purchaseOrder("SENT", inDays(30), { ordered: 20 });
    await purchaseOrder("CONFIRMED", inDays(12), { ordered: 10 });
    await purchaseOrder("CONFIRMED", inDays(5), { ordered: 10, received: 10 }); // nothing left on it
    await purchaseOrder("DRAFT", inDays(2), { ordered: 10 }); // not placed
    const { status, body } = await eta("44100000001");
    expect(status).toBe(200);
    expect(body.eta).toBe(inDays(12));
    expect(body.message).toMatch(/^Expected to ship by \w+ \d{1,2}, \d{4}$/);
  });

  it("answers eta null when nothing is on order or the variant is unknown", async () => {
    expect((await eta("44100000001")).body).toEqual({ ok: true, message: "", eta: null });
    expect((await eta("123")).body).toEqual({ ok: true, message: "", eta: null });
  });

  it("refuses an unsigned request", async () => {
    const response = (await etaLoader({ request: proxyRequest({ shop: domain, path: "eta", query: { variant: "44100000001" }, unsigned: true }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(401);
  });
});

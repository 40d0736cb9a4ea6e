import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { action as ordersCreate, loader as ordersCreateLoader } from "#app/routes/webhooks.orders.create.tsx";
import { MAX_WEBHOOK_BYTES } from "#app/services/webhook-intake.server.ts";
import { action as compliance } from "#app/routes/webhooks.compliance.tsx";
import { action as appUninstalled } from "#app/routes/webhooks.app.uninstalled.tsx";
import { createShop } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { signedWebhookRequest } from "#tests/support/shopify-webhook.ts";

const shop = "webhook-shop.myshopify.com";
const orderPayload = { id: 820982911946154500, admin_graphql_api_id: "gid://shopify/Order/820982911946154508", line_items: [{ id: 1, sku: "A-1", quantity: 2 }] };

function call(handler: typeof ordersCreate, request: Request) {
  return handler({ request, params: {}, context: {} }) as Promise<Response>;
}

async function webhookJobs() {
  const queue = getProducerQueues().queue("webhooks");
  return queue.getJobs(["waiting", "delayed", "active", "completed", "failed", "prioritized"]);
}

beforeEach(async () => {
  await resetDatabase();
  await getProducerQueues().queue("webhooks").obliterate({ force: true });
  await createShop({ domain: shop });
});

afterAll(async () => {
  await getProducerQueues().queue("webhooks").obliterate({ force: true });
  await closeQueues();
});

describe("webhook intake", () => {
  it("answers 401 to a wrong HMAC and stores nothing", async () => {
    const response = await call(ordersCreate, signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, secret: "not-the-app-secret" }));
    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
    expect(await webhookJobs()).toHaveLength(0);
  });

  it("answers 401 when the body was altered after signing", async () => {
    const request = signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload });
    const tampered = new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify({ ...orderPayload, id: 1 }) });
    expect((await call(ordersCreate, tampered)).status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("answers 400 when required Shopify headers are missing", async () => {
    const response = await call(ordersCreate, signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, omitHeaders: ["x-shopify-webhook-id"] }));
    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("answers 400 to a correctly signed body that is not JSON", async () => {
    const response = await call(ordersCreate, signedWebhookRequest({ topic: "orders/create", shop, payload: null, rawBody: "{not json" }));
    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("answers 413 to a body over the cap before reading it, declared or streamed, and stores nothing", async () => {
    const declared = signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload });
    const headers = new Headers(declared.headers);
    headers.set("content-length", String(MAX_WEBHOOK_BYTES + 1));
    expect((await call(ordersCreate, new Request(declared.url, { method: "POST", headers, body: "{}" }))).status).toBe(413);

    // Chunked, with no Content-Length: cut off once past the cap, long before the whole stream is read.
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const streamedHeaders = new Headers(declared.headers);
    streamedHeaders.delete("content-length");
    const streamed = new Request(declared.url, { method: "POST", headers: streamedHeaders, body: endless, duplex: "half" } as RequestInit);
    expect((await call(ordersCreate, streamed)).status).toBe(413);
    expect(pulled).toBeLessThan(MAX_WEBHOOK_BYTES / chunk.length + 4);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("stores a payload with escapes jsonb refuses (\\u0000, a lone surrogate) with U+FFFD in their place, so the delivery is kept", async () => {
    const rawBody = JSON.stringify({ ...orderPayload, name: "bad\u0000nul", lone: "x\ud800y", pair: "😀", note: "a\\u0000b" }).replace("😀", "\\ud83d\\ude00");
    expect(rawBody).toContain("\\u0000");
    expect(rawBody).toContain("\\ud800");
    expect(rawBody).toContain("\\ud83d\\ude00");
    const response = await call(ordersCreate, signedWebhookRequest({ topic: "orders/create", shop, payload: null, rawBody }));
    expect(response.status).toBe(200);
    const event = await prisma.webhookEvent.findFirstOrThrow();
    // A whole surrogate pair is a real character and an escaped backslash before "u0000" is text: both kept.
    expect(event.payload).toMatchObject({ name: "bad\ufffdnul", lone: "x\ufffdy", pair: "😀", note: "a\\u0000b" });
  });

  it("answers a GET with 405, not a missing-loader error", async () => {
    const response = ordersCreateLoader();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 200 to a right HMAC, stores the event for its shop and enqueues it by event id", async () => {
    const response = await call(ordersCreate, signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, eventId: "evt-1" }));
    expect(response.status).toBe(200);
    const events = await prisma.webhookEvent.findMany();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ topic: "orders/create", shopDomain: shop, dedupeKey: "evt-1", status: "RECEIVED" });
    expect(event!.shopId).toBe((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id);
    expect(event!.payload).toEqual(orderPayload);
    const jobs = await webhookJobs();
    expect(jobs.map((job) => [job.id, job.name, job.data])).toEqual([[`webhook-${event!.id}`, "process-webhook", { webhookEventId: event!.id }]]);
  });

  it("records a repeated delivery once and enqueues it once", async () => {
    const delivery = () => signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, webhookId: "wh-42", eventId: "evt-42" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(ordersCreate, delivery())).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(await prisma.webhookEvent.count()).toBe(1);
    expect(await webhookJobs()).toHaveLength(1);
  });

  it("de-duplicates on the webhook id when Shopify sends no event id", async () => {
    const delivery = () => signedWebhookRequest({ topic: "app/uninstalled", shop, payload: { domain: shop }, webhookId: "wh-7", omitHeaders: ["x-shopify-event-id"] });
    await call(appUninstalled, delivery());
    await call(appUninstalled, delivery());
    const events = await prisma.webhookEvent.findMany();
    expect(events.map((e) => [e.topic, e.dedupeKey])).toEqual([["app/uninstalled", "wh-7"]]);
  });

  it("stores a burst of concurrent deliveries in groups: each 200 only once stored and enqueued, repeats within a group once", async () => {
    // 60 at once (grouped into a few INSERTs and addBulks), 3 copies of one event among them.
    const requests = [
      ...Array.from({ length: 57 }, (_, i) => signedWebhookRequest({ topic: "orders/create", shop, payload: { ...orderPayload, id: i }, eventId: `burst-${i}` })),
      ...Array.from({ length: 3 }, () => signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, eventId: "burst-repeat" })),
    ];
    const statuses = await Promise.all(requests.map((request) => call(ordersCreate, request)));
    expect(statuses.map((response) => response.status)).toEqual(requests.map(() => 200));
    const events = await prisma.webhookEvent.findMany({ orderBy: { dedupeKey: "asc" } });
    expect(events).toHaveLength(58);
    expect(events.find((e) => e.dedupeKey === "burst-7")?.payload).toEqual({ ...orderPayload, id: 7 });
    const jobs = await webhookJobs();
    expect(jobs.map((job) => job.id).sort()).toEqual(events.map((e) => `webhook-${e.id}`).sort());
  });

  it("a delivery the database refuses fails alone, not the deliveries grouped with it", async () => {
    // Valid JSON that jsonb refuses (a number beyond numeric's range), among good deliveries arriving at the same moment.
    const poison = signedWebhookRequest({ topic: "orders/create", shop, payload: null, rawBody: '{"note":1e200000}', eventId: "poison" });
    const good = Array.from({ length: 5 }, (_, i) => signedWebhookRequest({ topic: "orders/create", shop, payload: { ...orderPayload, id: i }, eventId: `good-${i}` }));
    const responses = await Promise.all([poison, ...good].map((request) => call(ordersCreate, request).catch(() => new Response(null, { status: 500 }))));
    expect(responses.map((r) => r.status)).toEqual([500, 200, 200, 200, 200, 200]);
    expect((await prisma.webhookEvent.findMany()).map((e) => e.dedupeKey).sort()).toEqual(["good-0", "good-1", "good-2", "good-3", "good-4"]);
    expect(await webhookJobs()).toHaveLength(5);
  });

  it("answers 503 when the queue cannot take the job, and the retried delivery enqueues the stored event once", async () => {
    const queue = getProducerQueues().queue("webhooks");
    const addBulk = vi.spyOn(queue, "addBulk").mockRejectedValueOnce(new Error("Redis is down"));
    try {
      const delivery = () => signedWebhookRequest({ topic: "orders/create", shop, payload: orderPayload, eventId: "evt-503" });
      expect((await call(ordersCreate, delivery())).status).toBe(503);
      expect(await prisma.webhookEvent.count()).toBe(1); // stored before anything else
      expect(await webhookJobs()).toHaveLength(0);
      expect((await call(ordersCreate, delivery())).status).toBe(200); // Shopify's retry
      const [event] = await prisma.webhookEvent.findMany();
      expect((await webhookJobs()).map((job) => job.id)).toEqual([`webhook-${event!.id}`]);
    } finally {
      addBulk.mockRestore();
    }
  });

  it("accepts the mandatory compliance topics for shops it no longer knows", async () => {
    const response = await call(
      compliance,
      signedWebhookRequest({ topic: "shop/redact", shop: "gone.myshopify.com", payload: { shop_id: 1, shop_domain: "gone.myshopify.com" } }),
    );
    expect(response.status).toBe(200);
    const event = await prisma.webhookEvent.findFirstOrThrow();
    expect(event).toMatchObject({ topic: "shop/redact", shopDomain: "gone.myshopify.com", shopId: null });
  });
});

/**
 * npm run bench:sync [-- --skus 200 --runs 7 --webhooks 3000 --concurrency 10,25,50 --part all|receipt|intake]
 *
 * 1. Receipt → every channel: a shop with SKUs listed on Shopify, Amazon and eBay (the three local
 *    sandboxes, through the real clients), the real workers. Each run posts a receipt of every SKU
 *    through the ledger and asks for a stock push, as receiving does (requestStockPush), then times
 *    until all three sandboxes hold the new sellable quantities. Prints p50/p95/max.
 * 2. Webhook intake: signed orders/create deliveries through the real intake (HMAC verified by the
 *    Shopify SDK, stored in PostgreSQL by event id, enqueued in Redis, 200), `--concurrency` at a time.
 *    Prints deliveries/s, latency percentiles, the load average and this process's CPU time per
 *    delivery (the machine is shared: CPU per delivery is the figure that does not move with it;
 *    PostgreSQL's and Redis's own CPU is not in it), once per concurrency.
 *
 * Database: TEST_DATABASE_URL (a server where a scratch database is created and dropped), else
 * postgresql://postgres@127.0.0.1:5432/postgres when it answers, else an embedded PGlite (slower, and
 * pglite-socket mixes up concurrent connections: electric-sql/pglite#1046). Redis: REDIS_URL, else a
 * local one, else a redis-server started for the run.
 */
import { randomUUID } from "node:crypto";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { Session } from "@shopify/shopify-api";
import { startAmazonSandbox } from "#sandbox/amazon/server.ts";
import { startEbaySandbox } from "#sandbox/ebay/server.ts";
import { startShopifySandbox } from "#sandbox/shopify/index.ts";
import { ensureRedis } from "../../scripts/lib/redis-server.ts";
import { benchDatabase } from "./bench-database.ts";
import { signedWebhookRequest } from "#tests/support/shopify-webhook.ts";

const { values: args } = parseArgs({
  options: {
    skus: { type: "string", default: "200" },
    runs: { type: "string", default: "7" },
    webhooks: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "10,25,50" },
    part: { type: "string", default: "all" },
  },
});
const SKUS = Number(args.skus);
const RUNS = Number(args.runs);
const WEBHOOKS = Number(args.webhooks);
const CONCURRENCIES = args.concurrency.split(",").map(Number);
const PART = args.part as "all" | "receipt" | "intake";
const SECRET = "bench-api-secret";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function main() {
  const db = await benchDatabase("bench_sync");
  const redis = await ensureRedis(process.env.REDIS_URL);
  const shopify = await startShopifySandbox({ apiSecret: SECRET, apiKey: "bench-api-key", shopDomain: "bench-shop.myshopify.com" });
  const amazon = await startAmazonSandbox();
  const ebay = await startEbaySandbox();
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `bench-${Date.now().toString(36)}`,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://replenish.bench",
    SHOPIFY_ADMIN_ORIGIN: shopify.origin,
    APP_SECRET: "bench-app-secret-0123456789abcdef0123456789",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  });

  // App modules only after the environment is set (they read it once).
  const { prisma, disconnectPrisma } = await import("#app/db.server.ts");
  const { appendMovements } = await import("#app/models/ledger.server.ts");
  const { connectChannel } = await import("#app/models/channel-connection.server.ts");
  const { pullStock, requestStockPush } = await import("#app/services/stock-sync.server.ts");
  const { receiveShopifyWebhook } = await import("#app/services/webhook-intake.server.ts");
  const { closeQueues } = await import("#app/lib/queue.server.ts");
  const { sessionStorage } = await import("#app/shopify.server.ts");
  const { startWorkers } = await import("#workers/index.ts");

  // ── the shop: SKUs on three channels ──
  const domain = "bench-shop.myshopify.com";
  const shopifyLocation = shopify.store.addLocation({ name: "Main warehouse" });
  const variants = shopify.store.seed({ variants: SKUS, available: () => 10 });
  const shop = await prisma.shop.create({ data: { domain, name: "Bench shop", settings: { create: { channelBuffers: { AMAZON: 2, EBAY: 1 } } } } });
  const location = await prisma.location.create({ data: { shopId: shop.id, name: "Main warehouse", isDefault: true, shopifyLocationId: `gid://shopify/Location/${shopifyLocation.id}` } });
  const skus = await prisma.sku.createManyAndReturn({
    data: variants.map((v) => ({ shopId: shop.id, code: v.sku!, title: `Variant ${v.id}`, shopifyVariantId: `gid://shopify/ProductVariant/${v.id}` })),
  });
  await appendMovements(shop.id, skus.map((s) => ({ skuId: s.id, locationId: location.id, kind: "INITIAL" as const, quantity: 10, sourceType: "SEED", idempotencyKey: `open-${s.id}`, occurredAt: new Date() })));
  await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: shopify.issueAccessToken(), scope: "write_inventory" }));
  const offers = new Map<string, string>();
  for (const sku of skus) {
    amazon.state.addListing({ sku: sku.code, quantity: 10 });
    offers.set(sku.code, ebay.state.addListing({ sku: sku.code, quantity: 10 }).offer.offerId);
  }
  await connectChannel(shop.id, "SHOPIFY", { settings: {} });
  // Listings Items patches rather than the JSON feed (whose processing real Amazon takes minutes for).
  await connectChannel(shop.id, "AMAZON", {
    settings: { region: "na", sellerId: amazon.state.sellerId, marketplaceId: amazon.state.marketplaceId, loopbackPort: amazon.port, feedThreshold: 100_000 },
    credentials: { clientId: amazon.state.clientId, clientSecret: amazon.state.clientSecret, refreshToken: amazon.state.refreshToken },
  });
  await connectChannel(shop.id, "EBAY", {
    settings: { marketplaceId: "EBAY_US", loopbackPort: ebay.port },
    credentials: { appId: ebay.state.appId, certId: ebay.state.certId, accessToken: ebay.state.issueToken("user").token, refreshToken: ebay.state.refreshToken },
  });
  await pullStock(shop.id, "SHOPIFY"); // Shopify listings map by identity (the variants the SKUs came from)
  await prisma.channelListing.createMany({
    data: skus.flatMap((s) => [
      { shopId: shop.id, channel: "AMAZON" as const, externalId: s.code, externalSku: s.code, skuId: s.id, status: "MAPPED" as const, lastKnownQuantity: 10 },
      { shopId: shop.id, channel: "EBAY" as const, externalId: s.code, externalItemId: offers.get(s.code)!, externalSku: s.code, skuId: s.id, status: "MAPPED" as const, lastKnownQuantity: 10 },
    ]),
  });

  const workers = await startWorkers({ syncSchedulers: false });

  // ── 1. receipt → all three channels ──
  const itemOf = new Map(variants.map((v) => [v.sku!, v.inventoryItemId]));
  const shopifyQty = (code: string) => shopify.store.findLevel(itemOf.get(code)!, shopifyLocation.id)!.quantities.available;
  const times: number[] = [];
  let onHand = 10;
  for (let run = 1; run <= (PART === "intake" ? 0 : RUNS); run++) {
    const received = 5 + run;
    onHand += received;
    const started = performance.now();
    await appendMovements(shop.id, skus.map((s) => ({ skuId: s.id, locationId: location.id, kind: "RECEIPT" as const, quantity: received, sourceType: "RECEIPT", sourceId: `bench-${run}`, idempotencyKey: `bench-${run}-${s.id}`, occurredAt: new Date() })));
    await requestStockPush(shop.id, skus.map((s) => s.id));
    const landed = () =>
      skus.every((s) => shopifyQty(s.code) === onHand && amazon.state.listings.get(s.code)?.quantity === onHand - 2 && ebay.state.items.get(s.code)?.quantity === onHand - 1);
    const deadline = started + 60_000;
    while (!landed()) {
      if (performance.now() > deadline) throw new Error(`run ${run}: quantities did not land within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    times.push(performance.now() - started);
  }
  await workers.close();

  // ── 2. webhook intake ──
  const order = { id: 1, admin_graphql_api_id: "gid://shopify/Order/1", created_at: new Date().toISOString(), updated_at: new Date().toISOString(), line_items: [{ id: 1, variant_id: variants[0]!.id, sku: variants[0]!.sku, quantity: 1 }] };
  process.env.SHOPIFY_API_SECRET = SECRET;
  const intakeRuns: Array<{ concurrency: number; perSecond: number; p50: number; p99: number; max: number; failures: number; cpuMsPerWebhook: number; load: string }> = [];
  for (const concurrency of PART === "receipt" ? [] : CONCURRENCIES) {
    // A short warm-up (JIT, pool connections), then the measured deliveries.
    for (let i = 0; i < 200; i++) await receiveShopifyWebhook(signedWebhookRequest({ topic: "orders/create", shop: domain, payload: order, eventId: randomUUID(), secret: SECRET }));
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const cpuBefore = process.cpuUsage();
    const startedIntake = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < WEBHOOKS) {
          next++;
          const request = signedWebhookRequest({ topic: "orders/create", shop: domain, payload: order, eventId: randomUUID(), secret: SECRET });
          const t = performance.now();
          const response = await receiveShopifyWebhook(request);
          latencies.push(performance.now() - t);
          if (response.status !== 200) failures++;
        }
      }),
    );
    const intakeSeconds = (performance.now() - startedIntake) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort((a, b) => a - b);
    intakeRuns.push({
      concurrency,
      perSecond: WEBHOOKS / intakeSeconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1)!,
      failures,
      cpuMsPerWebhook: (cpu.user + cpu.system) / 1000 / WEBHOOKS,
      load: loadavg().map((l) => l.toFixed(2)).join(" "),
    });
  }
  const stored = await prisma.webhookEvent.count({ where: { shopDomain: domain } });

  // Where one delivery's time goes, one at a time (no queueing), along the intake's own path: the HMAC
  // check, the one-row group INSERT, the addBulk of its job; and the SDK's validator for comparison.
  const { webhookValidator } = await import("#app/shopify.server.ts");
  const { verifyShopifyHmac } = await import("#app/services/webhook-intake.server.ts");
  const { recordWebhookEvents } = await import("#app/models/webhook-event.server.ts");
  const { getProducerQueues } = await import("#app/lib/queue.server.ts");
  const parts = { verify: 0, sdkVerify: 0, store: 0, enqueue: 0 };
  const SAMPLES = PART === "receipt" ? 0 : 300;
  for (let i = 0; i < SAMPLES; i++) {
    const eventId = randomUUID();
    const request = signedWebhookRequest({ topic: "orders/create", shop: domain, payload: order, eventId, secret: SECRET });
    const raw = Buffer.from(await request.clone().arrayBuffer());
    let t = performance.now();
    if (!verifyShopifyHmac(raw, request.headers.get("x-shopify-hmac-sha256")!, SECRET)) throw new Error("bench delivery failed the HMAC check");
    parts.verify += performance.now() - t;
    t = performance.now();
    const check = await webhookValidator.validate({ rawBody: raw.toString("utf8"), rawRequest: request });
    if (!check.valid) throw new Error(`bench delivery failed validation: ${check.reason}`);
    parts.sdkVerify += performance.now() - t;
    t = performance.now();
    const [stored] = await recordWebhookEvents([{ shopDomain: domain, topic: "orders/create", dedupeKey: eventId, webhookId: check.webhookId, apiVersion: null, triggeredAt: null, rawPayload: raw.toString("utf8") }]);
    parts.store += performance.now() - t;
    t = performance.now();
    await getProducerQueues().queue("webhooks").addBulk([{ name: "process-webhook", data: { webhookEventId: stored!.event.id }, opts: { jobId: `webhook-${stored!.event.id}` } }]);
    parts.enqueue += performance.now() - t;
  }

  // ── report ──
  times.sort((a, b) => a - b);
  const cpu = cpus();
  console.log(`Machine: ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}, Node ${process.version}; ${db.label}, Redis ${redis.url}`);
  if (times.length > 0) {
    console.log(`Receipt of ${SKUS} SKUs → Shopify + Amazon + eBay sandboxes hold the new quantities (${RUNS} runs, coalescing delay included):`);
    console.log(`  p50 ${ms(percentile(times, 50))}   p95 ${ms(percentile(times, 95))}   max ${ms(times.at(-1)!)}   (target p95 < 5000 ms)`);
  }
  if (intakeRuns.length > 0) {
    console.log(`Webhook intake (HMAC verify + store + enqueue, 200 only once stored and enqueued), ${WEBHOOKS} deliveries per concurrency (target ≥ 1000/s, p99 < 50 ms):`);
    for (const run of intakeRuns) {
      console.log(
        `  ${String(run.concurrency).padStart(3)} at a time: ${run.perSecond.toFixed(0)}/s   p50 ${run.p50.toFixed(1)} ms   p99 ${run.p99.toFixed(1)} ms   max ${run.max.toFixed(1)} ms   CPU ${run.cpuMsPerWebhook.toFixed(3)} ms/webhook (this process)   non-200: ${run.failures}   load ${run.load}`,
      );
    }
    console.log(`  stored: ${stored} (every delivery once, warm-ups included)`);
  }
  if (SAMPLES > 0) {
    const each = (n: number) => `${(n / SAMPLES).toFixed(2)} ms`;
    console.log(`  one delivery alone: verify (HMAC) ${each(parts.verify)} (the SDK's validator: ${each(parts.sdkVerify)}), store (one INSERT) ${each(parts.store)}, enqueue (addBulk) ${each(parts.enqueue)}`);
  }

  await closeQueues();
  await disconnectPrisma();
  await Promise.all([shopify.close(), amazon.close(), ebay.close()]);
  await db.stop();
  await redis.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

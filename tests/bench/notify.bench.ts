/**
 * npm run bench:notify [-- --subscribers 10000 --rate 2000]
 *
 * 10,000 shoppers wait for one sold-out variant. The variant is restocked through the ledger and the
 * stock-push request every stock change makes (as receiving does); the real workers then run the
 * notify-restock job (outbox rows in batches, NOTIFIED subscriptions) and deliver every email through
 * the SMTP mailer to a real SMTP server (the `smtp-server` package) in this process. Times until the
 * server has received all messages, and until every outbox row is SENT. Target: under 60 s.
 *
 * `--concurrency` overrides the notifications worker's concurrency (default: queueConcurrency, 20).
 * `--rate` is the provider rate limit the notifications worker respects (NOTIFICATIONS_PER_SECOND);
 * a real provider's limit (e.g. 100/s on an entry plan) bounds the time from below at subscribers/rate.
 *
 * Database: TEST_DATABASE_URL (a scratch database is created and dropped there), else
 * postgresql://postgres@127.0.0.1:5432/postgres when it answers, else an embedded PGlite.
 * Redis: REDIS_URL, else a local one, else a redis-server started for the run.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { startSmtpSink } from "#sandbox/smtp/index.ts";
import { ensureRedis } from "../../scripts/lib/redis-server.ts";
import { benchDatabase } from "./bench-database.ts";

const { values: args } = parseArgs({
  options: { subscribers: { type: "string", default: "10000" }, rate: { type: "string", default: "2000" }, concurrency: { type: "string" } },
});
const SUBSCRIBERS = Number(args.subscribers);
const RATE = Number(args.rate);
const CONCURRENCY = args.concurrency ? Number(args.concurrency) : undefined;

async function main() {
  const db = await benchDatabase("bench_notify");
  const redis = await ensureRedis(process.env.REDIS_URL);
  const sink = await startSmtpSink({ parse: false });
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `bench-notify-${Date.now().toString(36)}`,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret",
    SHOPIFY_APP_URL: "https://replenish.bench",
    APP_SECRET: "bench-app-secret-0123456789abcdef0123456789",
    SMTP_URL: sink.url,
    NOTIFICATIONS_PER_SECOND: String(RATE),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  });

  // App modules only after the environment is set (they read it once).
  const { prisma, disconnectPrisma } = await import("#app/db.server.ts");
  const { appendMovements } = await import("#app/models/ledger.server.ts");
  const { requestStockPush } = await import("#app/services/stock-sync.server.ts");
  const { closeQueues } = await import("#app/lib/queue.server.ts");
  const { closeMailer } = await import("#app/lib/mailer.server.ts");
  const { startWorkers } = await import("#workers/index.ts");
  const { deliverNotification, deliverNotificationBatch, sweepOutbox } = await import("#workers/processors/notification-delivery.ts");
  const { notifyRestockJob, closeDiscontinuedJob } = await import("#workers/processors/back-in-stock.ts");

  const shop = await prisma.shop.create({ data: { domain: "bench-shop.myshopify.com", name: "Bench shop", settings: { create: {} } } });
  const location = await prisma.location.create({ data: { shopId: shop.id, name: "Main warehouse", isDefault: true } });
  const sku = await prisma.sku.create({
    data: { shopId: shop.id, code: "TOTE-SAND", title: "Canvas tote", variantTitle: "Sand", price: "29.00", imageUrl: "https://cdn.example.test/tote.jpg", shopifyVariantId: "gid://shopify/ProductVariant/4242" },
  });
  const t0 = Date.now() - 30 * 86_400_000;
  for (let i = 0; i < SUBSCRIBERS; i += 5_000) {
    await prisma.backInStockSubscription.createMany({
      data: Array.from({ length: Math.min(5_000, SUBSCRIBERS - i) }, (_, k) => {
        const n = i + k;
        return { shopId: shop.id, skuId: sku.id, contactType: "EMAIL" as const, contact: `shopper${n}@example.test`, consentAt: new Date(t0 + n * 1000), consentText: "One message when it is back.", unsubscribeToken: `bench_${n.toString(36).padStart(12, "0")}`, createdAt: new Date(t0 + n * 1000) };
      }),
    });
  }

  // Only the two queues this measures get workers; the reorder and push jobs the restock asks for wait.
  const workers = await startWorkers({
    syncSchedulers: false,
    ...(CONCURRENCY ? { concurrency: { notifications: CONCURRENCY } } : {}),
    processors: {
      notifications: { "deliver-notification": deliverNotification, "deliver-batch": deliverNotificationBatch, "sweep-outbox": sweepOutbox },
      "back-in-stock": { "notify-restock": notifyRestockJob, "close-discontinued": closeDiscontinuedJob },
    },
  });

  const started = performance.now();
  await prisma.$transaction((tx) =>
    appendMovements(shop.id, [{ kind: "RECEIPT", skuId: sku.id, locationId: location.id, quantity: 500, occurredAt: new Date(), idempotencyKey: "bench-restock-1", sourceType: "BENCH", sourceId: "restock-1" }], tx),
  );
  await requestStockPush(shop.id, [sku.id], { queues: workers.queues });

  let lastPrint = 0;
  let queuedAt: number | undefined;
  while (sink.count < SUBSCRIBERS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const elapsed = performance.now() - started;
    if (queuedAt === undefined && (await workers.queues.queue("back-in-stock").getCompletedCount()) > 0) queuedAt = elapsed;
    if (elapsed - lastPrint > 5_000) {
      lastPrint = elapsed;
      process.stdout.write(`  … ${sink.count} delivered after ${(elapsed / 1000).toFixed(1)} s\n`);
    }
    if (elapsed > 600_000) throw new Error(`only ${sink.count} of ${SUBSCRIBERS} messages after 10 minutes`);
  }
  const delivered = performance.now() - started;
  for (;;) {
    const sent = await prisma.notification.count({ where: { shopId: shop.id, status: "SENT" } });
    if (sent >= SUBSCRIBERS) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const recorded = performance.now() - started;

  const recipients = new Set(sink.messages.flatMap((m) => m.envelopeTo));
  const [failed, notified] = await Promise.all([
    prisma.notification.count({ where: { shopId: shop.id, status: "FAILED" } }),
    prisma.backInStockSubscription.count({ where: { shopId: shop.id, status: "NOTIFIED" } }),
  ]);
  const sample = sink.messages[0]?.raw.toString("utf8") ?? "";

  const cpu = cpus();
  console.log(`Machine: ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}, Node ${process.version}; ${db.label}, Redis ${redis.url}`);
  console.log(`Restock of one variant with ${SUBSCRIBERS.toLocaleString("en-US")} waiting subscribers → every email handed to the local SMTP server (provider rate limit ${RATE}/s, ${CONCURRENCY ?? "default"} deliveries at a time):`);
  console.log(`  all ${sink.count.toLocaleString("en-US")} messages received by the SMTP server in ${(delivered / 1000).toFixed(2)} s = ${Math.round(SUBSCRIBERS / (delivered / 1000))} messages/s (target < 60 s)`);
  console.log(`  of which writing the ${SUBSCRIBERS.toLocaleString("en-US")} outbox rows and enqueueing their jobs (the notify-restock job): ${queuedAt === undefined ? "?" : `${(queuedAt / 1000).toFixed(2)} s`}`);
  console.log(`  all outbox rows SENT after ${(recorded / 1000).toFixed(2)} s; distinct recipients ${recipients.size.toLocaleString("en-US")}; FAILED ${failed}; subscriptions NOTIFIED ${notified.toLocaleString("en-US")}`);
  console.log(`  sample message: ${sample.length} bytes, subject "${/^Subject: (.*)$/m.exec(sample)?.[1] ?? "?"}"`);

  await workers.queues.queue("notifications").obliterate({ force: true }).catch(() => undefined);
  await workers.queues.queue("back-in-stock").obliterate({ force: true }).catch(() => undefined);
  for (const name of ["reorder", "channel-sync"] as const) await workers.queues.queue(name).obliterate({ force: true }).catch(() => undefined);
  await workers.close();
  await closeQueues();
  closeMailer();
  await sink.close();
  await disconnectPrisma();
  await db.stop();
  await redis.stop();
  if (recipients.size !== SUBSCRIBERS || failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

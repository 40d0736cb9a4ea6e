// The acceptance line "a job runs through a real BullMQ queue on Redis and the same processor directly":
// each processor is called directly and through a real Worker, with the same deps, and must leave the
// same rows behind; plus how errors become retries, rate limits or permanent failures.
import type { ReorderRun, WebhookEvent } from "@prisma/client";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { closeQueues, enqueue } from "#app/lib/queue.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { startWorkers, type RunningWorkers, type StartWorkersOptions } from "#workers/index.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { planForShopNotWired, runReorder, type PlanForShop } from "#workers/processors/reorder.ts";
import { defaultWebhookHandlers, processWebhookEvent } from "#workers/processors/webhook-event.ts";
import { jobId } from "#workers/queues.ts";
import { syncShopSchedulers } from "#workers/schedulers.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop, createSku } from "#tests/factories/index.ts";
import { obliterateAll, waitForFinished, waitUntil } from "./helpers.ts";

const NOW = new Date("2026-03-10T16:00:00.000Z"); // 2026-03-11 01:00 in Tokyo, 2026-03-10 12:00 in New York
const now = () => NOW;
const planForShop: PlanForShop = async ({ skuIds }) => ({ suggestionCount: skuIds ? skuIds.length : 2 });

let running: RunningWorkers | undefined;

async function start(options: StartWorkersOptions = {}): Promise<RunningWorkers> {
  running = await startWorkers({ syncSchedulers: false, ...options, processorsDeps: { now, planForShop, ...options.processorsDeps } });
  return running;
}

function directDeps(queues: RunningWorkers["queues"], overrides: Partial<ProcessorDeps> = {}): ProcessorDeps {
  return { db: prisma, logger, now, queues, planForShop, webhookHandlers: defaultWebhookHandlers, ...overrides };
}

beforeEach(async () => {
  await resetDatabase();
});

afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
});

afterAll(async () => {
  await closeQueues();
});

const comparableRun = ({ id: _id, ...rest }: ReorderRun) => rest;
const comparableEvent = ({ id: _id, dedupeKey: _d, webhookId: _w, receivedAt: _r, ...rest }: WebhookEvent) => rest;

describe("reorder processor", () => {
  it("writes the same ReorderRun when called directly and through a real queue", async () => {
    const { queues } = await start();
    const shop = await createShop({ timezone: "Asia/Tokyo" });
    for (let i = 0; i < 3; i++) await createSku({ shopId: shop.id });

    const direct = await runReorder({ shopId: shop.id, trigger: "MANUAL" }, directDeps(queues));
    const id = await enqueue("reorder", "run-reorder", { shopId: shop.id, trigger: "MANUAL" });
    const job = await waitForFinished(queues.queue("reorder"), id);

    expect(await job.getState()).toBe("completed");
    expect(direct).toMatchObject({ status: "COMPLETED", skuCount: 3, suggestionCount: 2 });
    expect(job.returnvalue).toMatchObject({ status: "COMPLETED", skuCount: 3, suggestionCount: 2 });
    const runs = await prisma.reorderRun.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(runs).toHaveLength(2);
    expect(comparableRun(runs[0]!)).toEqual(comparableRun(runs[1]!));
    expect(runs[0]).toMatchObject({
      status: "COMPLETED",
      trigger: "MANUAL",
      skuCount: 3,
      suggestionCount: 2,
      asOf: new Date("2026-03-11T00:00:00.000Z"), // the shop's local day, not UTC's
      finishedAt: NOW,
    });
  });

  it("records a FAILED run and retries when the engine is not wired", async () => {
    // startWorkers now defaults to the real engine (app/services/replenishment.server.ts); the
    // "not wired" placeholder is injected to keep testing how a failing engine is recorded and retried.
    running = await startWorkers({ syncSchedulers: false, processorsDeps: { now, planForShop: planForShopNotWired } });
    const { queues } = running;
    const shop = await createShop();

    await expect(runReorder({ shopId: shop.id, trigger: "NIGHTLY" }, directDeps(queues, { planForShop: planForShopNotWired }))).rejects.toMatchObject({
      kind: "unavailable",
      message: "reorder engine not wired yet",
    });
    const id = await enqueue("reorder", "run-reorder", { shopId: shop.id, trigger: "NIGHTLY" }, { attempts: 2, backoff: { type: "fixed", delay: 10 } });
    const job = await waitForFinished(queues.queue("reorder"), id);

    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(2); // "unavailable" is retried
    const runs = await prisma.reorderRun.findMany({ where: { shopId: shop.id } });
    expect(runs).toHaveLength(3);
    expect(runs.every((run) => run.status === "FAILED" && run.error === "reorder engine not wired yet")).toBe(true);
  });

  it("skips an uninstalled shop and fails for good on an unknown one", async () => {
    const { queues } = await start();
    const gone = await createShop({ status: "UNINSTALLED" });
    expect(await runReorder({ shopId: gone.id, trigger: "NIGHTLY" }, directDeps(queues))).toEqual({ status: "SKIPPED", reason: "shop is not active" });

    const id = await enqueue("reorder", "run-reorder", { shopId: "nosuchshop", trigger: "NIGHTLY" });
    const job = await waitForFinished(queues.queue("reorder"), id);
    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(1); // not_found → UnrecoverableError: no retries
    expect(job.failedReason).toBe("not_found: shop nosuchshop not found");
    expect(await prisma.reorderRun.count()).toBe(0);
  });
});

describe("webhook processor", () => {
  async function storeEvent(topic: string, shop: { id: string; domain: string } | null, key: string): Promise<WebhookEvent> {
    return prisma.webhookEvent.create({
      data: { topic, shopDomain: shop?.domain ?? "unknown.myshopify.com", shopId: shop?.id ?? null, dedupeKey: key, webhookId: `wh-${key}`, payload: {} },
    });
  }

  it("marks an unhandled topic PROCESSED with a note, directly and through the queue alike", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const a = await storeEvent("bulk_operations/finish", shop, "evt-a");
    const b = await storeEvent("bulk_operations/finish", shop, "evt-b");

    const direct = await processWebhookEvent({ webhookEventId: a.id }, directDeps(queues));
    const id = await enqueue("webhooks", "process-webhook", { webhookEventId: b.id }, { jobId: jobId("webhook", shop.id, b.dedupeKey) });
    const job = await waitForFinished(queues.queue("webhooks"), id);

    expect(job.returnvalue).toEqual(direct);
    expect(direct).toEqual({ status: "PROCESSED", topic: "bulk_operations/finish", note: "no handler for topic bulk_operations/finish yet (event recorded only)" });
    const [rowA, rowB] = await Promise.all([prisma.webhookEvent.findUniqueOrThrow({ where: { id: a.id } }), prisma.webhookEvent.findUniqueOrThrow({ where: { id: b.id } })]);
    expect(comparableEvent(rowA)).toEqual(comparableEvent(rowB));
    expect(rowA).toMatchObject({ status: "PROCESSED", attempts: 1, processedAt: NOW });
  });

  it("app/uninstalled marks the shop UNINSTALLED and removes its schedulers; a repeated job id runs once", async () => {
    const { queues } = await start();
    const shop = await createShop({ timezone: "America/New_York" });
    const other = await createShop({ timezone: "Asia/Tokyo" });
    await syncShopSchedulers(shop, queues);
    await syncShopSchedulers(other, queues);
    const event = await storeEvent("app/uninstalled", shop, "evt-uninstall");

    const key = jobId("webhook", shop.id, event.dedupeKey);
    const id = await enqueue("webhooks", "process-webhook", { webhookEventId: event.id }, { jobId: key });
    await waitForFinished(queues.queue("webhooks"), id);
    // Shopify retries the delivery: the route stores nothing new and enqueues the same job id again.
    expect(await enqueue("webhooks", "process-webhook", { webhookEventId: event.id }, { jobId: key })).toBe(key);

    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ status: "UNINSTALLED", uninstalledAt: NOW });
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "PROCESSED", attempts: 1, error: null });
    const schedulerIds = async () =>
      (await Promise.all(["reorder", "channel-sync", "reports"].map((q) => queues.queue(q as "reorder").getJobSchedulers(0, -1)))).flat().map((s) => s.key);
    const remaining = await schedulerIds();
    expect(remaining.filter((key) => key.endsWith(shop.id))).toEqual([]);
    expect(remaining.filter((key) => key.endsWith(other.id))).toHaveLength(4);
  });

  it("marks the event FAILED with the error and lets the job retry", async () => {
    let calls = 0;
    const { queues } = await start({
      processorsDeps: {
        webhookHandlers: {
          "orders/create": async () => {
            calls += 1;
            throw new AppError("unavailable", "database hiccup");
          },
        },
      },
    });
    const shop = await createShop();
    const event = await storeEvent("orders/create", shop, "evt-fail");

    const id = await enqueue("webhooks", "process-webhook", { webhookEventId: event.id }, { attempts: 2, backoff: { type: "fixed", delay: 10 } });
    const job = await waitForFinished(queues.queue("webhooks"), id);

    expect(await job.getState()).toBe("failed");
    expect(calls).toBe(2);
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "FAILED", attempts: 2, error: "database hiccup" });
  });

  it("fails for good when the event does not exist", async () => {
    const { queues } = await start();
    const id = await enqueue("webhooks", "process-webhook", { webhookEventId: "missing" });
    const job = await waitForFinished(queues.queue("webhooks"), id);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe("not_found: webhook event missing not found");
  });

  it.each([
    ["orders/create", { id: 1, created_at: "2026-03-10T10:00:00Z", updated_at: "2026-03-10T10:00:00Z", line_items: "oops" }, "the order body is malformed: line_items:"],
    ["orders/create", { id: 1, created_at: "2026-03-10T10:00:00Z", updated_at: "2026-03-10T10:00:00Z", line_items: [{ id: 9, variant_id: null, sku: "A", quantity: "abc" }] }, "line_items.0.quantity:"],
    ["orders/create", { id: 1, created_at: "not a date", updated_at: "2026-03-10T10:00:00Z" }, "created_at: not a date and time"],
    ["products/update", { title: "x", variants: { id: 1 } }, "the product body is malformed: variants:"],
    ["products/update", { title: "x", variants: [{ sku: null }] }, "variants.0.id:"],
    ["customers/redact", { customer: { email: 12345 } }, "the customers/redact body is malformed: customer.email:"],
  ])("fails a malformed %s body once, naming the field, and writes nothing (%j)", async (topic, payload, message) => {
    const { queues } = await start();
    const shop = await createShop();
    const event = await prisma.webhookEvent.create({ data: { topic, shopDomain: shop.domain, shopId: shop.id, dedupeKey: "bad", webhookId: "wh-bad", payload } });
    const id = await enqueue("webhooks", "process-webhook", { webhookEventId: event.id });
    const job = await waitForFinished(queues.queue("webhooks"), id);
    expect(job.attemptsMade).toBe(1); // invalid → UnrecoverableError: retrying cannot repair a body
    expect(job.failedReason).toContain(message);
    const stored = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored).toMatchObject({ status: "FAILED", attempts: 1, payload });
    expect(stored.error).toContain(message);
    expect(await prisma.channelListing.count()).toBe(0);
    expect(await prisma.salesOrder.count()).toBe(0);
  });
});

describe("error mapping through a real Worker", () => {
  const data = { shopId: "shop1", trigger: "MANUAL" } as const;

  it("retries a plain error with backoff until it succeeds", async () => {
    let calls = 0;
    const { queues } = await start({
      processors: {
        reorder: {
          "run-reorder": async () => {
            calls += 1;
            if (calls < 3) throw new Error("connection reset");
            return "done";
          },
        },
      },
    });
    const id = await enqueue("reorder", "run-reorder", data, { attempts: 3, backoff: { type: "exponential", delay: 10 } });
    const job = await waitForFinished(queues.queue("reorder"), id);
    expect(await job.getState()).toBe("completed");
    expect(job.returnvalue).toBe("done");
    expect(calls).toBe(3);
  });

  it.each(["invalid", "not_found", "forbidden", "auth"] as const)("does not retry %s", async (kind) => {
    let calls = 0;
    const { queues } = await start({
      processors: {
        reorder: {
          "run-reorder": async () => {
            calls += 1;
            throw new AppError(kind, "nope");
          },
        },
      },
    });
    const id = await enqueue("reorder", "run-reorder", data, { attempts: 5, backoff: { type: "fixed", delay: 10 } });
    const job = await waitForFinished(queues.queue("reorder"), id);
    expect(await job.getState()).toBe("failed");
    expect(job.failedReason).toBe(`${kind}: nope`);
    expect(calls).toBe(1);
  });

  it("rate_limited pauses the whole queue for retryAfterMs without spending an attempt", async () => {
    const starts: { job: string; at: number }[] = [];
    let limited = false;
    const { queues } = await start({
      processors: {
        reorder: {
          "run-reorder": async ({ shopId }) => {
            starts.push({ job: shopId, at: Date.now() });
            if (shopId === "first" && !limited) {
              limited = true;
              throw new AppError("rate_limited", "429 from channel", { retryAfterMs: 500 });
            }
            return "ok";
          },
        },
      },
    });
    // attempts: 1 — if the rate limit counted as a failed attempt, the job would fail.
    const first = await enqueue("reorder", "run-reorder", { shopId: "first", trigger: "MANUAL" }, { attempts: 1 });
    await waitUntil(() => limited);
    const limitedAt = starts[0]!.at;
    expect(await queues.queue("reorder").getRateLimitTtl()).toBeGreaterThan(0);
    const second = await enqueue("reorder", "run-reorder", { shopId: "second", trigger: "MANUAL" }, { attempts: 1 });

    const jobs = [await waitForFinished(queues.queue("reorder"), first), await waitForFinished(queues.queue("reorder"), second)];
    for (const job of jobs) expect(await job.getState()).toBe("completed");
    const later = starts.slice(1);
    expect(later.map((s) => s.job).sort()).toEqual(["first", "second"]);
    for (const s of later) expect(s.at - limitedAt).toBeGreaterThanOrEqual(400);
  });
});

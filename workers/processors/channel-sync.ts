import type { Channel } from "@prisma/client";
import { isChannelError, isNotConnectedYet } from "#app/channels/errors.ts";
import { AppError } from "#app/lib/app-error.ts";
import { recordConnectionError } from "#app/models/channel-connection.server.ts";
import type { ChannelSyncDeps } from "#app/services/channel-context.server.ts";
import { refreshShopifyOrderOfFulfillmentOrder, syncOrders } from "#app/services/order-sync.server.ts";
import { requestReorderForSkus } from "#app/services/replenishment.server.ts";
import { pullStock, pushStock, reconcileChannels, requestStockPush } from "#app/services/stock-sync.server.ts";
import { jobId, type JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/**
 * `channel-sync` jobs: each parses ids and calls one service (ARCHITECTURE principle 10). A channel's
 * failure is recorded on its connection (the admin shows it) and leaves as an AppError of the same kind,
 * so the bull adapter retries (unavailable), pauses the queue for the channel's retry-after
 * (rate_limited) or stops and shows it (auth, invalid). An uninstalled shop or a disconnected channel
 * makes every job a no-op, which is how uninstall stops jobs already queued.
 */

/** Follow-up pushes go through the worker's own queues (not the web's fail-fast producer). */
export function serviceDeps(deps: ProcessorDeps): ChannelSyncDeps {
  return {
    now: deps.now,
    requestStockPush: (shopId, skuIds) => requestStockPush(shopId, skuIds, { queues: deps.queues }),
    requestReorder: (shopId, skuIds) => requestReorderForSkus(shopId, skuIds, { queues: deps.queues, now: deps.now() }),
  };
}

export function toAppError(error: unknown): unknown {
  if (!isChannelError(error)) return error;
  return new AppError(error.kind, `${error.channel}: ${error.message}`, { cause: error, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) });
}

async function run<T>(deps: ProcessorDeps, shopId: string, channel: Channel | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isChannelError(error)) {
      // A rate limit is routine, not an error for the merchant to see; nor is a shop still installing.
      if (error.kind !== "rate_limited" && !isNotConnectedYet(error)) await recordConnectionError(shopId, error.channel, `${error.kind}: ${error.message}`, deps.now(), error.kind === "auth" ? { status: "ERROR" } : {});
    } else if (channel) {
      deps.logger.warn({ err: error, shopId, channel }, "channel sync failed");
    }
    throw toAppError(error);
  }
}

/** Pages per job: a long backlog (a first import) continues in a follow-up job instead of one endless job. */
export const ORDER_PAGES_PER_JOB = 100;

export async function pullOrdersJob(data: JobData<"channel-sync", "pull-orders">, deps: ProcessorDeps) {
  const result = await run(deps, data.shopId, data.channel, () => syncOrders(data.shopId, data.channel, serviceDeps(deps), { maxPages: ORDER_PAGES_PER_JOB }));
  if (!result.done) {
    // The cursor is saved with each page, so the next job resumes exactly where this one stopped.
    await deps.queues.enqueue("channel-sync", "pull-orders", { shopId: data.shopId, channel: data.channel }, { deduplication: { id: jobId("pull-orders-next", data.shopId, data.channel) }, removeOnComplete: { count: 100 } });
  }
  return result;
}

export async function refreshOrderJob(data: JobData<"channel-sync", "refresh-order">, deps: ProcessorDeps) {
  return run(deps, data.shopId, "SHOPIFY", () => refreshShopifyOrderOfFulfillmentOrder(data.shopId, data.fulfillmentOrderId, serviceDeps(deps)));
}

export async function pullStockJob(data: JobData<"channel-sync", "pull-stock">, deps: ProcessorDeps) {
  return run(deps, data.shopId, data.channel, () => pullStock(data.shopId, data.channel, serviceDeps(deps)));
}

export async function pushStockJob(data: JobData<"channel-sync", "push-stock">, deps: ProcessorDeps, runId?: string) {
  return run(deps, data.shopId, data.channel, () =>
    pushStock(data.shopId, { ...(data.skuIds ? { skuIds: data.skuIds } : {}), ...(data.channel ? { channel: data.channel } : {}), ...(runId ? { runId } : {}) }, serviceDeps(deps)),
  );
}

export async function reconcileJob(data: JobData<"channel-sync", "reconcile">, deps: ProcessorDeps) {
  return run(deps, data.shopId, data.channel, () => reconcileChannels(data.shopId, data.channel ? { channel: data.channel } : {}, serviceDeps(deps)));
}

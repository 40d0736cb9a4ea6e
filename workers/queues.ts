import { z } from "zod";
import type { DefaultJobOptions } from "bullmq";

/**
 * Every queue of the product, its job names and the shape of each job's data, in one place.
 *
 * Job data carries ids (and small scalars such as a trigger or a step), never secrets or copies of
 * rows: the processor loads the current state itself, so a retried or late job never acts on stale
 * data. The schemas are strict, so an unexpected field (a token someone thought handy) is rejected
 * when the job is enqueued rather than stored in Redis.
 *
 * This module is pure (no Redis connection), so unit tests and the web bundle's server side can
 * import it freely.
 */

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "must be an id (letters, digits, '_' or '-')");
const channel = z.enum(["SHOPIFY", "AMAZON", "EBAY"]);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a YYYY-MM-DD day");
const isoInstant = z.iso.datetime({ offset: true });

export const REORDER_TRIGGERS = ["NIGHTLY", "STOCK_CHANGE", "MANUAL"] as const;

export const jobSchemas = {
  reorder: {
    /** Plans replenishment for a shop (all SKUs, or only `skuIds` after a stock change). */
    "run-reorder": z.strictObject({
      shopId: id,
      trigger: z.enum(REORDER_TRIGGERS),
      skuIds: z.array(id).min(1).max(10_000).optional(),
    }),
  },
  "channel-sync": {
    /** Pulls orders changed since `since` (default: the connection's cursor). */
    "pull-orders": z.strictObject({ shopId: id, channel, since: isoInstant.optional() }),
    /** Pulls on-hand quantities from a channel (FBA stock, Shopify levels). */
    "pull-stock": z.strictObject({ shopId: id, channel }),
    /** Pushes our available quantities to every listing of the SKUs (all channels unless one is named). */
    "push-stock": z.strictObject({ shopId: id, skuIds: z.array(id).min(1).max(10_000).optional(), channel: channel.optional() }),
    /** Periodic repair: pulls what webhooks may have missed and re-pushes drifted quantities. */
    reconcile: z.strictObject({ shopId: id, channel: channel.optional() }),
    /** Re-reads the Shopify order of a fulfillment order that moved to another location. */
    "refresh-order": z.strictObject({ shopId: id, fulfillmentOrderId: z.string().regex(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/) }),
  },
  webhooks: {
    /** Processes one stored WebhookEvent row. */
    "process-webhook": z.strictObject({ webhookEventId: id }),
  },
  purchasing: {
    /** Sends a PO to its supplier. Multi-step: `step` records how far a previous attempt got. */
    "dispatch-po": z.strictObject({
      shopId: id,
      purchaseOrderId: id,
      step: z.enum(["render", "send", "record"]).default("render"),
      /** 1 = the first send; a merchant's "Resend" is 2, 3, … (each round is delivered once). */
      round: z.number().int().min(1).max(100).optional(),
    }),
    /** Reminds (level 1) or escalates (level 2) when a supplier has not confirmed a PO. */
    "follow-up": z.strictObject({ shopId: id, purchaseOrderId: id, level: z.number().int().min(1).max(2).optional() }),
    /** Hourly: due follow-ups, the weekly ship-date request (Monday morning local), carrier checks; every shop or one. */
    "purchasing-sweep": z.strictObject({ shopId: id.optional() }),
  },
  notifications: {
    /** Delivers one Notification outbox row (email/SMS). */
    "deliver-notification": z.strictObject({ shopId: id, notificationId: id }),
    /** Outbox repair: enqueues PENDING rows whose job was never added (a crash between commit and enqueue). */
    "sweep-outbox": z.strictObject({ olderThanMs: z.number().int().min(0).max(86_400_000).optional() }),
    /** Delivers up to 100 due outbox rows of one shop in one job (a restock's thousands of alerts). */
    "deliver-batch": z.strictObject({ shopId: id, notificationIds: z.array(id).min(1).max(100) }),
  },
  "back-in-stock": {
    /** Notifies subscribers of a SKU that came back in stock. */
    "notify-restock": z.strictObject({ shopId: id, skuId: id, restockedQuantity: z.number().int().positive().optional() }),
    /** Daily: closes subscriptions waiting > 90 days on discontinued variants, offering in-stock alternatives. */
    "close-discontinued": z.strictObject({ shopId: id.optional() }),
  },
  reports: {
    /** Records yesterday's (or `day`'s) shop snapshot, in the shop's time zone. */
    "daily-snapshot": z.strictObject({ shopId: id, day: isoDay.optional() }),
    /** Sends the merchant digest. */
    "weekly-digest": z.strictObject({ shopId: id }),
    /** Runs the anomaly detectors and refreshes today's snapshot: one shop, or every active shop (the 15-minute sweep). */
    "scan-anomalies": z.strictObject({ shopId: id.optional() }),
    /** Back-tests the engine on the shop's own history (the trust report); progress and figures go to the ReportRun row. */
    "trust-report": z.strictObject({ shopId: id, reportRunId: id }),
    /** Past forecasts against what then sold (reconstructs the weeks no stored reorder run covers); result in the ReportRun row. */
    "forecast-accuracy": z.strictObject({ shopId: id, reportRunId: id }),
  },
} as const;

type Schemas = typeof jobSchemas;

export type QueueName = keyof Schemas;
export type JobName<Q extends QueueName> = keyof Schemas[Q] & string;
/** What the producer passes (defaults may be omitted). */
export type JobInput<Q extends QueueName, J extends JobName<Q>> = Schemas[Q][J] extends z.ZodType ? z.input<Schemas[Q][J]> : never;
/** What the processor receives after parsing. */
export type JobData<Q extends QueueName, J extends JobName<Q>> = Schemas[Q][J] extends z.ZodType ? z.output<Schemas[Q][J]> : never;
/** Any job of a queue, discriminated by name: what a queue's processor sees. */
export type QueueJob<Q extends QueueName> = { [J in JobName<Q>]: { name: J; data: JobData<Q, J> } }[JobName<Q>];

export const QUEUE_NAMES = Object.keys(jobSchemas) as QueueName[];

export function isQueueName(value: string): value is QueueName {
  return Object.hasOwn(jobSchemas, value);
}

export function isJobName<Q extends QueueName>(queue: Q, name: string): name is JobName<Q> {
  return Object.hasOwn(jobSchemas[queue], name);
}

/**
 * Validates a job's data against its schema. Throws a ZodError for bad data and a plain Error for an
 * unknown job name; callers at the edges turn those into their own error (AppError('invalid') for a
 * producer, UnrecoverableError in a worker: bad data never becomes good by retrying).
 */
export function parseJobData<Q extends QueueName, J extends JobName<Q>>(queue: Q, name: J, data: unknown): JobData<Q, J> {
  const schemas = jobSchemas[queue] as Record<string, z.ZodType>;
  const schema = schemas[name];
  if (!schema) throw new Error(`Unknown job "${name}" on queue "${queue}"`);
  return schema.parse(data) as JobData<Q, J>;
}

/**
 * Retries: exponential backoff 5 s, 10 s, 20 s, 40 s (5 attempts, about a minute and a quarter in
 * all), enough to ride out a Redis failover or a channel's short outage; longer waits come from
 * rate-limit errors, which do not spend attempts. Finished jobs are kept long enough to de-duplicate
 * a repeated job id (a webhook retried by Shopify within a day) and to inspect failures for a week,
 * bounded by count so Redis memory stays flat.
 */
export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const satisfies DefaultJobOptions;

/** Per-queue differences from the defaults, each with its reason. */
export const queueJobOptions: Record<QueueName, DefaultJobOptions> = {
  // A failed nightly plan is retried, but not all night long: the next schedule comes tomorrow.
  reorder: { ...defaultJobOptions, attempts: 3, backoff: { type: "exponential", delay: 30_000 } },
  "channel-sync": defaultJobOptions,
  // Shopify stops re-sending after it got our 200, so the job is the only retry left: try longer.
  webhooks: { ...defaultJobOptions, attempts: 8 },
  purchasing: defaultJobOptions,
  notifications: defaultJobOptions,
  "back-in-stock": defaultJobOptions,
  reports: { ...defaultJobOptions, attempts: 3 },
};

/** Worker concurrency per queue: IO-bound queues run more at once; the engine is CPU-heavy. */
export const queueConcurrency: Record<QueueName, number> = {
  reorder: 2,
  "channel-sync": 5,
  webhooks: 10,
  purchasing: 3,
  // Deliveries wait on the provider's network round trip, not the CPU; the provider's rate limit is
  // the limiter's job (NOTIFICATIONS_PER_SECOND), so enough run at once to use it.
  notifications: 20,
  "back-in-stock": 3,
  reports: 1,
};

/**
 * A job id that de-duplicates: BullMQ ignores `add` while a job with the same id still exists
 * (waiting, active, or kept after completion). Shape `${kind}-${shopId}-${key}`, e.g.
 * `webhook-<shopId>-<eventId>` or `push-stock-<shopId>-<skuId>`. Colons are refused because BullMQ
 * builds Redis keys with them.
 */
export function jobId(kind: string, shopId: string, key: string | number): string {
  const parts = [kind, shopId, String(key)];
  for (const part of parts) {
    if (part.length === 0) throw new Error("jobId parts must not be empty");
    if (part.includes(":")) throw new Error(`jobId parts must not contain ":" (got "${part}")`);
  }
  return parts.join("-");
}

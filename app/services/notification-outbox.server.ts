import type { Prisma } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { getProducerQueues, type QueueRegistry } from "#app/lib/queue.server.ts";
import { parseJobData } from "#workers/queues.ts";

/**
 * The notifications outbox (ARCHITECTURE: "every email/SMS is written first, then delivered").
 *
 * 1. `queueNotifications(tx, …)` inserts the rows in the caller's transaction, so a message exists
 *    if and only if its cause (a restock, a PO, a subscription) was committed.
 * 2. After commit the caller calls `dispatchNotifications(shopId, ids)`, which adds one
 *    `deliver-notification` job per row (job id = notification id, so adding twice is harmless), or
 *    `deliver-batch` jobs of 100 when many are due at once.
 * 3. If the process dies between 1 and 2, or Redis was down, the `sweep-outbox` scheduler finds the
 *    PENDING rows nobody enqueued and enqueues them. A message is never lost, only late.
 *
 * (shopId, dedupeKey) is unique: the same cause queued twice (a retried job, a double submit) is
 * stored once and reported as a duplicate.
 */

export type NotificationChannel = "EMAIL" | "SMS";

export type NotificationAttachmentInput = { filename: string; contentType: string; contentBase64: string };

export type NotificationInput = {
  channel: NotificationChannel;
  /** BACK_IN_STOCK | ETA_UPDATE | DISCONTINUED | PURCHASE_ORDER | FOLLOW_UP | DIGEST | MERCHANT_ALERT | OPT_IN … */
  kind: string;
  /** Email address or E.164 phone number. */
  recipient: string;
  subject?: string | null;
  bodyText: string;
  bodyHtml?: string | null;
  /**
   * Free-form details kept with the row. The delivery worker reads `from`, `replyTo` and `headers`
   * (email) from it when present.
   */
  payload?: Record<string, unknown> | null;
  /** Unique per shop: the same key is delivered once, ever. */
  dedupeKey: string;
  subscriptionId?: string | null;
  /** Deliver no earlier than this (default: now). */
  scheduledAt?: Date;
  /** Email attachments, stored base64 in `payload.attachments`. */
  attachments?: NotificationAttachmentInput[];
};

export type QueuedNotifications = {
  /** Rows inserted now, in input order. */
  created: { id: string; dedupeKey: string }[];
  /** Their ids (what to pass to dispatchNotifications). */
  ids: string[];
  /** Dedupe keys that were already stored (or repeated in the input): skipped. */
  duplicates: string[];
};

type Tx = Pick<Prisma.TransactionClient, "notification">;

/** Postgres caps one statement at 65,535 bind parameters; 1,000 rows × 12 columns stays well below. */
const INSERT_CHUNK = 1_000;

export async function queueNotifications(tx: Tx, shopId: string, inputs: readonly NotificationInput[]): Promise<QueuedNotifications> {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const input of inputs) {
    if (seen.has(input.dedupeKey)) {
      duplicates.push(input.dedupeKey);
      continue;
    }
    seen.add(input.dedupeKey);
    rows.push(toRow(shopId, input));
  }

  const created: { id: string; dedupeKey: string }[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    // ON CONFLICT DO NOTHING on (shopId, dedupeKey): returns only the rows actually inserted.
    const inserted = await tx.notification.createManyAndReturn({ data: chunk, skipDuplicates: true, select: { id: true, dedupeKey: true } });
    const byKey = new Map(inserted.map((row) => [row.dedupeKey, row.id]));
    for (const row of chunk) {
      const id = byKey.get(row.dedupeKey);
      if (id) created.push({ id, dedupeKey: row.dedupeKey });
      else duplicates.push(row.dedupeKey);
    }
  }
  return { created, ids: created.map((row) => row.id), duplicates };
}

function toRow(shopId: string, input: NotificationInput): Prisma.NotificationCreateManyInput {
  if (input.dedupeKey.length === 0) throw new Error("queueNotifications: dedupeKey must not be empty");
  if (input.channel === "SMS" && input.attachments?.length) throw new Error("queueNotifications: SMS cannot carry attachments");
  const payload: Record<string, unknown> = { ...(input.payload ?? {}) };
  if (input.attachments?.length) payload.attachments = input.attachments;
  return {
    shopId,
    channel: input.channel,
    kind: input.kind,
    recipient: input.recipient,
    subject: input.subject ?? null,
    bodyText: input.bodyText,
    bodyHtml: input.bodyHtml ?? null,
    payload: Object.keys(payload).length > 0 ? (payload as Prisma.InputJsonObject) : undefined,
    dedupeKey: input.dedupeKey,
    subscriptionId: input.subscriptionId ?? null,
    ...(input.scheduledAt ? { scheduledAt: input.scheduledAt } : {}),
  };
}

export type DispatchOptions = {
  /** Defaults to the web process's fail-fast producer; workers pass `deps.queues`. */
  queues?: QueueRegistry;
  /** The wall clock BullMQ delays are measured against (default now); only tests set it. */
  now?: Date;
};

/** BullMQ's addBulk is one round trip per call; 500 jobs keeps each call small. */
const ENQUEUE_CHUNK = 500;

/**
 * Enqueues delivery of committed notification rows. Never throws: the rows are safe in the database,
 * so a Redis outage here only delays them until the sweeper runs (it is logged).
 */
export async function dispatchNotifications(shopId: string, ids: readonly string[], options: DispatchOptions = {}): Promise<{ enqueued: number }> {
  if (ids.length === 0) return { enqueued: 0 };
  try {
    const now = (options.now ?? new Date()).getTime();
    const rows: { id: string; scheduledAt: Date }[] = [];
    for (let i = 0; i < ids.length; i += 5_000) {
      rows.push(
        ...(await prisma.notification.findMany({
          where: { shopId, id: { in: ids.slice(i, i + 5_000) }, status: "PENDING" },
          select: { id: true, scheduledAt: true },
        })),
      );
    }
    return { enqueued: await enqueueDeliveries(options.queues ?? getProducerQueues(), shopId, rows, now) };
  } catch (error) {
    logger.warn({ err: error, shopId, count: ids.length }, "could not enqueue notifications; the outbox sweeper will");
    return { enqueued: 0 };
  }
}

/** From this many due rows on, deliveries go in batch jobs of BATCH_SIZE (a restock to thousands of shoppers). */
export const BATCH_FROM = 20;
export const BATCH_SIZE = 100;

/**
 * Adds the delivery jobs: one `deliver-notification` per row (job id = notification id, delayed until
 * scheduledAt), or, for many rows due now, `deliver-batch` jobs of up to 100 rows. A batch fans a row
 * that fails temporarily back out to its own deliver-notification job, so retries stay per message.
 */
export async function enqueueDeliveries(queues: QueueRegistry, shopId: string, rows: readonly { id: string; scheduledAt: Date }[], now: number): Promise<number> {
  const queue = queues.queue("notifications");
  const due = rows.filter((row) => row.scheduledAt.getTime() <= now);
  const batched = due.length >= BATCH_FROM ? due : [];
  const batchedIds = new Set(batched.map((row) => row.id));
  const single = rows.filter((row) => !batchedIds.has(row.id));
  const jobs: { name: "deliver-notification" | "deliver-batch"; data: unknown; opts: { jobId: string; delay?: number } }[] = [];
  for (let i = 0; i < batched.length; i += BATCH_SIZE) {
    const ids = batched.slice(i, i + BATCH_SIZE).map((row) => row.id);
    jobs.push({ name: "deliver-batch", data: parseJobData("notifications", "deliver-batch", { shopId, notificationIds: ids }), opts: { jobId: `batch-${ids[0]}-${ids.length}` } });
  }
  for (const row of single) {
    jobs.push({
      name: "deliver-notification",
      data: parseJobData("notifications", "deliver-notification", { shopId, notificationId: row.id }),
      opts: { jobId: row.id, delay: Math.max(0, row.scheduledAt.getTime() - now) },
    });
  }
  for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK) await queue.addBulk(jobs.slice(i, i + ENQUEUE_CHUNK));
  return rows.length;
}

/** One transaction that queues and, after commit, dispatches: for callers with nothing else to write. */
export async function queueAndDispatch(shopId: string, inputs: readonly NotificationInput[], options: DispatchOptions = {}): Promise<QueuedNotifications> {
  const queued = await prisma.$transaction((tx) => queueNotifications(tx, shopId, inputs));
  await dispatchNotifications(shopId, queued.ids, options);
  return queued;
}

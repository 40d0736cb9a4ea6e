import type { Notification } from "@prisma/client";
import { getEnv } from "#app/env.server.ts";
import { errorKind, errorRetryAfterMs } from "#app/lib/app-error.ts";
import { DeliveryError, getMailer, isPermanentDeliveryError, type EmailAttachment } from "#app/lib/mailer.server.ts";
import { acquireRateLimit } from "#app/lib/rate-limit.server.ts";
import { getSmsClient } from "#app/lib/sms.server.ts";
import { enqueueDeliveries } from "#app/services/notification-outbox.server.ts";
import { queueJobOptions, type JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/**
 * Delivers one outbox row: PENDING → SENDING → SENT (with the provider's message id), or FAILED with
 * the provider's error once retrying cannot help (a 5xx SMTP reply, an invalid number) or the
 * attempts are spent. Between attempts the row is back to PENDING with `lastError`, so the admin sees
 * why a message is late. Rate-limit answers pause the queue without spending an attempt.
 *
 * At-least-once: a worker that dies between the provider's "accepted" and our SENT update leaves the
 * row SENDING; after STALE_CLAIM_MS the sweeper enqueues it again and the message may go out twice.
 * The alternative (never resend a SENDING row) loses messages, which is worse for a restock alert.
 */

export const MAX_DELIVERY_ATTEMPTS = queueJobOptions.notifications.attempts ?? 5;

export type DeliveryResult =
  | { outcome: "sent"; providerMessageId: string }
  | { outcome: "skipped"; reason: "missing" | "already_sent" | "already_failed" | "being_sent" };

export async function deliverNotification(data: JobData<"notifications", "deliver-notification">, deps: ProcessorDeps): Promise<DeliveryResult> {
  const { db } = deps;
  const where = { id: data.notificationId, shopId: data.shopId };
  // Claim and read in one statement. Raw SQL on the two per-message statements: a restock sends
  // thousands of these, and they are the hot path (Prisma's query compiler cost more than the SMTP send).
  const [row] = await db.$queryRaw<Notification[]>`
    UPDATE "Notification" SET status = 'SENDING', attempts = attempts + 1, "scheduledAt" = ${deps.now()}
    WHERE id = ${data.notificationId} AND "shopId" = ${data.shopId}
      AND (status = 'PENDING' OR (status = 'SENDING' AND "scheduledAt" < ${staleClaim(deps)}))
    RETURNING *`;
  if (!row) {
    const existing = await db.notification.findFirst({ where, select: { status: true } });
    const reason = !existing ? "missing" : existing.status === "SENT" ? "already_sent" : existing.status === "SENDING" ? "being_sent" : "already_failed";
    return { outcome: "skipped", reason };
  }

  try {
    await acquireRateLimit(providerRate(), "all", 1);
    const providerMessageId = await send(row, deps);
    await db.$executeRaw`
      UPDATE "Notification" SET status = 'SENT', "providerMessageId" = ${providerMessageId}, "sentAt" = ${deps.now()}, "lastError" = NULL
      WHERE id = ${row.id}`;
    return { outcome: "sent", providerMessageId };
  } catch (error) {
    const outcome = await recordFailure(row, error, deps);
    // Kind "invalid" makes the adapter fail the job now: the row already says FAILED.
    if (outcome === "failed") throw new DeliveryError(`${isPermanentDeliveryError(error) ? "Permanent failure" : `Gave up after ${row.attempts} attempts`}: ${errorMessage(error)}`, { permanent: true, cause: error });
    throw error;
  }
}

/**
 * A claim (SENDING) records its time in scheduledAt (the row was due, so that field is free). A claim
 * older than this belongs to a worker that died mid-send: the row may be taken again. A younger one is
 * left alone, so a batch job and a single job for the same row never both send it.
 */
export const STALE_CLAIM_MS = 5 * 60_000;

function staleClaim(deps: ProcessorDeps): Date {
  return new Date(deps.now().getTime() - STALE_CLAIM_MS);
}

/** The provider's rate limit, shared by every worker process through Redis (single and batch jobs alike). */
function providerRate() {
  return { name: "notification-provider", limit: getEnv().NOTIFICATIONS_PER_SECOND, windowMs: 1_000 };
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
}

/**
 * Writes what a failed attempt means on the row: rate limited → PENDING with the attempt given back
 * (the provider asked us to slow down: not this message's fault); permanent, or the attempts spent →
 * FAILED (logged as an error: never silent); otherwise PENDING with the error, for the next attempt.
 */
async function recordFailure(row: Notification, error: unknown, deps: ProcessorDeps): Promise<"rate_limited" | "failed" | "retry"> {
  const message = errorMessage(error);
  if (errorKind(error) === "rate_limited") {
    await deps.db.notification.update({ where: { id: row.id }, data: { status: "PENDING", attempts: { decrement: 1 }, lastError: message } });
    return "rate_limited";
  }
  if (isPermanentDeliveryError(error) || row.attempts >= MAX_DELIVERY_ATTEMPTS) {
    await deps.db.notification.update({ where: { id: row.id }, data: { status: "FAILED", lastError: message } });
    deps.logger.error({ notificationId: row.id, shopId: row.shopId, kind: row.kind, channel: row.channel, attempts: row.attempts, err: error }, "notification failed for good");
    return "failed";
  }
  await deps.db.notification.update({ where: { id: row.id }, data: { status: "PENDING", lastError: message } });
  return "retry";
}

/** How many sends one batch job runs at once (the SMTP pool's connections do the rest). */
export const BATCH_PARALLEL = 10;
const RETRY_BASE_MS = 5_000;

/**
 * Delivers up to 100 rows in one job: one claim statement, sends `BATCH_PARALLEL` at a time under the
 * shared provider rate, one statement marking the sent ones SENT. A row that fails temporarily gets
 * its own deliver-notification job (delayed by the usual backoff), so its retries and its final FAILED
 * state are per message; a permanent failure is FAILED at once. A crash before the SENT statement
 * re-sends that batch on retry (at-least-once, as for single jobs).
 */
export async function deliverNotificationBatch(
  data: JobData<"notifications", "deliver-batch">,
  deps: ProcessorDeps,
): Promise<{ sent: number; failed: number; retrying: number; skipped: number }> {
  const rows = await deps.db.$queryRaw<Notification[]>`
    UPDATE "Notification" SET status = 'SENDING', attempts = attempts + 1, "scheduledAt" = ${deps.now()}
    WHERE id = ANY(${data.notificationIds}::text[]) AND "shopId" = ${data.shopId}
      AND (status = 'PENDING' OR (status = 'SENDING' AND "scheduledAt" < ${staleClaim(deps)}))
    RETURNING *`;
  const sentIds: string[] = [];
  const messageIds: string[] = [];
  let failed = 0;
  let retrying = 0;
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        await acquireRateLimit(providerRate(), "all", 1);
        const id = await send(row, deps);
        sentIds.push(row.id);
        messageIds.push(id);
      } catch (error) {
        const outcome = await recordFailure(row, error, deps);
        if (outcome === "failed") {
          failed++;
          continue;
        }
        retrying++;
        const delay = outcome === "rate_limited" ? (errorRetryAfterMs(error) ?? 1_000) : RETRY_BASE_MS * 2 ** Math.max(0, row.attempts - 1);
        await deps.queues.enqueue("notifications", "deliver-notification", { shopId: row.shopId, notificationId: row.id }, { jobId: row.id, delay });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_PARALLEL, rows.length) }, lane));
  if (sentIds.length > 0) {
    await deps.db.$executeRaw`
      UPDATE "Notification" AS n SET status = 'SENT', "providerMessageId" = v.mid, "sentAt" = ${deps.now()}, "lastError" = NULL
      FROM unnest(${sentIds}::text[], ${messageIds}::text[]) AS v(id, mid)
      WHERE n.id = v.id`;
  }
  return { sent: sentIds.length, failed, retrying, skipped: data.notificationIds.length - rows.length };
}

async function send(row: Notification, deps: ProcessorDeps): Promise<string> {
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  if (row.channel === "SMS") {
    const sms = deps.sms ?? getSmsClient();
    const sent = await sms.sendSms({ to: row.recipient, body: row.bodyText, from: typeof payload.smsFrom === "string" ? payload.smsFrom : undefined });
    return sent.messageId;
  }
  const mailer = deps.mailer ?? getMailer();
  const sent = await mailer.sendEmail({
    to: row.recipient,
    from: typeof payload.from === "string" ? payload.from : undefined,
    replyTo: typeof payload.replyTo === "string" ? payload.replyTo : undefined,
    subject: row.subject ?? "",
    text: row.bodyText,
    html: row.bodyHtml ?? undefined,
    headers: isStringRecord(payload.headers) ? payload.headers : undefined,
    attachments: readAttachments(payload.attachments),
  });
  return sent.messageId;
}

function readAttachments(value: unknown): EmailAttachment[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item: { filename?: unknown; contentType?: unknown; contentBase64?: unknown }) => ({
    filename: String(item.filename ?? "attachment"),
    contentType: String(item.contentType ?? "application/octet-stream"),
    content: Buffer.from(String(item.contentBase64 ?? ""), "base64"),
  }));
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string");
}

/** Rows younger than this are left to the dispatch that enqueued them (a big restock's batches may wait in line a while). */
export const SWEEP_GRACE_MS = 5 * 60_000;
const SWEEP_BATCH = 5_000;

/**
 * The outbox guarantee: PENDING rows that are due and older than the grace period get their job
 * (again). Adding an existing job id is a no-op in BullMQ, so rows that are merely waiting for a
 * retry are untouched.
 */
export async function sweepOutbox(data: JobData<"notifications", "sweep-outbox">, deps: ProcessorDeps): Promise<{ enqueued: number }> {
  const now = deps.now();
  const olderThan = new Date(now.getTime() - (data.olderThanMs ?? SWEEP_GRACE_MS));
  const rows = await deps.db.notification.findMany({
    where: { status: "PENDING", scheduledAt: { lte: now }, createdAt: { lte: olderThan } },
    select: { id: true, shopId: true, scheduledAt: true },
    orderBy: { scheduledAt: "asc" },
    take: SWEEP_BATCH,
  });
  const byShop = new Map<string, { id: string; scheduledAt: Date }[]>();
  for (const row of rows) {
    const list = byShop.get(row.shopId) ?? [];
    list.push(row);
    byShop.set(row.shopId, list);
  }
  let enqueued = 0;
  for (const [shopId, list] of byShop) enqueued += await enqueueDeliveries(deps.queues, shopId, list, now.getTime());
  // Claims left by a worker that died mid-send. Their first job is finished (BullMQ keeps its id for a
  // day), so the new job gets an id of its own.
  const stale = await deps.db.notification.findMany({
    where: { status: "SENDING", scheduledAt: { lt: staleClaim(deps) } },
    select: { id: true, shopId: true, attempts: true },
    take: SWEEP_BATCH,
  });
  for (const row of stale) {
    await deps.queues.enqueue("notifications", "deliver-notification", { shopId: row.shopId, notificationId: row.id }, { jobId: `${row.id}-stale-${row.attempts}` });
    enqueued++;
  }
  if (enqueued > 0) deps.logger.info({ enqueued }, "outbox sweep enqueued pending notifications");
  return { enqueued };
}

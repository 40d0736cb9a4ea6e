import type { Notification } from "@prisma/client";
import { errorKind } from "#app/lib/app-error.ts";
import { DeliveryError, getMailer, type EmailAttachment } from "#app/lib/mailer.server.ts";
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
 * row SENDING; BullMQ's stalled-job recovery runs it again and the message may go out twice. The
 * alternative (never resend a SENDING row) loses messages, which is worse for a restock alert.
 */

export const MAX_DELIVERY_ATTEMPTS = queueJobOptions.notifications.attempts ?? 5;

export type DeliveryResult =
  | { outcome: "sent"; providerMessageId: string }
  | { outcome: "skipped"; reason: "missing" | "already_sent" | "already_failed" };

export async function deliverNotification(data: JobData<"notifications", "deliver-notification">, deps: ProcessorDeps): Promise<DeliveryResult> {
  const { db } = deps;
  const where = { id: data.notificationId, shopId: data.shopId };
  const claimed = await db.notification.updateMany({
    where: { ...where, status: { in: ["PENDING", "SENDING"] } },
    data: { status: "SENDING", attempts: { increment: 1 } },
  });
  if (claimed.count === 0) {
    const row = await db.notification.findFirst({ where, select: { status: true } });
    return { outcome: "skipped", reason: !row ? "missing" : row.status === "SENT" ? "already_sent" : "already_failed" };
  }
  const row = await db.notification.findFirstOrThrow({ where });

  try {
    const providerMessageId = await send(row, deps);
    await db.notification.update({ where: { id: row.id }, data: { status: "SENT", providerMessageId, sentAt: deps.now(), lastError: null } });
    return { outcome: "sent", providerMessageId };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
    const rateLimited = errorKind(error) === "rate_limited";
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    if (rateLimited) {
      // The provider asked us to slow down: not this message's fault, so the attempt is given back.
      await db.notification.update({ where: { id: row.id }, data: { status: "PENDING", attempts: { decrement: 1 }, lastError: message } });
      throw error;
    }
    if (permanent || row.attempts >= MAX_DELIVERY_ATTEMPTS) {
      await db.notification.update({ where: { id: row.id }, data: { status: "FAILED", lastError: message } });
      deps.logger.error({ notificationId: row.id, shopId: row.shopId, kind: row.kind, channel: row.channel, attempts: row.attempts, err: error }, "notification failed for good");
      // Kind "invalid" makes the adapter fail the job now: the row already says FAILED.
      throw new DeliveryError(`${permanent ? "Permanent failure" : `Gave up after ${row.attempts} attempts`}: ${message}`, { permanent: true, cause: error });
    }
    await db.notification.update({ where: { id: row.id }, data: { status: "PENDING", lastError: message } });
    throw error;
  }
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

/** Rows younger than this are left to the dispatch that is about to enqueue them. */
export const SWEEP_GRACE_MS = 60_000;
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
  if (enqueued > 0) deps.logger.info({ enqueued }, "outbox sweep enqueued pending notifications");
  return { enqueued };
}

import { Prisma } from "@prisma/client";
import { enqueue } from "../lib/queue.server.ts";
import { logger } from "../lib/logger.server.ts";
import { recordWebhookEvent } from "../models/webhook-event.server.ts";

/**
 * Webhook intake (ARCHITECTURE principle 9): verify the HMAC, store the event keyed by
 * X-Shopify-Event-Id, enqueue its processing with the event id as job id, answer 200 — the work
 * happens in an idempotent job, so Shopify never waits on it.
 *
 * Nothing is lost: if the queue cannot take the job we answer 503, Shopify retries the delivery, the
 * stored row is found again and the job is enqueued then (same job id, so never twice).
 */
export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  const { authenticate } = await import("../shopify.server.ts");
  const topicHeader = request.headers.get("x-shopify-topic") ?? "";

  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error; // 401 wrong HMAC, 400 missing headers, 405 not POST
    if (error instanceof SyntaxError) return new Response("Webhook body is not valid JSON", { status: 400 });
    throw error;
  }

  const webhookId = context.webhookId;
  const eventId = "eventId" in context && typeof context.eventId === "string" && context.eventId ? context.eventId : undefined;
  const triggeredAt = "triggeredAt" in context && typeof context.triggeredAt === "string" ? new Date(context.triggeredAt) : null;

  const { event, created } = await recordWebhookEvent({
    shopDomain: context.shop,
    topic: topicHeader, // validation above guarantees X-Shopify-Topic, in Shopify's own spelling (orders/create)
    dedupeKey: eventId ?? webhookId,
    webhookId,
    apiVersion: context.apiVersion ?? null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: context.payload as Prisma.InputJsonValue,
  });

  if (event.status !== "RECEIVED") return new Response(null, { status: 200 }); // already handled
  try {
    await enqueue("webhooks", "process-webhook", { webhookEventId: event.id }, { jobId: `webhook-${event.id}` });
  } catch (error) {
    logger.error({ err: error, webhookEventId: event.id, topic: event.topic }, "webhook stored but not enqueued; asking Shopify to retry");
    return new Response("Queue unavailable, please retry", { status: 503 });
  }
  if (!created) logger.debug({ webhookEventId: event.id }, "repeated webhook delivery recorded once");
  return new Response(null, { status: 200 });
}

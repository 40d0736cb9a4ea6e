import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { enqueue } from "../lib/queue.server.ts";
import { logger } from "../lib/logger.server.ts";
import { recordWebhookEvent } from "../models/webhook-event.server.ts";

/**
 * Webhook intake (ARCHITECTURE principle 9): verify the HMAC, store the event keyed by
 * X-Shopify-Event-Id, enqueue its processing with the stored id as job id, answer 200 — the work
 * happens in an idempotent job, so Shopify never waits on it.
 *
 * Nothing is lost: if the queue cannot take the job we answer 503, Shopify retries the delivery, the
 * stored row is found again and the job is enqueued then (same job id, so never twice).
 *
 * Verification is the SDK's own `webhooks.validate` (see `webhookValidator` in shopify.server.ts).
 */
export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const { webhookValidator } = await import("../shopify.server.ts");

  const rawBody = await request.text();
  const check = await webhookValidator.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const unauthorized = check.reason === WebhookValidationErrorReason.InvalidHmac;
    return new Response(unauthorized ? "Unauthorized" : "Bad Request", { status: unauthorized ? 401 : 400 });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return new Response("Webhook body is not valid JSON", { status: 400 });
  }

  const eventId = check.webhookType === "webhooks" && check.eventId ? check.eventId : undefined;
  const triggeredAt = check.triggeredAt ? new Date(check.triggeredAt) : null;
  const { event, created } = await recordWebhookEvent({
    shopDomain: check.domain,
    // The SDK reports ORDERS_CREATE; we keep Shopify's own spelling (orders/create) from the header,
    // which validation above guarantees is present.
    topic: request.headers.get("x-shopify-topic") ?? check.topic,
    dedupeKey: eventId ?? check.webhookId,
    webhookId: check.webhookId,
    apiVersion: check.apiVersion || null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload,
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

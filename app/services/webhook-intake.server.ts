import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env.server.ts";
import { AppError } from "../lib/app-error.ts";
import { logger } from "../lib/logger.server.ts";
import { getProducerQueues, PRODUCER_TIMEOUT_MS } from "../lib/queue.server.ts";
import { recordWebhookEvents, type IncomingWebhookRaw, type StoredWebhook } from "../models/webhook-event.server.ts";

/**
 * Webhook intake (ARCHITECTURE principle 9): verify the HMAC, store the event keyed by
 * X-Shopify-Event-Id, enqueue its processing with the stored id as job id, answer 200 — the work
 * happens in an idempotent job, so Shopify never waits on it.
 *
 * Nothing is lost: a 200 is sent only after the row is committed and its job is in Redis. If the queue
 * cannot take the job we answer 503, Shopify retries the delivery, the stored row is found again and
 * the job is enqueued then (same job id, so never twice); the sweep of unprocessed events is the net
 * under that.
 *
 * Throughput (bench:sync): deliveries that arrive while a store is in flight are grouped (group commit):
 * one INSERT … ON CONFLICT for the group, one BullMQ addBulk, then each request gets its answer. An
 * idle intake stores a delivery at once; a busy one amortises the round trips over the whole group.
 */

/** Headers Shopify always sends; the SDK's validator answers 400 without them, and so do we. */
const REQUIRED_HEADERS = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

/**
 * X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app secret, raw body)), compared in constant time. The
 * same check as the SDK's `webhooks.validate`, without its per-request Request adaptation.
 */
export function verifyShopifyHmac(rawBody: Buffer, header: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  let given: Buffer;
  try {
    given = Buffer.from(header, "base64");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const headers = request.headers;
  const raw = Buffer.from(await request.arrayBuffer());
  if (REQUIRED_HEADERS.some((name) => !headers.get(name))) return new Response("Bad Request", { status: 400 });
  if (!verifyShopifyHmac(raw, headers.get("x-shopify-hmac-sha256")!, getEnv().SHOPIFY_API_SECRET)) return new Response("Unauthorized", { status: 401 });
  const rawPayload = raw.toString("utf8");
  try {
    JSON.parse(rawPayload); // stored as received; PostgreSQL parses it again into jsonb
  } catch {
    return new Response("Webhook body is not valid JSON", { status: 400 });
  }

  const webhookId = headers.get("x-shopify-webhook-id")!;
  const triggered = headers.get("x-shopify-triggered-at");
  const triggeredAt = triggered ? new Date(triggered) : null;
  let stored: { event: StoredWebhook; created: boolean };
  try {
    stored = await intake.store({
      shopDomain: headers.get("x-shopify-shop-domain")!,
      // Shopify's own spelling (orders/create), the key handlers are registered under.
      topic: headers.get("x-shopify-topic")!,
      dedupeKey: headers.get("x-shopify-event-id") || webhookId,
      webhookId,
      apiVersion: headers.get("x-shopify-api-version") || null,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      rawPayload,
    });
  } catch (error) {
    if (error instanceof QueueUnavailable) {
      logger.error({ err: error.cause, webhookEventId: error.eventId }, "webhook stored but not enqueued; asking Shopify to retry");
      return new Response("Queue unavailable, please retry", { status: 503 });
    }
    throw error;
  }
  if (!stored.created) logger.debug({ webhookEventId: stored.event.id }, "repeated webhook delivery recorded once");
  return new Response(null, { status: 200 });
}

class QueueUnavailable extends Error {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super("webhook stored but not enqueued", { cause });
  }
}

type Waiting = { row: IncomingWebhookRaw; resolve: (value: { event: StoredWebhook; created: boolean }) => void; reject: (error: unknown) => void };

/**
 * Group commit: at most MAX_IN_FLIGHT groups are being stored at once (each on its own pooled
 * connection); whatever arrives meanwhile waits for the next group, up to MAX_GROUP deliveries.
 */
const MAX_IN_FLIGHT = 4;
const MAX_GROUP = 200;

function createIntake() {
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule() {
    if (scheduled || inFlight >= MAX_IN_FLIGHT || waiting.length === 0) return;
    scheduled = true;
    // Let the deliveries already read in this turn of the event loop join the group.
    setImmediate(() => {
      scheduled = false;
      const group = waiting.slice(0, MAX_GROUP);
      waiting = waiting.slice(group.length);
      inFlight++;
      void flush(group).finally(() => {
        inFlight--;
        schedule();
      });
      schedule();
    });
  }

  async function flush(group: Waiting[]) {
    let results: Array<{ event: StoredWebhook; created: boolean }>;
    try {
      results = await recordWebhookEvents(group.map((w) => w.row));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One delivery PostgreSQL refuses (a \u0000 in its JSON, say) must not fail the others with it:
      // store them one by one, and only that one gets its error.
      for (const w of group) await flush([w]);
      return;
    }
    // Enqueue every stored, not yet processed event (a repeat of one whose job was lost gets it now).
    const toEnqueue = new Map<string, StoredWebhook>();
    for (const { event } of results) if (event.status === "RECEIVED") toEnqueue.set(event.id, event);
    let enqueueError: unknown;
    if (toEnqueue.size > 0) {
      try {
        const queue = getProducerQueues().queue("webhooks");
        await withTimeout(
          queue.addBulk([...toEnqueue.keys()].map((id) => ({ name: "process-webhook", data: { webhookEventId: id }, opts: { jobId: `webhook-${id}` } }))),
          PRODUCER_TIMEOUT_MS * 2,
        );
      } catch (error) {
        enqueueError = error;
      }
    }
    group.forEach((w, i) => {
      const result = results[i]!;
      if (enqueueError !== undefined && toEnqueue.has(result.event.id)) w.reject(new QueueUnavailable(result.event.id, enqueueError));
      else w.resolve(result);
    });
  }

  return {
    store(row: IncomingWebhookRaw): Promise<{ event: StoredWebhook; created: boolean }> {
      return new Promise((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        schedule();
      });
    },
  };
}

const intake = createIntake();

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AppError("unavailable", `The job queue (Redis) did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

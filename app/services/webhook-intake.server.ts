import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env.server.ts";
import { AppError } from "../lib/app-error.ts";
import { logger } from "../lib/logger.server.ts";
import { readBodyWithLimit } from "../lib/request-body.server.ts";
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

/**
 * The largest webhook body we read. Shopify's largest payloads (an order with hundreds of lines) are a
 * few hundred KB; the cap only bounds what an unsigned sender can make us hold before the HMAC check.
 */
export const MAX_WEBHOOK_BYTES = 16 * 1024 * 1024;

/**
 * JSON text PostgreSQL's jsonb will take. jsonb refuses two things JSON allows: the escape \u0000 (error
 * 22P05) and an escaped surrogate that is not half of a pair (\ud800 alone). A payload with either
 * would fail to store on every retry and the delivery would be lost, so each is stored as \ufffd (the
 * replacement character). Only the escapes are rewritten, never the rest of the text: Shopify's ids
 * exceed 2^53 and would not survive a parse and re-stringify.
 */
export function storableJsonText(json: string): string {
  if (!/\\u(?:0000|[dD][89a-fA-F])/.test(json)) return json;
  // Every escape, left to right, so an escaped backslash (\\) is consumed whole and never read as the
  // start of a \u escape.
  const escapes = [...json.matchAll(/\\(?:u([0-9a-fA-F]{4})|[^])/g)];
  const codeAt = (k: number) => (escapes[k]?.[1] === undefined ? null : parseInt(escapes[k]![1]!, 16));
  let out = "";
  let copiedUpTo = 0;
  for (let k = 0; k < escapes.length; k++) {
    const code = codeAt(k);
    if (code === null) continue;
    const at = escapes[k]!.index;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = codeAt(k + 1);
      if (next !== null && next >= 0xdc00 && next <= 0xdfff && escapes[k + 1]!.index === at + 6) {
        k++; // a whole pair
        continue;
      }
    } else if (code !== 0 && !(code >= 0xdc00 && code <= 0xdfff)) {
      continue;
    }
    out += json.slice(copiedUpTo, at) + "\\ufffd";
    copiedUpTo = at + 6;
  }
  return out + json.slice(copiedUpTo);
}

/** Webhook URLs only take POST; a GET (a browser, a probe) gets a plain 405, not Remix's missing-loader error. */
export function refuseWebhookGet(): Response {
  return new Response("This address only accepts Shopify webhook deliveries (POST)", { status: 405, headers: { Allow: "POST" } });
}

export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const headers = request.headers;
  if (REQUIRED_HEADERS.some((name) => !headers.get(name))) return new Response("Bad Request", { status: 400 });
  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BYTES);
  if (!body.ok) return new Response(`Webhook body is larger than ${MAX_WEBHOOK_BYTES / 1024 / 1024} MB`, { status: 413 });
  const raw = body.bytes;
  if (!verifyShopifyHmac(raw, headers.get("x-shopify-hmac-sha256")!, getEnv().SHOPIFY_API_SECRET)) return new Response("Unauthorized", { status: 401 });
  const rawPayload = storableJsonText(raw.toString("utf8"));
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

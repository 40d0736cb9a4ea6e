import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "./app-error.ts";

/**
 * The JSON POST that delivers a PO to a supplier whose delivery channel is API (docs/supplier-api.md).
 *
 * Signature header, Stripe-style so suppliers can reuse what they already verify:
 *   X-Replenish-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${raw body}`)>
 * The timestamp is signed with the body, so a captured request cannot be replayed later with a fresh
 * time; receivers should refuse t older than 5 minutes. X-Replenish-Delivery is the same on every
 * retry of one delivery, so a receiver that saw it already answers 2xx without booking twice.
 */

export const SIGNATURE_HEADER = "X-Replenish-Signature";
export const DELIVERY_HEADER = "X-Replenish-Delivery";
export const EVENT_HEADER = "X-Replenish-Event";
export const SIGNATURE_TOLERANCE_S = 300;

export function signWebhookBody(secret: string, body: string, timestampS: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampS}.${body}`).digest("hex");
  return `t=${timestampS},v1=${mac}`;
}

/** What a receiver does (used by the tests' fake supplier and shown in the docs). */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined, nowS: number): boolean {
  if (!header) return false;
  const parts = new Map(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowS - t) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(signWebhookBody(secret, body, t).split("v1=")[1]!, "hex");
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  event: string;
  deliveryId: string;
  payload: unknown;
  now: Date;
}

export interface WebhookAttemptOptions {
  fetch?: typeof fetch;
  /** Attempts within this call (the job retries the whole call later with backoff). */
  attempts?: number;
  /** Pause between attempts; tests pass 0. */
  delayMs?: number;
  timeoutMs?: number;
}

/**
 * POSTs the payload, retrying network errors, timeouts, 408, 429 and 5xx a few times with a short
 * pause. Throws AppError('unavailable') when those persist (the job retries later) and
 * AppError('invalid') for any other non-2xx answer: a 400/401/404 means our setup or theirs is wrong,
 * which retrying does not fix.
 */
export async function postSignedWebhook(delivery: WebhookDelivery, options: WebhookAttemptOptions = {}): Promise<{ status: number; attempts: number }> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  const delayMs = options.delayMs ?? 1_000;
  const body = JSON.stringify(delivery.payload);
  let lastProblem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const timestampS = Math.floor(delivery.now.getTime() / 1000);
    try {
      const response = await doFetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Replenish-PO-Webhook/1",
          [SIGNATURE_HEADER]: signWebhookBody(delivery.secret, body, timestampS),
          [DELIVERY_HEADER]: delivery.deliveryId,
          [EVENT_HEADER]: delivery.event,
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        redirect: "error",
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { status: response.status, attempts: attempt };
      if (response.status !== 408 && response.status !== 429 && response.status < 500) {
        throw new AppError("invalid", `The supplier's endpoint refused the purchase order (HTTP ${response.status})`);
      }
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof AppError) throw error;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (attempt < attempts && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
  }
  throw new AppError("unavailable", `The supplier's endpoint did not accept the purchase order after ${attempts} attempts (${lastProblem})`);
}

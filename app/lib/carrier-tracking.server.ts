import { AppError } from "./app-error.ts";

/**
 * Where a shipment is, by tracking number (issue 5, item 6). The scheduled check only needs "delivered
 * yet?" and the carrier's expected delivery day, so the interface is that small; one implementation
 * talks to an AfterShip-style REST API (base URL and key from the environment), and tests run it
 * against sandbox/carrier.
 */

export type ShipmentStage = "pending" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "unknown";

export interface ShipmentStatus {
  trackingNumber: string;
  stage: ShipmentStage;
  carrier: string | null;
  /** When the carrier says it was delivered. */
  deliveredAt: Date | null;
  /** The carrier's expected delivery day (YYYY-MM-DD), when it gives one. */
  expectedDelivery: string | null;
}

export interface CarrierTrackingProvider {
  /** One status per number asked for, in the same order. Unknown numbers are registered and come back "pending". */
  track(trackingNumbers: readonly string[]): Promise<ShipmentStatus[]>;
}

// AfterShip's checkpoint "tags" → our stages (https://www.aftership.com/docs/tracking/others/delivery-status).
const TAGS: Record<string, ShipmentStage> = {
  Pending: "pending",
  InfoReceived: "pending",
  InTransit: "in_transit",
  OutForDelivery: "out_for_delivery",
  AvailableForPickup: "out_for_delivery",
  AttemptFail: "exception",
  Exception: "exception",
  Expired: "exception",
  Delivered: "delivered",
};

interface AfterShipTracking {
  tracking_number?: string;
  slug?: string | null;
  tag?: string;
  shipment_delivery_date?: string | null;
  expected_delivery?: string | null;
  courier_estimated_delivery_date?: { estimated_delivery_date?: string | null } | null;
}

export interface AfterShipOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function toStatus(trackingNumber: string, t: AfterShipTracking | undefined): ShipmentStatus {
  if (!t) return { trackingNumber, stage: "pending", carrier: null, deliveredAt: null, expectedDelivery: null };
  const expected = t.courier_estimated_delivery_date?.estimated_delivery_date ?? t.expected_delivery ?? null;
  const delivered = t.shipment_delivery_date ? new Date(t.shipment_delivery_date) : null;
  return {
    trackingNumber,
    stage: TAGS[t.tag ?? ""] ?? "unknown",
    carrier: t.slug ?? null,
    deliveredAt: delivered && !Number.isNaN(delivered.getTime()) ? delivered : null,
    expectedDelivery: expected && /^\d{4}-\d{2}-\d{2}/.test(expected) ? expected.slice(0, 10) : null,
  };
}

export function createAfterShipProvider(options: AfterShipOptions): CarrierTrackingProvider {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...init,
        headers: { "as-api-key": options.apiKey, "content-type": "application/json", accept: "application/json", ...(init.headers ?? {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new AppError("unavailable", `Carrier tracking API unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const text = await response.text();
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get("retry-after") ?? "60");
      throw new AppError("rate_limited", "Carrier tracking API rate limit", { retryAfterMs: (Number.isFinite(retryAfter) ? retryAfter : 60) * 1000 });
    }
    if (response.status === 401 || response.status === 403) throw new AppError("auth", `Carrier tracking API refused the key (HTTP ${response.status})`);
    if (response.status >= 500) throw new AppError("unavailable", `Carrier tracking API error (HTTP ${response.status})`);
    if (!response.ok) throw new AppError("invalid", `Carrier tracking API answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError("unavailable", "Carrier tracking API answered with something that is not JSON");
    }
  }

  return {
    async track(trackingNumbers) {
      const numbers = [...new Set(trackingNumbers.map((n) => n.trim()).filter(Boolean))];
      if (numbers.length === 0) return [];
      const found = new Map<string, AfterShipTracking>();
      // The list endpoint takes up to 50 numbers per call.
      for (let i = 0; i < numbers.length; i += 50) {
        const chunk = numbers.slice(i, i + 50);
        const body = (await call(`/trackings?tracking_numbers=${encodeURIComponent(chunk.join(","))}`)) as { data?: { trackings?: AfterShipTracking[] } };
        for (const t of body.data?.trackings ?? []) if (t.tracking_number) found.set(t.tracking_number, t);
      }
      // AfterShip only follows numbers it was told about: register the new ones (they report "pending").
      for (const number of numbers.filter((n) => !found.has(n))) {
        await call("/trackings", { method: "POST", body: JSON.stringify({ tracking_number: number }) }).catch((error: unknown) => {
          // 4xx here (already registered by a concurrent check, unknown format) must not hide the others' status.
          if (error instanceof AppError && error.kind === "invalid") return;
          throw error;
        });
      }
      return trackingNumbers.map((n) => toStatus(n, found.get(n.trim())));
    },
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults } from "#sandbox/shared/faults.ts";
import { listen, readBody, sendJson } from "#sandbox/shared/http-server.ts";

// A local AfterShip-style tracking API: list trackings by number and register a new one, with
// AfterShip's envelope ({ meta: { code }, data }) and its `as-api-key` header. Tests and the demo move
// a shipment along with `setTracking` (e.g. to tag "Delivered").

export type CarrierFaultKind = "throttle" | "server_error";

export interface SandboxTracking {
  tracking_number: string;
  slug: string;
  tag: string;
  shipment_delivery_date: string | null;
  courier_estimated_delivery_date: { estimated_delivery_date: string | null };
}

export interface CarrierSandbox {
  origin: string;
  /** What the app's CARRIER_TRACKING_API_BASE points at. */
  baseUrl: string;
  apiKey: string;
  trackings: Map<string, SandboxTracking>;
  requests: { method: string; path: string }[];
  faults: Faults<CarrierFaultKind>;
  setTracking(number: string, update: Partial<Omit<SandboxTracking, "tracking_number">>): SandboxTracking;
  close(): Promise<void>;
}

export async function startCarrierSandbox(options: { apiKey?: string; port?: number } = {}): Promise<CarrierSandbox> {
  const apiKey = options.apiKey ?? "sandbox-carrier-key";
  const trackings = new Map<string, SandboxTracking>();
  const requests: { method: string; path: string }[] = [];
  const faults = new Faults<CarrierFaultKind>();

  function setTracking(number: string, update: Partial<Omit<SandboxTracking, "tracking_number">>): SandboxTracking {
    const current = trackings.get(number) ?? {
      tracking_number: number, slug: "ups", tag: "Pending", shipment_delivery_date: null, courier_estimated_delivery_date: { estimated_delivery_date: null },
    };
    const next = { ...current, ...update, tracking_number: number };
    trackings.set(number, next);
    return next;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}` });
    if (req.headers["as-api-key"] !== apiKey) return sendJson(res, 401, { meta: { code: 401, type: "Unauthorized", message: "Invalid API key." }, data: {} });
    const fault = faults.next({ method: req.method ?? "GET", host: String(req.headers.host ?? ""), path: url.pathname });
    if (fault?.kind === "throttle") return sendJson(res, 429, { meta: { code: 429, type: "TooManyRequests" }, data: {} }, { "retry-after": "1" });
    if (fault?.kind === "server_error") return sendJson(res, 500, { meta: { code: 500, type: "InternalError" }, data: {} });

    if (url.pathname === "/trackings" && req.method === "GET") {
      const numbers = (url.searchParams.get("tracking_numbers") ?? "").split(",").filter(Boolean);
      return sendJson(res, 200, { meta: { code: 200 }, data: { trackings: numbers.flatMap((n) => (trackings.has(n) ? [trackings.get(n)] : [])) } });
    }
    if (url.pathname === "/trackings" && req.method === "POST") {
      const body = JSON.parse((await readBody(req)) || "{}") as { tracking_number?: string };
      if (!body.tracking_number) return sendJson(res, 400, { meta: { code: 4003, type: "BadRequest", message: "tracking_number is required" }, data: {} });
      if (trackings.has(body.tracking_number)) return sendJson(res, 400, { meta: { code: 4003, type: "BadRequest", message: "Tracking already exists." }, data: {} });
      return sendJson(res, 201, { meta: { code: 201 }, data: { tracking: setTracking(body.tracking_number, {}) } });
    }
    return sendJson(res, 404, { meta: { code: 404, type: "NotFound" }, data: {} });
  }

  const running = await listen(handle, options.port ?? 0);
  return { origin: running.origin, baseUrl: running.origin, apiKey, trackings, requests, faults, setTracking, close: running.close };
}

import { createHmac, randomUUID } from "node:crypto";

// Builds a webhook delivery exactly as Shopify sends it: raw JSON body, base64 HMAC-SHA256 of that
// body with the app secret, and the headers the SDK requires.
export function signedWebhookRequest(options: {
  topic: string;
  shop: string;
  payload: unknown;
  secret?: string;
  webhookId?: string;
  eventId?: string;
  rawBody?: string;
  omitHeaders?: string[];
}): Request {
  const body = options.rawBody ?? JSON.stringify(options.payload);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET!;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
    "x-shopify-topic": options.topic,
    "x-shopify-shop-domain": options.shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-event-id": options.eventId ?? randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const path = options.topic === "customers/redact" || options.topic === "shop/redact" || options.topic === "customers/data_request" ? "compliance" : options.topic;
  return new Request(`https://replenish.test/webhooks/${path}`, { method: "POST", headers, body });
}

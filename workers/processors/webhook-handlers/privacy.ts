import type { WebhookEvent } from "@prisma/client";
import { z } from "zod";
import { AppError } from "#app/lib/app-error.ts";
import { exportCustomerData, redactCustomer, redactShopSubscribers } from "#app/services/back-in-stock-notify.server.ts";
import { dispatchNotifications, queueNotifications } from "#app/services/notification-outbox.server.ts";
import type { WebhookHandler, WebhookHandlers } from "../webhook-event.ts";
import { describeIssues } from "./payload-issues.ts";

// Shopify's mandatory privacy webhooks, for the personal data this app holds as back-in-stock
// subscriptions and the messages sent to them (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance).
// - customers/redact: delete the customer's subscriptions and messages;
// - shop/redact (48 h after uninstall): delete every subscriber of the shop;
// - customers/data_request: the merchant must answer the customer, so the export goes to the shop's
//   report recipients as a JSON attachment through the outbox (and its counts onto the event).

const customerPayload = z.object({
  shop_domain: z.string().optional(),
  customer: z.object({ id: z.union([z.number(), z.string()]).nullish(), email: z.string().nullish(), phone: z.string().nullish() }).optional(),
  data_request: z.object({ id: z.number().nullish() }).nullish(),
});
type CustomerPayload = z.infer<typeof customerPayload>;

/** The body, or an `invalid` error naming what is wrong: a redaction must not run on a guessed customer. */
function parseCustomerPayload(event: WebhookEvent): CustomerPayload {
  const parsed = customerPayload.safeParse(event.payload);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid", `the ${event.topic} body is malformed: ${describeIssues(parsed.error)}`);
}

async function shopIdOf(event: WebhookEvent, db: Parameters<WebhookHandler>[1]["db"]): Promise<string | null> {
  if (event.shopId) return event.shopId;
  const shop = await db.shop.findUnique({ where: { domain: event.shopDomain }, select: { id: true } });
  return shop?.id ?? null;
}

function customerOf(payload: CustomerPayload) {
  return { email: payload.customer?.email ?? null, phone: payload.customer?.phone ?? null, customerId: payload.customer?.id ?? null };
}

export const handleCustomersRedact: WebhookHandler = async (event, deps) => {
  const shopId = await shopIdOf(event, deps.db);
  if (!shopId) return { note: `no shop for ${event.shopDomain}: nothing held` };
  const result = await redactCustomer(shopId, customerOf(parseCustomerPayload(event)));
  return { note: `redacted ${result.subscriptions} subscription(s), ${result.notifications} message(s)` };
};

export const handleShopRedact: WebhookHandler = async (event, deps) => {
  const shopId = await shopIdOf(event, deps.db);
  if (!shopId) return { note: `no shop for ${event.shopDomain}: nothing held` };
  const result = await redactShopSubscribers(shopId);
  return { note: `redacted ${result.subscriptions} subscription(s), ${result.notifications} message(s)` };
};

export const handleCustomersDataRequest: WebhookHandler = async (event, deps) => {
  const shopId = await shopIdOf(event, deps.db);
  if (!shopId) return { note: `no shop for ${event.shopDomain}: nothing held` };
  const payload = parseCustomerPayload(event);
  const data = await exportCustomerData(shopId, customerOf(payload));
  const settings = await deps.db.shopSettings.findUnique({ where: { shopId }, select: { digestRecipients: true } });
  const recipients = settings?.digestRecipients ?? [];
  const who = payload.customer?.email ?? payload.customer?.phone ?? String(payload.customer?.id ?? "a customer");
  const json = JSON.stringify({ customer: payload.customer ?? null, backInStock: data }, null, 2);
  const queued = await deps.db.$transaction((tx) =>
    queueNotifications(
      tx,
      shopId,
      recipients.map((to) => ({
        channel: "EMAIL" as const,
        kind: "DATA_REQUEST",
        recipient: to,
        subject: `Customer data request: ${who}`,
        bodyText: `Shopify forwarded a data request from ${who}. Attached is everything Replenish holds about them: ${data.subscriptions.length} back-in-stock subscription(s) and ${data.messages.length} message(s). Please send it to the customer.`,
        dedupeKey: `data-request:${event.id}:${to}`,
        attachments: [{ filename: "customer-data.json", contentType: "application/json", contentBase64: Buffer.from(json).toString("base64") }],
      })),
    ),
  );
  await dispatchNotifications(shopId, queued.ids, { queues: deps.queues });
  return { note: `data request: ${data.subscriptions.length} subscription(s), ${data.messages.length} message(s); sent to ${recipients.length} recipient(s)` };
};

export const privacyWebhookHandlers: WebhookHandlers = {
  "customers/redact": handleCustomersRedact,
  "shop/redact": handleShopRedact,
  "customers/data_request": handleCustomersDataRequest,
};

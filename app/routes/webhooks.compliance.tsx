import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook, refuseWebhookGet } from "../services/webhook-intake.server.ts";

// customers/data_request, customers/redact and shop/redact (mandatory privacy topics) share this URI.
// Subscribed in shopify.app.toml; the handlers run in the webhooks queue.
export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);
export const loader = refuseWebhookGet;

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook, refuseWebhookGet } from "../services/webhook-intake.server.ts";

// Subscribed in shopify.app.toml; the handler for this topic runs in the webhooks queue.
export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);
export const loader = refuseWebhookGet;

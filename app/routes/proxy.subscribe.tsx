import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleSubscribeRequest, jsonAnswer } from "#app/services/back-in-stock.server.ts";

// Storefront https://<shop>/apps/back-in-stock/subscribe, signed and forwarded by Shopify's app proxy.
export const action = ({ request }: ActionFunctionArgs) => handleSubscribeRequest(request);

export const loader = (_args: LoaderFunctionArgs) => jsonAnswer({ ok: false, message: "Method not allowed" }, 405, { Allow: "POST" });

import type { ActionFunctionArgs } from "@remix-run/node";
import { isAppError } from "../lib/app-error.ts";
import { handleNegotiationAction } from "../services/po-negotiation.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// What the negotiation section of a PO's page (app/components/po-negotiation-thread.tsx) posts to:
// accept the supplier's counter-offer, counter back, or decide a held bank-details change. A resource
// route (no page of its own), so it answers plain JSON Responses with their status.
export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, demo } = await requireShopContext(request);
  const form: Record<string, string> = {};
  for (const [key, value] of (await request.formData()).entries()) if (typeof value === "string") form[key] = value;
  try {
    const done = await handleNegotiationAction(shop.id, params.purchaseOrderId ?? "", form, { name: demo ? "demo merchant" : null });
    return Response.json({ ok: true, message: done, fieldErrors: {}, values: {} });
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Purchase order not found", { status: 404 });
    if (isAppError(error) && (error.kind === "invalid" || error.kind === "conflict")) {
      const fieldErrors = "fieldErrors" in error ? (error.fieldErrors as Record<string, string>) : {};
      return Response.json({ ok: false, message: error.message, fieldErrors, values: form }, { status: error.kind === "invalid" ? 422 : 409 });
    }
    throw error;
  }
}

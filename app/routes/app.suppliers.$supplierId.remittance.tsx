import type { ActionFunctionArgs } from "@remix-run/node";
import { isAppError } from "../lib/app-error.ts";
import { decideSupplierRemittance } from "../services/po-negotiation.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// What the bank-details card of a supplier's page (app/components/supplier-remittance-card.tsx) posts to:
// confirm or reject a change the supplier submitted in the portal. A resource route: JSON Responses.
export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, demo } = await requireShopContext(request);
  const form: Record<string, string> = {};
  for (const [key, value] of (await request.formData()).entries()) if (typeof value === "string") form[key] = value;
  try {
    const message = await decideSupplierRemittance(shop.id, params.supplierId ?? "", form, { name: demo ? "demo merchant" : null });
    return Response.json({ ok: true, message });
  } catch (error) {
    if (isAppError(error) && (error.kind === "not_found" || error.kind === "invalid" || error.kind === "conflict")) {
      return Response.json({ ok: false, message: error.message }, { status: error.kind === "not_found" ? 404 : error.kind === "invalid" ? 422 : 409 });
    }
    throw error;
  }
}

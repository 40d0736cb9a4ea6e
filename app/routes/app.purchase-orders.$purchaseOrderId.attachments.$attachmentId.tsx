import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "../lib/app-error.ts";
import { getPurchaseOrderAttachment } from "../services/po-negotiation.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// A file the supplier attached in the portal, for the merchant, from the PO page's conversation. Always
// a download with a sandboxing CSP: supplier content never renders as a page of the app.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    const file = await getPurchaseOrderAttachment(shop.id, params.purchaseOrderId ?? "", params.attachmentId ?? "");
    const asciiName = file.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": file.contentType,
        "Content-Length": String(file.content.length),
        "Content-Disposition": `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Attachment not found", { status: 404 });
    throw error;
  }
}

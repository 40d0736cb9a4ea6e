import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { loadPoDocument } from "../models/purchase-order-document.server.ts";
import { renderDocument } from "../services/po-dispatch.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The PO document as the supplier gets it, for the merchant to download: ?format=pdf (default) or csv.
// Rendered from the PO as it is now, so a download after an edit shows the edit.

const query = z.object({ format: z.enum(["pdf", "csv"]).catch("pdf").default("pdf") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const { format } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const loaded = await loadPoDocument(shop.id, params.purchaseOrderId ?? "");
  if (!loaded) throw new Response("Purchase order not found", { status: 404 });
  const file = await renderDocument(loaded.document, format === "csv" ? "CSV" : "PDF");
  return new Response(new Uint8Array(file.content), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "private, no-store",
    },
  });
}

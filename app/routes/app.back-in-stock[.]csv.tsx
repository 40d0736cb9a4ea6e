import type { LoaderFunctionArgs } from "@remix-run/node";
import { backInStockCsv } from "../services/back-in-stock-admin.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Back-in-stock demand and results per variant as a CSV download.
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const { filename, csv } = await backInStockCsv(shop.id, new Date());
  return new Response(csv, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { overstockCsv } from "../services/overstock.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { shopLocalToday } from "../services/trust-report.server.ts";

// The overstock report as a CSV download.
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const { filename, csv } = await overstockCsv(shop.id, shopLocalToday(new Date(), shop.timezone));
  return new Response(csv, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });
}

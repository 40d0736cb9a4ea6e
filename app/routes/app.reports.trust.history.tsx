import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportShopHistory } from "../models/shop-history.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { shopLocalToday } from "../services/trust-report.server.ts";

/** The shop's history as the trust report reads it, for `npm run simulate -- --history <file>`. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const history = await exportShopHistory(shop.id, shopLocalToday(new Date(), shop.timezone));
  return new Response(JSON.stringify(history), {
    headers: { "Content-Type": "application/json", "Content-Disposition": `attachment; filename="shop-history-${history.asOf}.json"` },
  });
}

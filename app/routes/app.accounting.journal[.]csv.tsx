import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { exportJournalCsv } from "../services/accounting.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The journal of one month as a CSV download (one row per journal line), for the merchant's accountant.
const searchSchema = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "period must be YYYY-MM") });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = searchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response("Choose a month: ?period=YYYY-MM\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { filename, csv } = await exportJournalCsv(shop.id, parsed.data.period);
  return new Response(csv, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });
}

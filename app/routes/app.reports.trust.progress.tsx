import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { findReportRun } from "../models/report-run.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

/** The running trust report's progress, polled by its page (the job writes the same percent to BullMQ and here). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = z.object({ run: z.string().min(1).max(64) }).safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ message: "run is required" }, { status: 422 });
  const run = await findReportRun(shop.id, parsed.data.run);
  if (!run) return Response.json({ message: "No such run" }, { status: 404 });
  return Response.json({ id: run.id, status: run.status, progress: run.progress, error: run.error }, { headers: { "Cache-Control": "no-store" } });
}

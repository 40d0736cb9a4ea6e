// The report routes as Remix calls them (demo mode): CSV and JSON downloads, the progress poll's answers,
// the trust report's start action and the audit sample's one-click redirect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { loader as overstockCsvLoader } from "#app/routes/app.reports.overstock[.]csv.tsx";
import { action as auditAction } from "#app/routes/app.reports.audit.tsx";
import { action as trustAction, loader as trustLoader } from "#app/routes/app.reports.trust.tsx";
import { loader as historyLoader } from "#app/routes/app.reports.trust.history.tsx";
import { loader as progressLoader } from "#app/routes/app.reports.trust.progress.tsx";
import { createLocation, createSku, createSupplierProduct, recordMovement } from "#tests/factories/index.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";

let shopId: string;

beforeAll(async () => {
  useDemoMode();
  shopId = (await createDemoShop({ timezone: "UTC", currency: "GBP" })).id;
  const location = await createLocation({ shopId, isDefault: true });
  const sku = await createSku({ shopId, code: "SLOW-1", title: "Slow mover", cost: "2.00", price: "6.00" });
  await createSupplierProduct({ shopId, skuId: sku.id, unitCost: "2.00", isPreferred: true });
  await recordMovement({ shopId, skuId: sku.id, locationId: location.id, quantity: 40, occurredAt: new Date(Date.now() - 200 * 86_400_000) });
});
afterAll(closeQueues);

describe("report routes", () => {
  it("downloads the overstock CSV: a SKU in stock that never sold is dead stock", async () => {
    const response = await callLoader(overstockCsvLoader, "/app/reports/overstock.csv");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="overstock-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^sku,title,on_hand,daily_rate,days_of_supply,threshold_days,excess_units,stock_value,excess_value,carrying_cost_per_month,dead_stock/);
    expect(lines[1]).toMatch(/^SLOW-1,Slow mover,40,0\.000,no sales,90,40,80\.00,80\.00,1\.67,yes,never sold,/);
  });

  it("downloads the shop history the trust report simulates", async () => {
    const response = await callLoader(historyLoader, "/app/reports/trust/history");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="shop-history-\d{4}-\d{2}-\d{2}\.json"$/);
    const history = JSON.parse(await response.text());
    expect(history).toMatchObject({ format: "replenish-shop-history/1", days: 365, currency: "GBP", skus: [] });
  });

  it("starts one trust report at a time and answers the progress poll", async () => {
    expect(unwrap(await callAction(trustAction, "/app/reports/trust", {})).body).toMatchObject({ ok: true });
    const again = unwrap(await callAction(trustAction, "/app/reports/trust", {})).body as { runId: string };
    expect(await prisma.reportRun.count({ where: { shopId, kind: "TRUST" } })).toBe(1);
    const view = await callLoader(trustLoader, "/app/reports/trust");
    expect(view.latest).toMatchObject({ id: again.runId, status: "QUEUED", progress: 0 });
    expect(view.report).toBeNull();

    const poll = await callLoader(progressLoader, `/app/reports/trust/progress?run=${again.runId}`);
    expect(poll.status).toBe(200);
    expect(await poll.json()).toEqual({ id: again.runId, status: "QUEUED", progress: 0, error: null });
    expect((await callLoader(progressLoader, "/app/reports/trust/progress")).status).toBe(422);
    expect((await callLoader(progressLoader, "/app/reports/trust/progress?run=nope")).status).toBe(404);
  });

  it("draws an audit sample in one click: a redirect to a fresh seed", async () => {
    const response = (await callAction(auditAction, "/app/reports/audit", {})) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/app\/reports\/audit\?seed=\d+$/);
  });
});

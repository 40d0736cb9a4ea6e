import { stringify } from "csv-stringify/sync";
import { loadOverstockReport } from "#app/models/overstock.server.ts";

/** The overstock report as a CSV download: one row per SKU, the figures of the page plus every suggested action. */
export async function overstockCsv(shopId: string, asOf: string): Promise<{ filename: string; csv: string }> {
  const report = await loadOverstockReport(shopId, asOf);
  const round = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "");
  const csv = stringify(
    report.rows.map((r) => ({
      sku: r.code,
      title: r.title,
      on_hand: r.onHand,
      daily_rate: round(r.dailyRate, 3),
      days_of_supply: Number.isFinite(r.daysOfSupply) ? round(r.daysOfSupply, 1) : "no sales",
      threshold_days: r.thresholdDays,
      excess_units: r.excessUnits,
      stock_value: round(r.stockValue),
      excess_value: round(r.excessValue),
      carrying_cost_per_month: round(r.carryingCostPerMonth),
      dead_stock: r.dead ? "yes" : "no",
      days_since_last_sale: r.daysSinceLastSale ?? "never sold",
      markdown_pct: r.markdown ? round(r.markdown.cut * 100, 1) : "",
      markdown_price: r.markdown ? round(r.markdown.newPrice) : "",
      elasticity: r.markdown ? round(r.markdown.elasticity.value, 2) : "",
      elasticity_source: r.markdown?.elasticity.source ?? "",
      actions: r.actions.map((a) => a.text).join(" | "),
    })),
    { header: true },
  );
  return { filename: `overstock-${report.asOf}.csv`, csv };
}

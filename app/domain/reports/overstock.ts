/**
 * Overstock and dead stock (issue 7 item 4). Pure: the model hands in each SKU's stock, costs and sales
 * history; this decides what is excess, what it costs to hold, and how to clear it.
 *
 * Markdown method: a constant-elasticity demand curve, units/day ∝ price^ε, fitted on the SKU's own
 * weekly history (ordinary least squares of ln(weekly units) on ln(weekly average selling price), weeks
 * with sales only). To sell the stock within the target days the rate must rise from r to r' = stock /
 * target, so the price multiple is (r'/r)^(1/ε) and the cut is 1 − that. The fit is used when the SKU has
 * at least MIN_PRICE_WEEKS selling weeks whose prices vary by at least MIN_PRICE_SPREAD and the slope is
 * negative; otherwise the catalogue-typical DEFAULT_ELASTICITY is used and the row says so. ε is bounded to
 * [MAX_ELASTICITY, MIN_ELASTICITY] because a handful of weeks can suggest absurd slopes. The weekly average
 * price mixes customers (wholesale lines are cheaper and larger), so ε is an estimate to start from, not a
 * promise; the cut is capped at MAX_MARKDOWN and flagged when it would sell below cost.
 */

export const DEFAULT_ELASTICITY = -2;
export const MIN_ELASTICITY = -0.5;
export const MAX_ELASTICITY = -4;
export const MIN_PRICE_WEEKS = 8;
export const MIN_PRICE_SPREAD = 0.05;
export const MAX_MARKDOWN = 0.5;

export interface OverstockSkuInput {
  skuId: string;
  code: string;
  title: string;
  seasonal: boolean;
  onHand: number;
  unitCost: number;
  price: number;
  /** Units sold in the last `rateWindowDays` days. */
  recentUnits: number;
  /** Days the recent rate is measured over (shorter for a product on sale fewer days). */
  rateWindowDays: number;
  /** Days since the last sale; null when it never sold. */
  daysSinceLastSale: number | null;
  /** Weekly history for the elasticity fit: units and revenue per week. */
  weeks: { units: number; revenue: number }[];
  /** Units received from suppliers in the last 90 days (candidates for a return). */
  recentlyReceived: number;
  /** The supplier that can take a return, when there is one. */
  supplierName: string | null;
  /** The SKU most often bought in the same orders, for a bundle. */
  bundlePartner: string | null;
}

export interface OverstockSettings {
  overstockDays: number;
  overstockDaysSeasonal: number;
  deadStockDays: number;
  /** Annual carrying cost as a share of stock value. */
  carryingCostPctYear: number;
}

export interface Elasticity {
  value: number;
  source: "own-history" | "default";
  weeks: number;
}

export interface Markdown {
  /** Share of the price to cut, 0–MAX_MARKDOWN. */
  cut: number;
  newPrice: number;
  elasticity: Elasticity;
  /** Units/day needed to clear the stock within the target days, and the current rate. */
  requiredRate: number;
  currentRate: number;
  /** True when even the capped cut is not expected to clear the stock in time. */
  capped: boolean;
  belowCost: boolean;
}

export type OverstockAction = { kind: "markdown" | "promote" | "bundle" | "return"; text: string };

export interface OverstockRow {
  skuId: string;
  code: string;
  title: string;
  onHand: number;
  dailyRate: number;
  /** Infinity when it does not sell. */
  daysOfSupply: number;
  thresholdDays: number;
  excessUnits: number;
  stockValue: number;
  /** Capital tied up in the excess (units beyond the threshold's cover, at cost). */
  excessValue: number;
  /** Carrying cost of the excess per month. */
  carryingCostPerMonth: number;
  dead: boolean;
  daysSinceLastSale: number | null;
  markdown: Markdown | null;
  actions: OverstockAction[];
}

// ───────────────────────── The one definition of overstock (report, dashboard, digest) ─────────────────────────

/** Days the sales rate is measured over (shorter for a product first sold more recently). */
export const OVERSTOCK_RATE_WINDOW_DAYS = 90;

/**
 * The sales rate overstock is judged by: units sold in the last 90 days (days before `asOf`) ÷ 90, or ÷ the
 * days since the first sale when that is shorter (at least 1). A trailing sales rate, not the engine's
 * forecast: see docs/reports.md "Overstock" for why.
 */
export function overstockRateWindow(daysSinceFirstSale: number | null): number {
  return Math.max(1, Math.min(OVERSTOCK_RATE_WINDOW_DAYS, daysSinceFirstSale ?? 0));
}

export interface OverstockMeasureInput {
  /** Units held (positive balances over all locations). */
  onHand: number;
  /** Units per day, from `overstockRateWindow`. */
  dailyRate: number;
  seasonal: boolean;
  /** Cost of one unit (preferred offer, else the SKU's cost). */
  unitCost: number;
  /** Days since the last sale; null when it never sold. */
  daysSinceLastSale: number | null;
}

export interface OverstockMeasure {
  thresholdDays: number;
  /** Infinity when it does not sell. */
  daysOfSupply: number;
  dead: boolean;
  excessUnits: number;
  /** Capital tied up in the excess (units beyond the threshold's cover, at cost). */
  excessValue: number;
  carryingCostPerMonth: number;
}

/**
 * Overstock of one SKU, or null when it is not: days of supply above the threshold (90 days, 60 for
 * seasonal SKUs, from the settings) or dead stock (no sale in `deadStockDays`). Excess = stock beyond the
 * threshold's days of sales, rounded up; capital tied up = excess × unit cost; carrying cost per month =
 * that × the annual carrying rate ÷ 12.
 */
export function measureOverstock(s: OverstockMeasureInput, settings: OverstockSettings): OverstockMeasure | null {
  if (s.onHand <= 0) return null;
  const thresholdDays = s.seasonal ? settings.overstockDaysSeasonal : settings.overstockDays;
  const daysOfSupply = s.dailyRate > 0 ? s.onHand / s.dailyRate : Infinity;
  const dead = s.daysSinceLastSale === null || s.daysSinceLastSale >= settings.deadStockDays;
  if (daysOfSupply <= thresholdDays && !dead) return null;
  const excessUnits = Math.max(0, Math.ceil(s.onHand - s.dailyRate * thresholdDays));
  const excessValue = excessUnits * s.unitCost;
  return { thresholdDays, daysOfSupply, dead, excessUnits, excessValue, carryingCostPerMonth: (excessValue * settings.carryingCostPctYear) / 12 };
}

export interface OverstockTotals {
  skus: number;
  dead: number;
  excessValue: number;
  carryingCostPerMonth: number;
}

/** The totals the report, the dashboard and the digest all show. */
export function overstockTotals(measures: readonly Pick<OverstockMeasure, "dead" | "excessValue" | "carryingCostPerMonth">[]): OverstockTotals {
  return {
    skus: measures.length,
    dead: measures.filter((m) => m.dead).length,
    excessValue: measures.reduce((a, m) => a + m.excessValue, 0),
    carryingCostPerMonth: measures.reduce((a, m) => a + m.carryingCostPerMonth, 0),
  };
}

/** OLS slope of ln(units) on ln(price) over selling weeks, or the default when the history cannot tell. */
export function estimateElasticity(weeks: readonly { units: number; revenue: number }[]): Elasticity {
  const pts = weeks.filter((w) => w.units > 0 && w.revenue > 0).map((w) => ({ x: Math.log(w.revenue / w.units), y: Math.log(w.units) }));
  const n = pts.length;
  const fallback: Elasticity = { value: DEFAULT_ELASTICITY, source: "default", weeks: n };
  if (n < MIN_PRICE_WEEKS) return fallback;
  const mx = pts.reduce((a, p) => a + p.x, 0) / n;
  const my = pts.reduce((a, p) => a + p.y, 0) / n;
  let sxx = 0, sxy = 0;
  for (const p of pts) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const prices = pts.map((p) => Math.exp(p.x));
  const spread = (Math.max(...prices) - Math.min(...prices)) / Math.exp(mx);
  if (sxx <= 0 || spread < MIN_PRICE_SPREAD) return fallback;
  const slope = sxy / sxx;
  if (!(slope < 0)) return fallback;
  return { value: Math.min(MIN_ELASTICITY, Math.max(MAX_ELASTICITY, slope)), source: "own-history", weeks: n };
}

/** The cut that lifts the rate from `currentRate` to sell `units` within `targetDays` under elasticity ε. */
export function markdownFor(units: number, targetDays: number, currentRate: number, price: number, unitCost: number, elasticity: Elasticity): Markdown | null {
  if (currentRate <= 0 || price <= 0 || units <= 0 || targetDays <= 0) return null;
  const requiredRate = units / targetDays;
  if (requiredRate <= currentRate) return null;
  const multiple = (requiredRate / currentRate) ** (1 / elasticity.value);
  const wanted = 1 - multiple;
  const cut = Math.min(MAX_MARKDOWN, wanted);
  const newPrice = Math.round(price * (1 - cut) * 100) / 100;
  return { cut, newPrice, elasticity, requiredRate, currentRate, capped: wanted > MAX_MARKDOWN, belowCost: newPrice < unitCost };
}

export function analyseOverstock(skus: readonly OverstockSkuInput[], settings: OverstockSettings): OverstockRow[] {
  const rows: OverstockRow[] = [];
  for (const s of skus) {
    const rate = s.rateWindowDays > 0 ? s.recentUnits / s.rateWindowDays : 0;
    const m = measureOverstock({ onHand: s.onHand, dailyRate: rate, seasonal: s.seasonal, unitCost: s.unitCost, daysSinceLastSale: s.daysSinceLastSale }, settings);
    if (!m) continue;
    const { thresholdDays: threshold, daysOfSupply, dead, excessUnits, excessValue } = m;
    const markdown = dead ? null : markdownFor(s.onHand, threshold, rate, s.price, s.unitCost, estimateElasticity(s.weeks));
    const actions: OverstockAction[] = [];
    if (markdown) {
      actions.push({
        kind: "markdown",
        text: `Mark down ${(markdown.cut * 100).toFixed(0)}% to ${markdown.newPrice.toFixed(2)}${markdown.capped ? " (capped: clears only part of the excess in time)" : ""}${markdown.belowCost ? " — below cost" : ""}`,
      });
    }
    if (!dead && rate > 0) actions.push({ kind: "promote", text: `Promote: selling ${(s.onHand / threshold).toFixed(1)}/day instead of ${rate.toFixed(2)}/day clears it in ${threshold} days` });
    if (s.bundlePartner) actions.push({ kind: "bundle", text: `Bundle with ${s.bundlePartner}, most often bought together` });
    if (s.recentlyReceived > 0 && s.supplierName) {
      actions.push({ kind: "return", text: `Return up to ${Math.min(excessUnits, s.recentlyReceived)} units to ${s.supplierName} (received ${s.recentlyReceived} in the last 90 days)` });
    }
    rows.push({
      skuId: s.skuId, code: s.code, title: s.title, onHand: s.onHand, dailyRate: rate, daysOfSupply, thresholdDays: threshold, excessUnits,
      stockValue: s.onHand * s.unitCost, excessValue, carryingCostPerMonth: m.carryingCostPerMonth, dead,
      daysSinceLastSale: s.daysSinceLastSale, markdown, actions,
    });
  }
  return rows.sort((a, b) => b.excessValue - a.excessValue || (a.code < b.code ? -1 : 1));
}

/** A SKU's sales as the dashboard's daily snapshot replays them: enough to take `overstockRateWindow` on any day. */
export interface OverstockSalesSeries {
  skuId: string;
  seasonal: boolean;
  unitCost: number;
  /** Shop day of the first sale ever, or null. */
  firstSaleDay: number | null;
  /**
   * Days with demand rows (ascending shop day numbers), their net units and whether any unit sold that day,
   * over at least the last `max(90, deadStockDays)` days.
   */
  saleDays: readonly number[];
  saleUnits: readonly number[];
  sold: readonly boolean[];
}

/**
 * Overstock totals on shop day `day` (sales before it, stock `held` at its end): the report's definition
 * as of that day, so the dashboard and digest show the report's figures.
 */
export function overstockOnDay(series: readonly OverstockSalesSeries[], held: ReadonlyMap<string, number>, day: number, settings: OverstockSettings): OverstockTotals {
  const measures: OverstockMeasure[] = [];
  for (const s of series) {
    const onHand = held.get(s.skuId) ?? 0;
    if (onHand <= 0) continue;
    let recent = 0;
    let last: number | null = null;
    for (let i = 0; i < s.saleDays.length; i++) {
      const d = s.saleDays[i] as number;
      if (d >= day) break;
      if (s.sold[i]) last = d;
      if (d >= day - OVERSTOCK_RATE_WINDOW_DAYS) recent += s.saleUnits[i] ?? 0;
    }
    const sinceFirst = s.firstSaleDay !== null && s.firstSaleDay < day ? day - s.firstSaleDay : null;
    const m = measureOverstock({ onHand, dailyRate: recent / overstockRateWindow(sinceFirst), seasonal: s.seasonal, unitCost: s.unitCost, daysSinceLastSale: last === null ? null : day - last }, settings);
    if (m) measures.push(m);
  }
  return overstockTotals(measures.sort((a, b) => b.excessValue - a.excessValue));
}

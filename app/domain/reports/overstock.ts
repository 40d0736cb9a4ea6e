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
    if (s.onHand <= 0) continue;
    const rate = s.rateWindowDays > 0 ? s.recentUnits / s.rateWindowDays : 0;
    const threshold = s.seasonal ? settings.overstockDaysSeasonal : settings.overstockDays;
    const daysOfSupply = rate > 0 ? s.onHand / rate : Infinity;
    const dead = s.daysSinceLastSale === null || s.daysSinceLastSale >= settings.deadStockDays;
    if (daysOfSupply <= threshold && !dead) continue;
    const excessUnits = Math.max(0, Math.ceil(s.onHand - rate * threshold));
    const excessValue = excessUnits * s.unitCost;
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
      stockValue: s.onHand * s.unitCost, excessValue, carryingCostPerMonth: (excessValue * settings.carryingCostPctYear) / 12, dead,
      daysSinceLastSale: s.daysSinceLastSale, markdown, actions,
    });
  }
  return rows.sort((a, b) => b.excessValue - a.excessValue || (a.code < b.code ? -1 : 1));
}

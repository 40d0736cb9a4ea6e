/**
 * One readable paragraph per suggestion, quoting every number the engine used, so a merchant can check the
 * arithmetic by hand. Built from the suggestion alone, so stored suggestions can be re-rendered.
 */
import { formatCents, formatPrice } from "../shared/money.ts";
import type { ReorderSuggestion } from "./plan-replenishment.ts";
import type { SupplierScore } from "./choose-supplier.ts";
import { STOCK_OUT_HORIZON_DAYS } from "./days-left.ts";
import { formatServiceLevel } from "./safety-stock.ts";

const n0 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(0));
const n1 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const n2 = (x: number): string => x.toFixed(2);

/** `forecast.baseRateSource` of a low-data SKU, planned on the longest usable period. */
export const LOW_DATA_RATE_SOURCE = "longest period";

/** How the planning rate was reached: the model's forecast, or a higher recent rate, times the shop-wide trend and the promotions. */
function forecastClause(f: ReorderSuggestion["forecast"]): string {
  // Suggestions stored before promotionMultiplier existed had the uplift inside the model's rate.
  const promo = f.promotionMultiplier !== undefined && f.promotionMultiplier !== 1 ? ` × promotions ${n2(f.promotionMultiplier)}` : "";
  const trend = (f.trendMultiplier !== 1 ? ` × shop trend ${n2(f.trendMultiplier)}` : "") + promo;
  // Suggestions stored before baseRateSource existed say only what the model gave.
  if (f.baseRateSource === undefined || f.baseRateSource === "model") {
    return `forecast ${n2(f.dailyRate)} units/day from ${f.model}` + (trend ? ` (${n2(f.modelRate)}${trend})` : "") +
      (f.methodChosenBy === "supplier" ? `, the method this supplier is set to (${f.method})` : "");
  }
  if (f.baseRateSource === LOW_DATA_RATE_SOURCE) {
    return `forecast ${n2(f.dailyRate)} units/day = the longest period's rate ${n2(f.baseRate)}${trend} ` +
      `(a low-data product: too few orders for a model or a recent window to mean much; ${f.model} alone gave ${n2(f.modelRate)})`;
  }
  return `forecast ${n2(f.dailyRate)} units/day = the ${f.baseRateSource}'s rate ${n2(f.baseRate)}${trend} ` +
    `(the plan never goes below the 30-day EWA or a period's rate; ${f.model} alone gave ${n2(f.modelRate)})`;
}

/**
 * The level the safety stock was taken at and where it came from. The default skews each class's level by
 * value, so a class C SKU can plan at 99.85 % under a 99.5 % setting; unexplained, that read as a bug.
 */
export function serviceLevelClause(s: Pick<ReorderSuggestion, "serviceLevel" | "classServiceLevel" | "serviceLevelSkewedByValue" | "abcClass">): string {
  const level = `${formatServiceLevel(s.serviceLevel)}%`;
  // Suggestions stored before classServiceLevel existed say only the level.
  if (s.classServiceLevel === undefined) return level;
  if (!s.serviceLevelSkewedByValue) return `${level} (class ${s.abcClass}'s level)`;
  return `${level} (class ${s.abcClass}'s ${formatServiceLevel(s.classServiceLevel)}% ${s.serviceLevel > s.classServiceLevel ? "raised" : "lowered"} for this SKU by its value: ` +
    "the miss chance scales with unit cost × order-size spread against the class mean, so cheap or steady SKUs get more protection and the class keeps its average)";
}

/**
 * Which lead time the reorder point multiplies the rate by, and why. With the quantile methods it is the
 * mean lead time + the review period, and the lead-time percentile quoted beside it plays no part: the
 * safety stock covers late deliveries. Saying "× 15.8 days" with only a 14.8 mean and a 17.9 p85 in sight
 * left the merchant to guess.
 */
export function reorderPointClause(
  s: Pick<ReorderSuggestion, "reorderPoint" | "forecast" | "reorderPointLeadTimeDays" | "reviewDays" | "leadTime" | "safetyStock"> & { trustPeriod?: boolean },
): string {
  const lt = s.leadTime;
  const head = `Reorder point ${n0(s.reorderPoint)} = ${n2(s.forecast.dailyRate)} × ${n1(s.reorderPointLeadTimeDays)} days`;
  const tail = ` + ${n0(s.safetyStock.units)} safety stock`;
  const fromHistory = lt.source === "sku-history" || lt.source === "supplier-history";
  if (s.safetyStock.method === "compound" || s.safetyStock.method === "empirical") {
    const review = s.reviewDays ?? s.reorderPointLeadTimeDays - lt.meanDays;
    if (s.trustPeriod && fromHistory && lt.percentileDays > lt.meanDays) {
      return `${head} (the ${lt.percentile}th-percentile lead time ${n1(lt.percentileDays)} + ${n1(review)}-day review period, not the mean ${n1(lt.meanDays)}, while the shop is in its trust period)${tail}. ` +
        `The safety stock also covers later deliveries, up to ${n1(lt.maxDays)} days.`;
    }
    return `${head} (mean lead time ${n1(lt.meanDays)} + ${n1(review)}-day review period)${tail}. ` +
      "Late deliveries are covered by the safety stock, whose quantile is taken over the whole lead-time distribution, its late tail included" +
      (fromHistory ? ` (up to ${n1(lt.maxDays)} days), so the ${lt.percentile}th percentile (${n1(lt.percentileDays)} days) does not set the reorder point.` : ".");
  }
  return `${head} (${fromHistory ? `the ${lt.percentile}th-percentile lead time` : "the lead time"})${tail}.`;
}

function scoreComponents(score: SupplierScore): string {
  const c = score.components;
  return `price ${n2(c.price)}, lead time ${n2(c.leadTime)}, quality ${n2(c.quality)}, MOQ ${n2(c.moqFlexibility)}`;
}

/**
 * Every candidate's score, best first, with the weights that made it: the merchant who sees the dearer
 * supplier chosen can tell whether reliability or a dispute decided it.
 */
function supplierChoiceClause(s: Pick<ReorderSuggestion, "supplierScores" | "supplierWeights" | "supplierId">): string {
  const pct = (w: number) => `${Math.round(w * 100)} %`;
  const w = s.supplierWeights as ReorderSuggestion["supplierWeights"] | undefined; // absent from suggestions stored before it existed
  const ranked = [...s.supplierScores].sort((a, b) => b.total - a.total || (a.supplierId < b.supplierId ? -1 : 1));
  const list = ranked.map((x) => `${x.supplierId} ${n2(x.total)} (${scoreComponents(x)})${x.excluded ? `, passed over: ${x.excluded}` : ""}`);
  const head = w
    ? `Supplier choice weighs price ${pct(w.price)}, lead-time reliability ${pct(w.leadTime)}, quality ${pct(w.quality)}, MOQ flexibility ${pct(w.moqFlexibility)}`
    : "Supplier scores";
  return `${head}: ${list.join("; ")}. Chosen: ${s.supplierId ?? "none"}.`;
}

export function explainSuggestion(s: ReorderSuggestion, currency = "USD"): string {
  const parts: string[] = [];
  const f = s.forecast;
  const others = f.backtest.filter((b) => b.model !== f.model).map((b) => `${b.model} ${n1(b.meanAbsoluteError)}`);
  const chosenErr = f.backtest.find((b) => b.model === f.model);
  parts.push(
    `${s.skuId} at ${s.locationId} (class ${s.abcClass}, ${s.demand.classification.demandClass} demand, ADI ${n2(s.demand.classification.adi)}, CV² ${n2(s.demand.classification.cv2)}): ` +
      forecastClause(f) +
      (chosenErr ? ` (back-test error ${n1(chosenErr.meanAbsoluteError)} units per ${f.backtestHorizonDays} days${others.length ? ` vs ${others.join(", ")}` : ""})` : "") +
      `; 30-day EWA ${n2(f.ewaRate)}, period string ${n2(f.periodStringRate)}, peak day ${n0(f.peakDay)}, σd ${n2(f.dailyStdDev)}` +
      (f.yearlyIndex !== 1 ? `, yearly index ${n2(f.yearlyIndex)}` : "") +
      (f.promotionsApplied.length ? `, promotions ${f.promotionsApplied.join(", ")}` : "") +
      (s.demand.excludedOrders.length ? `; ${s.demand.excludedOrders.length} outlier order(s) of ${s.demand.excludedOrders.map((o) => o.quantity).join(", ")} units excluded` : "") +
      ".",
  );
  const lt = s.leadTime;
  parts.push(
    lt.source === "sku-override"
      ? `Lead time ${n1(lt.percentileDays)} days is the merchant's override for this SKU and supplier${lt.transitDays > 0 ? ` (including ${lt.transitDays} transit days)` : ""}` +
          (lt.overriddenHistory
            ? `; it replaces the history, which says mean ${n1(lt.overriddenHistory.meanDays)} days from ${lt.overriddenHistory.sampleCount} received POs (${lt.overriddenHistory.source === "sku-history" ? "this SKU" : "this supplier"}).`
            : ".")
      : lt.source === "configured"
      ? (lt.transitDays > 0
          ? `Lead time ${n1(lt.percentileDays)} days = the configured ${n1(lt.percentileDays - lt.transitDays)} days to the ship date + ${lt.transitDays} transit days${lt.shipMethod ? ` (${lt.shipMethod})` : ""}`
          : `Lead time ${n1(lt.percentileDays)} days is the configured value`) + ` (only ${lt.sampleCount} received POs).`
      : `Lead time from ${lt.sampleCount} received POs (${lt.source === "sku-history" ? "this SKU" : "this supplier"}): mean ${n1(lt.meanDays)} days, σ ${n1(lt.stdDevDays)}, ${lt.percentile}th percentile ${n1(lt.percentileDays)} days` +
          (lt.transitDays > 0 ? ` including ${lt.transitDays} transit days` : "") + ".",
  );
  parts.push(`Safety stock ${n0(s.safetyStock.units)} units by the ${s.safetyStock.method} method = ${s.safetyStock.formula}, at service level ${serviceLevelClause(s)}.`);
  parts.push(reorderPointClause(s));
  parts.push(
    `Target ${n0(s.target.target)} = ${n0(s.reorderPoint)} + ${n0(s.target.cycleDemand)} (${n1(s.cycleDays)} days of cycle)` +
      (s.target.bound ? `, bounded by ${s.target.bound}` : "") + ".",
  );
  const p = s.position;
  parts.push(`Position ${n0(p.position)} = ${n0(p.onHand)} on hand + ${n0(p.openPurchaseOrderQuantity)} on order + ${n0(p.kitSupply)} from kits − ${n0(p.committed)} committed − ${n0(p.backordered)} backordered.`);
  const q = s.orderQuantity;
  if (s.transferIn > 0) parts.push(`A transfer of ${s.transferIn} units from another location covers part of the need.`);
  if (q.quantity > 0) {
    const steps = q.steps.map((st) => `${st.step.replace(/_/g, " ")} ${st.quantity}`).join(" → ");
    const score = s.supplierScores.length === 1 ? s.supplierScores[0] : undefined;
    parts.push(
      `Order ${q.quantity} units (${steps}) from ${s.supplierId} at ${formatPrice(q.unitPrice, currency)} = ${formatCents(q.lineTotal, currency)}` +
        (score ? ` (supplier score ${n2(score.total)}: ${scoreComponents(score)})` : "") + ".",
    );
  } else parts.push("No order: the position covers the target.");
  if (s.supplierScores.length > 1) parts.push(supplierChoiceClause(s));
  parts.push(
    s.daysLeft === null ? "No demand is forecast, so no stock-out date."
    : s.stockOutDate === null ? `Days left ${n1(s.daysLeft)}: no stock-out within ${STOCK_OUT_HORIZON_DAYS / 365} years.`
    : `Days left ${n1(s.daysLeft)}, projected stock-out ${s.stockOutDate}.`,
  );
  parts.push(s.flags.length ? `Needs review: ${s.flags.map((fl) => fl.message).join("; ")}.` : "No flags.");
  return parts.join(" ");
}

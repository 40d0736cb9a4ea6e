/**
 * One readable paragraph per suggestion, quoting every number the engine used, so a merchant can check the
 * arithmetic by hand. Built from the suggestion alone, so stored suggestions can be re-rendered.
 */
import { formatCents, formatPrice } from "../shared/money.ts";
import type { ReorderSuggestion } from "./plan-replenishment.ts";

const n0 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(0));
const n1 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const n2 = (x: number): string => x.toFixed(2);

/** How the planning rate was reached: the model's forecast, or a higher recent rate, times the shop-wide trend and the promotions. */
function forecastClause(f: ReorderSuggestion["forecast"]): string {
  // Suggestions stored before promotionMultiplier existed had the uplift inside the model's rate.
  const promo = f.promotionMultiplier !== undefined && f.promotionMultiplier !== 1 ? ` × promotions ${n2(f.promotionMultiplier)}` : "";
  const trend = (f.trendMultiplier !== 1 ? ` × shop trend ${n2(f.trendMultiplier)}` : "") + promo;
  // Suggestions stored before baseRateSource existed say only what the model gave.
  if (f.baseRateSource === undefined || f.baseRateSource === "model") {
    return `forecast ${n2(f.dailyRate)} units/day from ${f.model}` + (trend ? ` (${n2(f.modelRate)}${trend})` : "");
  }
  return `forecast ${n2(f.dailyRate)} units/day = the ${f.baseRateSource}'s rate ${n2(f.baseRate)}${trend} ` +
    `(the plan never goes below the 30-day EWA or a period's rate; ${f.model} alone gave ${n2(f.modelRate)})`;
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
      ? `Lead time ${n1(lt.percentileDays)} days is the configured value (only ${lt.sampleCount} received POs).`
      : `Lead time from ${lt.sampleCount} received POs (${lt.source === "sku-history" ? "this SKU" : "this supplier"}): mean ${n1(lt.meanDays)} days, σ ${n1(lt.stdDevDays)}, ${lt.percentile}th percentile ${n1(lt.percentileDays)} days` +
          (lt.transitDays > 0 ? ` including ${lt.transitDays} transit days` : "") + ".",
  );
  parts.push(`Safety stock ${n0(s.safetyStock.units)} units by the ${s.safetyStock.method} method at ${n1(s.serviceLevel * 100)}% service (${s.safetyStock.formula}).`);
  parts.push(`Reorder point ${n0(s.reorderPoint)} = ${n2(f.dailyRate)} × ${n1(s.reorderPointLeadTimeDays)} days + ${n0(s.safetyStock.units)}.`);
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
    const score = s.supplierScores.find((x) => x.supplierId === s.supplierId);
    parts.push(
      `Order ${q.quantity} units (${steps}) from ${s.supplierId} at ${formatPrice(q.unitPrice, currency)} = ${formatCents(q.lineTotal, currency)}` +
        (score
          ? ` (supplier score ${n2(score.total)}: price ${n2(score.components.price)}, lead time ${n2(score.components.leadTime)}, quality ${n2(score.components.quality)}, MOQ ${n2(score.components.moqFlexibility)})`
          : "") + ".",
    );
  } else parts.push("No order: the position covers the target.");
  parts.push(s.daysLeft === null ? "No demand is forecast, so no stock-out date." : `Days left ${n1(s.daysLeft)}, projected stock-out ${s.stockOutDate}.`);
  parts.push(s.flags.length ? `Needs review: ${s.flags.map((fl) => fl.message).join("; ")}.` : "No flags.");
  return parts.join(" ");
}

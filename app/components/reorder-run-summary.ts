import { formatCount, formatDay } from "./format.ts";

type RunCounts = { status: string; asOf: string | Date; skuCount: number; suggestionCount: number };
export type RunForSummary = RunCounts & { wholeShop?: (RunCounts & { skusReplannedSince: number }) | null };

/**
 * The Reorder page's one-line summary of the latest run. A run still going has no suggestions yet:
 * "0 suggestions" would read as its result (the demo's first run takes minutes), so it says it is planning.
 */
export function reorderRunSummary(run: RunForSummary | null): string {
  if (!run) return "Runs happen nightly at the shop's midnight and after stock changes.";
  // A stock-change run re-plans a few SKUs; the page shows the latest advice for all of them, so the
  // summary describes the last whole-shop plan and what has been re-planned on top of it.
  const whole = run.wholeShop;
  if (whole && whole.status !== "RUNNING") {
    const since = whole.skusReplannedSince;
    return `${summaryOf(whole)} ${since > 0 ? `${formatCount(since)} ${since === 1 ? "SKU" : "SKUs"} re-planned since, after stock changes.` : ""}`.trim();
  }
  if (run.status === "RUNNING") return `Planning ${formatCount(run.skuCount)} SKUs for ${formatDay(run.asOf)}…`;
  return summaryOf(run);
}

function summaryOf(run: RunCounts): string {
  return `Plan for ${formatDay(run.asOf)}: ${formatCount(run.skuCount)} SKUs, ${formatCount(run.suggestionCount)} suggestions.`;
}

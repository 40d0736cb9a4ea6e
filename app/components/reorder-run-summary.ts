import { formatCount, formatDay } from "./format.ts";

export type RunForSummary = { status: string; asOf: string | Date; skuCount: number; suggestionCount: number };

/**
 * The Reorder page's one-line summary of the latest run. A run still going has no suggestions yet:
 * "0 suggestions" would read as its result (the demo's first run takes minutes), so it says it is planning.
 */
export function reorderRunSummary(run: RunForSummary | null): string {
  if (!run) return "Runs happen nightly at the shop's midnight and after stock changes.";
  if (run.status === "RUNNING") return `Planning ${formatCount(run.skuCount)} SKUs for ${formatDay(run.asOf)}…`;
  return `Plan for ${formatDay(run.asOf)}: ${formatCount(run.skuCount)} SKUs, ${formatCount(run.suggestionCount)} suggestions.`;
}

import { describe, expect, it } from "vitest";
import { reorderRunSummary } from "./reorder-run-summary.ts";

describe("reorderRunSummary", () => {
  const run = { asOf: "2026-11-24T00:00:00.000Z", skuCount: 200, suggestionCount: 0 };

  it("says a run still going is planning, not that it found nothing", () => {
    expect(reorderRunSummary({ ...run, status: "RUNNING" })).toBe("Planning 200 SKUs for Nov 24, 2026…");
  });

  it("gives a finished run's result, and the schedule when there is no run", () => {
    expect(reorderRunSummary({ ...run, status: "COMPLETED", suggestionCount: 400 })).toBe("Plan for Nov 24, 2026: 200 SKUs, 400 suggestions.");
    expect(reorderRunSummary(null)).toBe("Runs happen nightly at the shop's midnight and after stock changes.");
  });
});

describe("reorderRunSummary after stock-change runs", () => {
  const stockChange = { status: "COMPLETED", asOf: "2026-11-24T00:00:00.000Z", skuCount: 3, suggestionCount: 6 };
  const wholeShop = { status: "COMPLETED", asOf: "2026-11-24T00:00:00.000Z", skuCount: 200, suggestionCount: 400, skusReplannedSince: 5 };

  it("describes the last whole-shop plan and what was re-planned on top of it, not the last 3 SKUs alone", () => {
    expect(reorderRunSummary({ ...stockChange, wholeShop })).toBe("Plan for Nov 24, 2026: 200 SKUs, 400 suggestions. 5 SKUs re-planned since, after stock changes.");
    expect(reorderRunSummary({ ...stockChange, wholeShop: { ...wholeShop, skusReplannedSince: 1 } })).toBe(
      "Plan for Nov 24, 2026: 200 SKUs, 400 suggestions. 1 SKU re-planned since, after stock changes.",
    );
  });

  it("falls back to the stock-change run itself when there is no finished whole-shop run", () => {
    expect(reorderRunSummary({ ...stockChange, wholeShop: null })).toBe("Plan for Nov 24, 2026: 3 SKUs, 6 suggestions.");
    expect(reorderRunSummary({ ...stockChange, wholeShop: { ...wholeShop, status: "RUNNING" } })).toBe("Plan for Nov 24, 2026: 3 SKUs, 6 suggestions.");
  });
});

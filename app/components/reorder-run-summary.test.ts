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

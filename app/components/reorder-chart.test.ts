import { describe, expect, it } from "vitest";
import { describeReorderChart, reorderChartSeries, type ReorderChartData } from "./reorder-chart.tsx";

const data: ReorderChartData = {
  startDay: "2026-11-20",
  history: [
    { units: 4, outOfStock: false },
    { units: 0, outOfStock: true },
    { units: 6, outOfStock: false },
  ],
  dailyForecast: 5,
  projection: [30, 25, 20, 15],
  reorderPoint: 22,
  safetyStock: 8,
  arrivalIndex: 2,
};

describe("SKU reorder chart", () => {
  it("puts history and forecast on one day axis, and the projection on the days ahead", () => {
    const { demand, stock } = reorderChartSeries(data);
    const sold = demand.find((s) => s.name === "Units sold")!;
    const forecast = demand.find((s) => s.name === "Forecast")!;
    expect(sold.data.map((p) => p.key)).toEqual(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]);
    expect(sold.data.map((p) => p.value)).toEqual([4, 0, 6, null, null, null, null]);
    // The forecast starts from yesterday's actual, so the two lines meet.
    expect(forecast.data.map((p) => p.value)).toEqual([null, null, 6, 5, 5, 5, 5]);
    const projected = stock.find((s) => s.name === "Projected stock")!;
    expect(projected.data).toEqual([
      { key: "2026-11-23", value: 30 }, { key: "2026-11-24", value: 25 }, { key: "2026-11-25", value: 20 }, { key: "2026-11-26", value: 15 },
    ]);
    expect(stock.find((s) => s.name === "Reorder point")!.data.map((p) => p.value)).toEqual([22, 22, 22, 22]);
    expect(stock.find((s) => s.name === "Safety stock")!.data.map((p) => p.value)).toEqual([8, 8, 8, 8]);
  });

  it("says in words what the lines show", () => {
    expect(describeReorderChart(data)).toBe(
      "Last 3 days: 10 units sold, 1 day out of stock. Forecast 5.0 units per day. Reorder point 22.0, safety stock 8.0. " +
        "Projected stock starts at 30.0 and falls below the reorder point in 2 days; the suggested order arrives in about 2 days.",
    );
  });
});

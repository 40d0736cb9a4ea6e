import { describe, expect, it } from "vitest";
import { classifyForPlanning } from "./plan-replenishment.ts";

// Ten SKUs: S0 sells most over the trailing year, S9 least; S9 has just started its season.
const items = Array.from({ length: 10 }, (_, i) => ({ skuId: `S${i}`, revenue: 1000 - i * 100, recentRevenue: i === 9 ? 500 : 50 - i }));

describe("classifyForPlanning", () => {
  it("ranks by trailing-year revenue when no run-rate window is set", () => {
    const c = classifyForPlanning(items, 0);
    expect([c.get("S0"), c.get("S1"), c.get("S2"), c.get("S9")]).toEqual(["A", "A", "B", "C"]);
  });

  it("promotes a SKU whose recent run rate ranks higher, without demoting the trailing year's A-class", () => {
    const c = classifyForPlanning(items, 28);
    // S9 is first by recent revenue: A. S0 and S1 stay A although S9 pushed S1 to B in the recent ranking.
    expect(c.get("S9")).toBe("A");
    expect(c.get("S0")).toBe("A");
    expect(c.get("S1")).toBe("A");
    expect([...c.values()].filter((x) => x === "A")).toHaveLength(3);
  });
});

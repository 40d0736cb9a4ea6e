import { describe, expect, it } from "vitest";
import { unitCostDisplay } from "./unit-cost.ts";

describe("unitCostDisplay", () => {
  it("shows whole-cent costs as money with two decimals and nothing more", () => {
    expect(unitCostDisplay("19.5", "USD")).toEqual({ shown: "$19.50", exact: null });
    expect(unitCostDisplay("0.4200", "GBP")).toEqual({ shown: "£0.42", exact: null });
  });

  it("rounds a sub-cent cost to two decimals and keeps the exact price as small print", () => {
    expect(unitCostDisplay("0.415", "GBP")).toEqual({ shown: "£0.42", exact: "£0.415" });
    expect(unitCostDisplay("1.2345", "USD")).toEqual({ shown: "$1.23", exact: "$1.2345" });
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_SUPPLIER_PARAMETERS as P } from "../reorder/supplier-parameters.ts";
import { prepareHistory } from "../demand/clean-demand.ts";
import { createRng } from "../shared/random.ts";
import { computePeriodStringRate, computePeriodStringVelocity } from "./period-string.ts";

describe("computePeriodStringRate", () => {
  it("is exactly computePeriodStringVelocity's dailyRate (lumpy, out-of-stock, new and low-data histories)", () => {
    const rng = createRng(7);
    for (let k = 0; k < 300; k++) {
      const days = 30 + rng.int(0, 700);
      const units = new Float64Array(days);
      const outOfStock = new Uint8Array(days);
      const p = rng.next();
      const oosRate = rng.next() < 0.5 ? 0 : rng.next() * 0.4;
      for (let i = 0; i < days; i++) {
        if (rng.next() < oosRate) outOfStock[i] = 1;
        else if (rng.next() < p) units[i] = rng.int(1, 20) * (rng.next() < 0.03 ? 50 : 1);
      }
      const prep = prepareHistory({ startDay: "2024-01-01", units, outOfStock });
      const params = { ...P, periodString: k % 3 === 0 ? "2,6,13" : P.periodString };
      for (const endIndex of [days, days - 28, days - 56]) {
        if (endIndex < 0) continue;
        const context = { endIndex, daysOnMarket: k % 4 === 0 ? null : rng.int(0, 800), lowData: k % 5 === 0 };
        expect(computePeriodStringRate(prep, params, context)).toBe(computePeriodStringVelocity(prep, params, context).dailyRate);
      }
    }
  });
});

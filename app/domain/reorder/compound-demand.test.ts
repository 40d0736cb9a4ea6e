import { describe, expect, it } from "vitest";
import { allocateServiceLevel, serviceLevelClassMeans } from "./plan-replenishment.ts";
import { blendOrderSizes, computeCompoundLeadTimeDemand, computeOrderSizePrior, estimateDispersion, orderSizeMoments, regularizedGammaQ } from "./compound-demand.ts";

describe("regularizedGammaQ", () => {
  it("matches closed forms: Q(1, x) = e^−x and Q(2, x) = (1 + x)·e^−x", () => {
    for (const x of [0.1, 1, 3, 10, 30]) {
      expect(regularizedGammaQ(1, x)).toBeCloseTo(Math.exp(-x), 10);
      expect(regularizedGammaQ(2, x)).toBeCloseTo((1 + x) * Math.exp(-x), 10);
    }
  });
});

describe("computeCompoundLeadTimeDemand", () => {
  it("with unit orders and a fixed lead time is a Poisson quantile (gamma approximation within a unit)", () => {
    // 2 orders of 1 unit a day over 9 + 1 days: Poisson(20); its 99.9% quantile is 35.
    const r = computeCompoundLeadTimeDemand({ sizes: orderSizeMoments([1, 1, 1]), dailyForecast: 2, leadTimeSamples: [9], extraDays: 1, serviceLevel: 0.999 });
    expect(r.mean).toBe(20);
    expect(r.orderRate).toBe(2);
    expect(Math.abs(r.quantile - 35)).toBeLessThan(1.5);
  });

  it("separates order size from rate: the same 10 units a day in orders of 50 needs far more cover than in orders of 1", () => {
    const base = { dailyForecast: 10, leadTimeSamples: [14], extraDays: 1, serviceLevel: 0.995 };
    const small = computeCompoundLeadTimeDemand({ ...base, sizes: orderSizeMoments([1]) });
    const big = computeCompoundLeadTimeDemand({ ...base, sizes: orderSizeMoments([50]) });
    expect(small.mean).toBe(150);
    expect(big.mean).toBe(150);
    expect(big.quantile - big.mean).toBeGreaterThan(5 * (small.quantile - small.mean));
  });

  it("a late tail in the lead-time samples raises the quantile", () => {
    const base = { sizes: orderSizeMoments([2, 4, 6]), dailyForecast: 10, extraDays: 1, serviceLevel: 0.999 };
    const onTime = computeCompoundLeadTimeDemand({ ...base, leadTimeSamples: Array(10).fill(10) });
    const late = computeCompoundLeadTimeDemand({ ...base, leadTimeSamples: [...Array(9).fill(10), 16] });
    expect(late.quantile).toBeGreaterThan(onTime.quantile + 30);
  });

  it("returns the mixture's quantile to a tenth of a unit (or 0.01 %), from the safe side", () => {
    // The mixture rebuilt here from its definition: per lead time H, a gamma matched on κₙ = λ·H·E[Xⁿ],
    // shifted to the mean; equal weights over the samples.
    const sizes = orderSizeMoments([1, 1, 2, 3, 5, 8, 40, 1, 2, 200]);
    const leadTimeSamples = [6, 7, 9, 12, 14, 15, 21, 30];
    const dailyForecast = 25;
    const tailAt = (x: number): number => {
      let p = 0;
      for (const L of leadTimeSamples) {
        const H = L + 1;
        const lambdaH = (dailyForecast / sizes.m1) * H;
        const mean = lambdaH * sizes.m1, variance = lambdaH * sizes.m2, skew = (lambdaH * sizes.m3) / variance ** 1.5;
        const z = (x - (mean - (2 * Math.sqrt(variance)) / skew)) / ((Math.sqrt(variance) * skew) / 2);
        p += (z <= 0 ? 1 : regularizedGammaQ(4 / (skew * skew), z)) / leadTimeSamples.length;
      }
      return p;
    };
    for (const serviceLevel of [0.9, 0.99, 0.999, 0.99995]) {
      const { quantile } = computeCompoundLeadTimeDemand({ sizes, dailyForecast, leadTimeSamples, extraDays: 1, serviceLevel });
      const tolerance = Math.max(0.1, 1e-4 * quantile);
      expect(tailAt(quantile)).toBeLessThanOrEqual(1 - serviceLevel);
      expect(tailAt(quantile - tolerance)).toBeGreaterThan(1 - serviceLevel);
    }
  });
});

describe("estimateDispersion", () => {
  it("is 1 for steady demand and grows when weeks swing more than the order sizes explain", () => {
    const steady = Float64Array.from({ length: 364 }, () => 3);
    expect(estimateDispersion(steady, undefined, 364, 364, orderSizeMoments([3]))).toBe(1);
    const swinging = Float64Array.from({ length: 364 }, (_, i) => (Math.floor(i / 7) % 2 === 0 ? 6 : 0));
    expect(estimateDispersion(swinging, undefined, 364, 364, orderSizeMoments([6]))).toBe(4);
  });
});

describe("order-size prior", () => {
  it("pools the catalogue's normalised shape and blends it by credibility", () => {
    const lumpy = orderSizeMoments([...Array(19).fill(1), 81]); // m1 5, m2 328.9, m3 26,572
    const even = orderSizeMoments(Array(20).fill(4));
    const prior = computeOrderSizePrior([lumpy, even, orderSizeMoments([100])]); // the 1-line SKU is ignored
    expect(prior.skus).toBe(2);
    expect(prior.r2).toBeCloseTo((lumpy.m2 / 25 + 1) / 2, 12);
    // A SKU with 200 steady orders of 2 and a pseudo-count of 200 sits halfway between its shape and the catalogue's.
    const own = orderSizeMoments(Array(200).fill(2));
    const blended = blendOrderSizes(own, prior, 200);
    expect(blended.m1).toBe(2);
    expect(blended.m2).toBeCloseTo(0.5 * 4 + 0.5 * prior.r2 * 4, 12);
    expect(blendOrderSizes(own, prior, 0)).toBe(own);
  });
});

describe("allocateServiceLevel", () => {
  it("skews the class level by value, keeping the class's mean miss rate, within bounds", () => {
    const levels = { A: 0.999, B: 0.995, C: 0.995 };
    const means = { A: 100, B: 10, C: 0 };
    expect(allocateServiceLevel(50, "A", levels, means)).toBeCloseTo(0.9995, 12); // half the value, half the misses
    expect(allocateServiceLevel(300, "A", levels, means)).toBeCloseTo(0.997, 12);
    expect(allocateServiceLevel(5000, "A", levels, means)).toBe(0.98); // clamped
    expect(allocateServiceLevel(0.001, "A", levels, means)).toBe(0.99995);
    expect(allocateServiceLevel(5, "C", levels, means)).toBe(0.995); // no class mean: the class level
    expect(serviceLevelClassMeans([{ abcClass: "A", value: 1 }, { abcClass: "A", value: 3 }, { abcClass: "B", value: 0 }])).toEqual({ A: 2, B: 0, C: 0 });
  });
});

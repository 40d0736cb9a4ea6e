/**
 * From "how much is missing" to a quantity a supplier will accept: rounding_one/rounding_two, MOQ, case
 * pack, then a higher price break when it is cheaper all-in. Every step is recorded for the explanation.
 */
import { ceilUnits, roundUpToMultiple } from "../shared/quantity.ts";
import { lineTotalCents, type Cents, type PriceUnits } from "../shared/money.ts";

export interface PriceBreak {
  minQuantity: number;
  unitPrice: PriceUnits;
}

export interface OrderQuantityInput {
  target: number;
  position: number;
  dailyForecast: number;
  repoAdditionalDays: number;
  roundingOne: number | null;
  roundingTwo: number | null;
  moq: number;
  casePack: number;
  unitPrice: PriceUnits;
  priceBreaks: readonly PriceBreak[];
  /** Annual holding cost as a fraction of unit cost (e.g. 0.25). */
  holdingCostRate: number;
}

export type OrderStep = "raw" | "repo_additional_days" | "rounding_one" | "rounding_two" | "moq" | "case_pack" | "price_break";

export interface OrderQuantity {
  raw: number;
  quantity: number;
  steps: { step: OrderStep; quantity: number; note: string }[];
  unitPrice: PriceUnits;
  lineTotal: Cents;
}

export function computeOrderQuantity(input: OrderQuantityInput): OrderQuantity {
  const steps: OrderQuantity["steps"] = [];
  const raw = input.target - input.position;
  if (raw <= 0) return { raw, quantity: 0, steps: [{ step: "raw", quantity: 0, note: "position covers the target" }], unitPrice: input.unitPrice, lineTotal: 0 };

  let q = ceilUnits(raw);
  steps.push({ step: "raw", quantity: q, note: `target − position = ${raw.toFixed(2)}, rounded up` });
  if (input.repoAdditionalDays > 0) {
    q = ceilUnits(q + input.dailyForecast * input.repoAdditionalDays);
    steps.push({ step: "repo_additional_days", quantity: q, note: `+${input.repoAdditionalDays} days of demand` });
  }
  if (input.roundingOne !== null && q > input.roundingOne) {
    const r = roundUpToMultiple(q, 10);
    if (r !== q) steps.push({ step: "rounding_one", quantity: r, note: `above ${input.roundingOne}: next 10` });
    q = r;
  }
  if (input.roundingTwo !== null && q > input.roundingTwo) {
    const r = roundUpToMultiple(q, 100);
    if (r !== q) steps.push({ step: "rounding_two", quantity: r, note: `above ${input.roundingTwo}: next 100` });
    q = r;
  }
  if (q < input.moq) {
    q = input.moq;
    steps.push({ step: "moq", quantity: q, note: `raised to MOQ ${input.moq}` });
  }
  if (input.casePack > 1 && q % input.casePack !== 0) {
    q = roundUpToMultiple(q, input.casePack);
    steps.push({ step: "case_pack", quantity: q, note: `multiple of case pack ${input.casePack}` });
  }

  let unitPrice = priceFor(q, input.unitPrice, input.priceBreaks);
  const costPerUnit = (qty: number, price: number): number => {
    // Holding the extra units costs price × rate per year for the average time they sit: qty / 2 days of demand.
    const daysHeld = input.dailyForecast > 0 ? qty / (2 * input.dailyForecast) : 365;
    return price * (1 + (input.holdingCostRate * daysHeld) / 365);
  };
  let best = costPerUnit(q, unitPrice);
  for (const b of [...input.priceBreaks].sort((a, c) => a.minQuantity - c.minQuantity)) {
    if (b.minQuantity <= q) continue;
    const bq = input.casePack > 1 ? roundUpToMultiple(b.minQuantity, input.casePack) : b.minQuantity;
    const price = priceFor(bq, input.unitPrice, input.priceBreaks);
    const c = costPerUnit(bq, price);
    if (c < best) {
      best = c;
      steps.push({ step: "price_break", quantity: bq, note: `break at ${b.minQuantity} is cheaper including holding cost` });
      q = bq;
      unitPrice = price;
    }
  }
  return { raw, quantity: q, steps, unitPrice, lineTotal: lineTotalCents(q, unitPrice) };
}

/** The unit price for a quantity: the best break whose minimum it reaches, else the list price. */
export function priceFor(quantity: number, listPrice: PriceUnits, breaks: readonly PriceBreak[]): PriceUnits {
  let price = listPrice;
  for (const b of breaks) if (quantity >= b.minQuantity && b.unitPrice < price) price = b.unitPrice;
  return price;
}

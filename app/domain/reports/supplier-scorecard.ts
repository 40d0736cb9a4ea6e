/**
 * Supplier scorecards (issue 7 item 5): how each supplier really performs, from its received POs.
 * - on time: received on or before the PO's expected arrival day (sent + quoted lead time when the PO has none);
 * - lead time: sent day → fully received day; average and 85th percentile (linear interpolation between
 *   order statistics, the spreadsheet PERCENTILE.INC rule) against the quoted lead time;
 * - fill rate: units received in good condition / units ordered, over received POs;
 * - defect rate: damaged units / (good + damaged) units delivered;
 * - price history: each SKU's unit cost on successive POs, and every change with its date and size.
 * Pure: days are day numbers (or ISO days) handed in by the model.
 */

export interface ScorecardPo {
  sentDay: number;
  expectedDay: number | null;
  receivedDay: number | null;
  ordered: number;
  received: number;
  damaged: number;
}

export interface ScorecardPrice {
  skuCode: string;
  day: number;
  unitCost: number;
}

export interface ScorecardInput {
  supplierId: string;
  name: string;
  quotedDays: number;
  purchaseOrders: ScorecardPo[];
  prices: ScorecardPrice[];
}

export interface PriceChange {
  skuCode: string;
  day: number;
  from: number;
  to: number;
  change: number;
}

export interface Scorecard {
  supplierId: string;
  name: string;
  quotedDays: number;
  receivedPurchaseOrders: number;
  onTimeRate: number | null;
  averageLeadTime: number | null;
  p85LeadTime: number | null;
  fillRate: number | null;
  defectRate: number | null;
  priceChanges: PriceChange[];
  /** Mean relative change of the SKUs' unit cost from their first to their latest PO. */
  averagePriceChange: number | null;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export function scorecard(input: ScorecardInput): Scorecard {
  const received = input.purchaseOrders.filter((p) => p.receivedDay !== null);
  const leadTimes = received.map((p) => (p.receivedDay as number) - p.sentDay).sort((a, b) => a - b);
  const onTime = received.filter((p) => (p.receivedDay as number) <= (p.expectedDay ?? p.sentDay + input.quotedDays)).length;
  const ordered = received.reduce((a, p) => a + p.ordered, 0);
  const good = received.reduce((a, p) => a + p.received, 0);
  const damaged = received.reduce((a, p) => a + p.damaged, 0);
  const bySku = new Map<string, ScorecardPrice[]>();
  for (const price of [...input.prices].sort((a, b) => a.day - b.day)) {
    const list = bySku.get(price.skuCode) ?? [];
    list.push(price);
    bySku.set(price.skuCode, list);
  }
  const changes: PriceChange[] = [];
  const overall: number[] = [];
  for (const [code, list] of [...bySku].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as ScorecardPrice;
      const cur = list[i] as ScorecardPrice;
      if (cur.unitCost !== prev.unitCost) changes.push({ skuCode: code, day: cur.day, from: prev.unitCost, to: cur.unitCost, change: prev.unitCost > 0 ? cur.unitCost / prev.unitCost - 1 : 0 });
    }
    const first = list[0] as ScorecardPrice;
    const last = list[list.length - 1] as ScorecardPrice;
    if (list.length > 1 && first.unitCost > 0) overall.push(last.unitCost / first.unitCost - 1);
  }
  return {
    supplierId: input.supplierId,
    name: input.name,
    quotedDays: input.quotedDays,
    receivedPurchaseOrders: received.length,
    onTimeRate: received.length > 0 ? onTime / received.length : null,
    averageLeadTime: leadTimes.length > 0 ? leadTimes.reduce((a, b) => a + b, 0) / leadTimes.length : null,
    p85LeadTime: percentile(leadTimes, 0.85),
    fillRate: ordered > 0 ? good / ordered : null,
    defectRate: good + damaged > 0 ? damaged / (good + damaged) : null,
    priceChanges: changes.sort((a, b) => b.day - a.day || (a.skuCode < b.skuCode ? -1 : 1)),
    averagePriceChange: overall.length > 0 ? overall.reduce((a, b) => a + b, 0) / overall.length : null,
  };
}

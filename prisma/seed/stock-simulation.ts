/**
 * Stock history for one SKU at one location, made consistent with the real sales it must have served.
 *
 * The log has no stock, so the seed invents the replenishment that would have let the shop sell exactly
 * what it sold: stock arrives only through the supplier's regular POs (placed every `orderCycleDays`,
 * received after a lead time drawn from the supplier's range), and each PO line is sized, knowing the
 * sales until the next delivery W, to leave a buffer of `bufferDays` of demand: q = W + buffer − stock,
 * rounded up to the MOQ and case pack. So stock never goes negative. On a few chosen deliveries (chance
 * `stockoutChance`, only when the sales of that cycle end before the next delivery) the supplier ships
 * exactly W − stock (a short shipment, less than one case short): stock hits 0 with the cycle's last sale
 * and the SKU is out of stock until the next delivery — on days the log shows no sales, so history and
 * stock agree. The last delivery sets today's position by the SKU's end profile: healthy (25–60 days of
 * cover), low (1 to half the supplier's shortest lead time in days of cover: under any sensible reorder
 * point) or out (0).
 *
 * Days are indices on the log's calendar (0 = first log day). A delivery is booked before that day's sales.
 */
import type { Rng } from "#app/domain/shared/random.ts";

export type EndProfile = "healthy" | "low" | "out";

export interface Delivery {
  /** Caller's id of the PO slot. */
  slot: number;
  placedDay: number;
  receivedDay: number;
}

export interface StockPolicy {
  moq: number;
  casePack: number;
  /** Target days of demand left when the next delivery arrives. */
  bufferDays: number;
  stockoutChance: number;
  endProfile: EndProfile;
  /** Upper end of the "low" cover, in days. */
  lowCoverDays: number;
}

export interface DeliveryLine {
  slot: number;
  ordered: number;
  received: number;
}

export interface StockHistory {
  opening: number;
  lines: DeliveryLine[];
  /** Stock at the end of each day. */
  closing: Int32Array;
  /** 1 when the day began (after any delivery) with no stock; only from the first sale on. */
  outOfStock: Uint8Array;
  /** The end profile actually reached (a wanted "out" that the numbers cannot give falls back to "low"). */
  endProfile: EndProfile;
}

const RATE_LOOKBACK_DAYS = 28;

export function simulateStock(units: ArrayLike<number>, deliveries: readonly Delivery[], policy: StockPolicy, rng: Rng): StockHistory {
  const days = units.length;
  const sorted = [...deliveries].filter((d) => d.receivedDay >= 0 && d.receivedDay < days).sort((a, b) => a.receivedDay - b.receivedDay || a.slot - b.slot);
  // Window i runs from boundary[i] (a delivery day, or day 0) to boundary[i + 1] − 1.
  const boundaries = [0, ...sorted.map((d) => d.receivedDay), days];
  const prefix = new Float64Array(days + 1);
  for (let d = 0; d < days; d++) prefix[d + 1] = (prefix[d] as number) + (units[d] as number);
  const sum = (from: number, to: number) => (prefix[Math.min(to, days)] as number) - (prefix[Math.max(from, 0)] as number);
  const rate = (start: number, end: number) => {
    const from = Math.max(0, start - RATE_LOOKBACK_DAYS);
    return end > from ? sum(from, end) / (end - from) : 0;
  };
  const lastSaleBefore = (start: number, end: number) => {
    for (let d = end - 1; d >= start; d--) if ((units[d] as number) > 0) return d;
    return -1;
  };
  const roundUp = (q: number) => (policy.casePack > 1 ? Math.ceil(q / policy.casePack) * policy.casePack : q);
  const orderFor = (need: number) => (need <= 0 ? 0 : roundUp(Math.max(need, policy.moq)));

  const firstWindowEnd = boundaries[1] as number;
  const w0 = sum(0, firstWindowEnd);
  const opening = w0 > 0 ? w0 + Math.ceil(rate(0, firstWindowEnd) * policy.bufferDays) : 0;

  const lines: DeliveryLine[] = [];
  const receivedOn = new Map<number, number>();
  let stock = opening - w0;
  let endProfile: EndProfile = policy.endProfile;
  for (let i = 0; i < sorted.length; i++) {
    const delivery = sorted[i] as Delivery;
    const start = boundaries[i + 1] as number;
    const end = boundaries[i + 2] as number;
    const demand = sum(start, end);
    const isLast = i === sorted.length - 1;
    const isPenultimate = i === sorted.length - 2;
    let ordered = 0;
    let received = 0;
    if (demand > 0) {
      const r = rate(start, end);
      const exact = demand - stock; // what leaves exactly 0 after the cycle's last sale
      const canEmpty = exact === 0 || exact >= policy.moq;
      if (isLast) {
        if (endProfile === "out" && !canEmpty) endProfile = "low";
        if (endProfile === "out") {
          received = Math.max(exact, 0);
          ordered = orderFor(received);
        } else {
          const cover = endProfile === "low" ? 1 + rng.next() * Math.max(1, policy.lowCoverDays - 1) : 25 + rng.next() * 35;
          ordered = orderFor(demand + Math.max(1, Math.ceil(r * cover)) - stock);
          received = ordered;
        }
      } else {
        const gap = lastSaleBefore(start, end) < end - 1;
        // A SKU that should end low or out arrives at its last delivery with little stock left.
        const buffer = isPenultimate && endProfile !== "healthy" ? 1 : policy.bufferDays;
        if (gap && canEmpty && exact >= 0 && rng.next() < policy.stockoutChance) {
          received = exact;
          ordered = orderFor(received);
        } else {
          ordered = orderFor(demand + Math.ceil(r * buffer) - stock);
          received = ordered;
        }
      }
    }
    if (ordered > 0) {
      lines.push({ slot: delivery.slot, ordered, received });
      receivedOn.set(start, (receivedOn.get(start) ?? 0) + received);
    }
    stock += received - demand;
  }

  const closing = new Int32Array(days);
  const outOfStock = new Uint8Array(days);
  let firstSale = -1;
  for (let d = 0; d < days; d++) if ((units[d] as number) > 0) {
    firstSale = d;
    break;
  }
  let level = opening;
  for (let d = 0; d < days; d++) {
    level += receivedOn.get(d) ?? 0;
    if (level === 0 && firstSale >= 0 && d >= firstSale) outOfStock[d] = 1;
    level -= units[d] as number;
    if (level < 0) throw new Error(`stock simulation went negative on day ${d} (${level}): a bug in the sizing rule`);
    closing[d] = level;
  }
  if (endProfile === "out" && level !== 0) endProfile = "low";
  return { opening, lines, closing, outOfStock, endProfile };
}

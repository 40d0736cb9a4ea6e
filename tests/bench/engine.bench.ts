/**
 * npm run bench:engine [-- --skus 100000 --days 730]
 * Full planReplenishment over synthetic history: 100,000 SKUs × 730 days by default. Prints SKUs/s,
 * wall time and peak RSS. Target: < 5 s and < 2 GB on the 2-core dev machine.
 * Histories are Uint16Array (units per day fit in 16 bits) so the input itself stays ~150 MB.
 */
import { availableParallelism, cpus } from "node:os";
import { planReplenishment, DEFAULT_SUPPLIER_PARAMETERS, type SkuLocationSnapshot, type SupplierInput } from "#app/domain/reorder/index.ts";
import { addDays } from "#app/domain/shared/day.ts";
import { createRng } from "#app/domain/shared/random.ts";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SKUS = arg("skus", 100_000);
const DAYS = arg("days", 730);
const SUPPLIERS = 50;
const asOf = "2025-01-01";
const startDay = addDays(asOf, -DAYS);

let peakRss = 0;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
const sampler = setInterval(sampleRss, 20);

const rng = createRng(42);
const suppliers: SupplierInput[] = Array.from({ length: SUPPLIERS }, (_, j) => {
  const low = 5 + (j % 15);
  return {
    supplierId: `SUP${j}`,
    parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: low + 5, orderMin: 10_000 },
    receivedPurchaseOrders: Array.from({ length: 30 }, (_, k) => {
      const placedOn = addDays(asOf, -400 + k * 12);
      return { placedOn, receivedOn: addDays(placedOn, low + rng.int(0, 10)) };
    }),
  };
});

const genStart = performance.now();
const skus: SkuLocationSnapshot[] = new Array(SKUS);
for (let k = 0; k < SKUS; k++) {
  // A mix of regular and lumpy sellers with weekly pattern and a slow trend.
  const units = new Uint16Array(DAYS);
  const base = 0.2 + rng.next() * rng.next() * 40;
  const p = 0.3 + rng.next() * 0.7;
  const lumpy = rng.next() < 0.6;
  const growth = (rng.next() - 0.4) / DAYS;
  for (let i = 0; i < DAYS; i++) {
    if (i % 7 === 5 || rng.next() > p) continue;
    const level = base * (1 + growth * i) * (lumpy && rng.next() < 0.1 ? 6 : 1);
    units[i] = Math.min(65_535, Math.max(0, Math.round(level * (0.5 + rng.next()))));
  }
  const s1 = k % SUPPLIERS;
  const cost = 5_000 + (k % 97) * 1_000;
  skus[k] = {
    skuId: `SKU${k}`,
    locationId: "main",
    status: "active",
    history: { startDay, units },
    onHand: Math.round(base * rng.next() * 40),
    committed: 0,
    backordered: 0,
    kitSupply: 0,
    openPurchaseOrders: [],
    sellPrice: cost * 2,
    offers: k % 4 === 0
      ? [{ supplierId: `SUP${s1}`, unitCost: cost, casePack: 6 }, { supplierId: `SUP${(s1 + 7) % SUPPLIERS}`, unitCost: cost - 500, moq: 50 }]
      : [{ supplierId: `SUP${s1}`, unitCost: cost, casePack: 6 }],
  };
}
const genMs = performance.now() - genStart;
sampleRss();
const rssBefore = process.memoryUsage.rss();

const started = performance.now();
const plan = planReplenishment({ suppliers, skus }, asOf);
const wallMs = performance.now() - started;
sampleRss();
clearInterval(sampler);

const cores = cpus();
console.log(`engine bench: ${SKUS.toLocaleString("en")} SKUs × ${DAYS} days, default policy, one thread`);
console.log(`machine: ${availableParallelism()} cores (${cores[0]?.model ?? "unknown"}), Node ${process.version}`);
console.log(`history generation: ${(genMs / 1000).toFixed(2)} s (not timed), RSS with input ${(rssBefore / 2 ** 20).toFixed(0)} MB`);
console.log(`plan: ${(wallMs / 1000).toFixed(2)} s wall, ${Math.round(SKUS / (wallMs / 1000)).toLocaleString("en")} SKUs/s`);
console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MB`);
console.log(`result: ${plan.summary.suggestionsToOrder.toLocaleString("en")} lines to order, ${plan.purchaseOrders.length} POs, ${plan.summary.needsReview.toLocaleString("en")} lines need review`);

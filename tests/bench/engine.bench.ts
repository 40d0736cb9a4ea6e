/**
 * npm run bench:engine [-- --skus 100000 --days 730 --threads N --skip-explanations]
 * Full plan over synthetic history: 100,000 SKUs × 730 days by default, on N worker threads (default:
 * the machine's available parallelism). Prints SKUs/s, wall time, peak RSS and the machine.
 * Target: < 5 s and < 2 GB on the 2-core dev machine.
 *
 * The engine (app/domain) stays pure and single-threaded; sharding lives here, in the runner:
 *  1. each worker generates its shard of SKUs (per-SKU seeded, so the catalogue is the same for any N;
 *     not timed) and, timed from here on, reports each SKU's trailing revenue and service-level value,
 *     its catalogue-trend sums and its order-size shape;
 *  2. the main thread classifies ABC over the whole catalogue, pools the trend and the shape, and
 *     averages the service-level value per class;
 *  3. each worker plans its shard with those (planReplenishment with `abcClass`, `catalogueTrend`,
 *     `orderSizePrior` and `serviceLevelClassMeans`), and returns its order lines;
 *  4. the main thread consolidates one PO per supplier over every line.
 * So the result is the same plan a single planReplenishment over all SKUs would produce.
 * Histories are Uint16Array (units per day fit in 16 bits), ~1.5 KB per SKU.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  classifyAbc, computeCatalogueOrderSizePrior, computeTrailingRevenue, consolidatePurchaseOrders, serviceLevelClassMeans, serviceLevelValue, planReplenishment, DEFAULT_SUPPLIER_PARAMETERS, DEFAULT_SHOP_POLICY,
  type AbcClass, type OrderSizePrior, type SkuLocationSnapshot, type SupplierInput,
} from "#app/domain/reorder/index.ts";
import { computeCatalogueTrend, type CatalogueTrend } from "#app/domain/forecast/catalogue-trend.ts";
import type { ConsolidationLine } from "#app/domain/reorder/consolidate.ts";
import { addDays } from "#app/domain/shared/day.ts";
import { createRng } from "#app/domain/shared/random.ts";

const SUPPLIERS = 50;
const ASOF = "2025-01-01";

interface Shard {
  lo: number;
  hi: number;
  days: number;
  skipExplanations: boolean;
}

function makeSuppliers(): SupplierInput[] {
  const rng = createRng(42);
  return Array.from({ length: SUPPLIERS }, (_, j) => {
    const low = 5 + (j % 15);
    return {
      supplierId: `SUP${j}`,
      parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: low + 5, orderMin: 10_000 },
      receivedPurchaseOrders: Array.from({ length: 30 }, (_, k) => {
        const placedOn = addDays(ASOF, -400 + k * 12);
        return { placedOn, receivedOn: addDays(placedOn, low + rng.int(0, 10)) };
      }),
    };
  });
}

/** SKU k's synthetic history: a mix of regular and lumpy sellers with a weekly pattern and a slow trend. */
function makeSku(k: number, days: number, startDay: string): SkuLocationSnapshot {
  const rng = createRng((Math.imul(k + 1, 0x9e3779b1) ^ 42) >>> 0);
  const units = new Uint16Array(days);
  const base = 0.2 + rng.next() * rng.next() * 40;
  const p = 0.3 + rng.next() * 0.7;
  const lumpy = rng.next() < 0.6;
  const growth = (rng.next() - 0.4) / days;
  for (let i = 0; i < days; i++) {
    if (i % 7 === 5 || rng.next() > p) continue;
    const level = base * (1 + growth * i) * (lumpy && rng.next() < 0.1 ? 6 : 1);
    units[i] = Math.min(65_535, Math.max(0, Math.round(level * (0.5 + rng.next()))));
  }
  const s1 = k % SUPPLIERS;
  const cost = 5_000 + (k % 97) * 1_000;
  return {
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

type ToWorker =
  | { kind: "measure" }
  | { kind: "plan"; classes: Uint8Array; trend: CatalogueTrend; orderSizePrior: OrderSizePrior; serviceLevelClassMeans: Record<AbcClass, number> };
type FromWorker =
  | { kind: "ready"; rss: number }
  | { kind: "measured"; revenue: Float64Array; value: Float64Array; recent: number; previous: number; sizes: OrderSizePrior; rss: number }
  | { kind: "planned"; lines: ConsolidationLine[]; toOrder: number; needsReview: number; rss: number };

const CLASS_CODES: AbcClass[] = ["A", "B", "C"];

if (!isMainThread) {
  const shard = workerData as Shard;
  const startDay = addDays(ASOF, -shard.days);
  const suppliers = makeSuppliers();
  const skus: SkuLocationSnapshot[] = [];
  for (let k = shard.lo; k < shard.hi; k++) skus.push(makeSku(k, shard.days, startDay));
  const port = parentPort;
  if (!port) throw new Error("no parent port");
  const send = (m: FromWorker): void => port.postMessage(m);
  send({ kind: "ready", rss: process.memoryUsage.rss() });
  port.on("message", (m: ToWorker) => {
    if (m.kind === "measure") {
      const revenue = Float64Array.from(skus, (s) => computeTrailingRevenue(s, ASOF));
      const endIndex = shard.days;
      const t = computeCatalogueTrend(skus.map((s) => ({ units: s.history.units, endIndex })));
      const sizes = computeCatalogueOrderSizePrior(skus, ASOF, DEFAULT_SHOP_POLICY.leadTimeDemandWindowDays);
      const value = Float64Array.from(skus, (s) => serviceLevelValue(s, ASOF, DEFAULT_SHOP_POLICY.leadTimeDemandWindowDays));
      send({ kind: "measured", revenue, value, recent: t.recentUnits, previous: t.previousUnits, sizes, rss: process.memoryUsage.rss() });
    } else {
      skus.forEach((s, i) => (s.abcClass = CLASS_CODES[m.classes[i] as number]));
      const plan = planReplenishment(
        { suppliers, skus, catalogueTrend: m.trend, orderSizePrior: m.orderSizePrior, serviceLevelClassMeans: m.serviceLevelClassMeans, skipExplanations: shard.skipExplanations }, ASOF,
      );
      const lines: ConsolidationLine[] = [];
      let needsReview = 0;
      for (const s of plan.suggestions) {
        if (s.supplierId === null || s.orderQuantity.quantity <= 0) continue;
        if (s.flags.length > 0) needsReview++;
        lines.push({ skuId: s.skuId, locationId: s.locationId, supplierId: s.supplierId, quantity: s.orderQuantity.quantity, lineTotal: s.orderQuantity.lineTotal, stockOutDate: s.stockOutDate, flags: s.flags });
      }
      send({ kind: "planned", lines, toOrder: plan.summary.suggestionsToOrder, needsReview, rss: process.memoryUsage.rss() });
    }
  });
} else {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const SKUS = arg("skus", 100_000);
  const DAYS = arg("days", 730);
  const THREADS = Math.max(1, arg("threads", availableParallelism()));
  const skipExplanations = process.argv.includes("--skip-explanations");

  let peakMain = 0;
  const workerRss = new Array<number>(THREADS).fill(0);
  let peakTotal = 0;
  const sample = (): void => {
    const main = process.memoryUsage.rss();
    peakMain = Math.max(peakMain, main);
    // Worker threads share the process: rss() in any thread is the whole process.
    peakTotal = Math.max(peakTotal, main, ...workerRss);
  };
  const sampler = setInterval(sample, 20);

  const genStart = performance.now();
  const per = Math.ceil(SKUS / THREADS);
  const workers = Array.from({ length: THREADS }, (_, w) => {
    const shard: Shard = { lo: w * per, hi: Math.min(SKUS, (w + 1) * per), days: DAYS, skipExplanations };
    return new Worker(new URL(import.meta.url), { workerData: shard });
  });
  const next = (w: number): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      const wk = workers[w] as Worker;
      const onMessage = (m: FromWorker): void => {
        wk.off("error", reject);
        workerRss[w] = Math.max(workerRss[w] ?? 0, m.rss);
        resolve(m);
      };
      wk.once("message", onMessage);
      wk.once("error", reject);
    });
  await Promise.all(workers.map((_, w) => next(w)));
  const genMs = performance.now() - genStart;
  sample();
  const rssBefore = process.memoryUsage.rss();

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const measuredP = workers.map((_, w) => next(w));
  for (const wk of workers) wk.postMessage({ kind: "measure" } satisfies ToWorker);
  const measured = (await Promise.all(measuredP)) as Extract<FromWorker, { kind: "measured" }>[];
  const items: { skuId: string; revenue: number }[] = [];
  const values: number[] = [];
  let recent = 0, previous = 0, r2 = 0, r3 = 0, sized = 0;
  measured.forEach((m, w) => {
    recent += m.recent;
    previous += m.previous;
    r2 += m.sizes.r2 * m.sizes.skus;
    r3 += m.sizes.r3 * m.sizes.skus;
    sized += m.sizes.skus;
    m.revenue.forEach((r, i) => items.push({ skuId: `SKU${w * per + i}`, revenue: r }));
    for (const v of m.value) values.push(v);
  });
  const abc = classifyAbc(items);
  // Catalogue order (shard by shard), so worker w's SKU i is entry w·per + i.
  const classOf = items.map((item) => abc.get(item.skuId) ?? "C");
  const means = serviceLevelClassMeans(classOf.map((abcClass, k) => ({ abcClass, value: values[k] as number })));
  const trend: CatalogueTrend = { growthPerDay: recent > 0 && previous > 0 ? Math.log(recent / previous) / 28 : 0, recentUnits: recent, previousUnits: previous };
  const orderSizePrior: OrderSizePrior = sized > 0 ? { r2: r2 / sized, r3: r3 / sized, skus: sized } : { r2: 1, r3: 1, skus: 0 };
  const plannedP = workers.map((_, w) => next(w));
  workers.forEach((wk, w) => {
    const n = (measured[w] as { revenue: Float64Array }).revenue.length;
    const classes = new Uint8Array(n);
    for (let i = 0; i < n; i++) classes[i] = CLASS_CODES.indexOf(classOf[w * per + i] as AbcClass);
    wk.postMessage({ kind: "plan", classes, trend, orderSizePrior, serviceLevelClassMeans: means } satisfies ToWorker, [classes.buffer]);
  });
  const planned = (await Promise.all(plannedP)) as Extract<FromWorker, { kind: "planned" }>[];
  const suppliers = makeSuppliers();
  const purchaseOrders = consolidatePurchaseOrders(
    planned.flatMap((p) => p.lines),
    suppliers.map((s) => ({ supplierId: s.supplierId, orderMin: s.parameters.orderMin, orderMax: s.parameters.orderMax, orderAlert: s.parameters.orderAlert, autoSend: s.parameters.autoSend, disputeOpen: false })),
    { asOf: ASOF, nextRunOn: addDays(ASOF, DEFAULT_SHOP_POLICY.reviewDays), approvalThreshold: DEFAULT_SHOP_POLICY.approvalThreshold, currency: DEFAULT_SHOP_POLICY.currency },
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  sample();
  clearInterval(sampler);
  await Promise.all(workers.map((w) => w.terminate()));

  const cores = cpus();
  const [l1, l5, l15] = loadavg();
  console.log(`engine bench: ${SKUS.toLocaleString("en")} SKUs × ${DAYS} days, default policy, ${THREADS} worker thread${THREADS > 1 ? "s" : ""}${skipExplanations ? ", explanations skipped" : ", explanations on demand (none read)"}`);
  console.log(`machine: ${cores[0]?.model ?? "unknown"}, ${cores.length} cores (available parallelism ${availableParallelism()}), load average ${l1?.toFixed(2)} / ${l5?.toFixed(2)} / ${l15?.toFixed(2)}, Node ${process.version}`);
  console.log(`history generation: ${(genMs / 1000).toFixed(2)} s (not timed), RSS with input ${(rssBefore / 2 ** 20).toFixed(0)} MB`);
  console.log(`plan: ${(wallMs / 1000).toFixed(2)} s wall, ${Math.round(SKUS / (wallMs / 1000)).toLocaleString("en")} SKUs/s`);
  // getrusage covers every thread of the process (workers and V8's GC helpers): on a shared, loaded
  // machine this is what the plan cost, whatever the wall time says.
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`CPU time: ${cpuS.toFixed(2)} s, all threads (${Math.round(SKUS / cpuS).toLocaleString("en")} SKUs per CPU-second)`);
  console.log(`peak RSS: ${(peakTotal / 2 ** 20).toFixed(0)} MB (whole process, all threads)`);
  const toOrder = planned.reduce((s, p) => s + p.toOrder, 0);
  const review = planned.reduce((s, p) => s + p.needsReview, 0);
  console.log(`result: ${toOrder.toLocaleString("en")} lines to order, ${purchaseOrders.length} POs, ${review.toLocaleString("en")} lines need review`);
  // Determinism check: FNV-1a over every SKU's order quantity and line total (in SKU order) and the POs'
  // totals. Same seed, same checksum, whatever the engine's internals or the thread count.
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    for (const ch of String(x)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  };
  const allLines = planned.flatMap((p) => p.lines).sort((a, b) => Number(a.skuId.slice(3)) - Number(b.skuId.slice(3)));
  for (const l of allLines) { mix(Number(l.skuId.slice(3))); mix(l.quantity); mix(l.lineTotal); }
  for (const po of purchaseOrders) for (const v of Object.values(po)) if (typeof v === "number") mix(v);
  console.log(`checksum: ${h.toString(16).padStart(8, "0")} over ${allLines.length.toLocaleString("en")} order lines`);
}

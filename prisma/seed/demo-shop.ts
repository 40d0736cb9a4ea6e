/**
 * `seedDemoShop(prisma, options)`: the demo shop, seeded from the real order history in ../shared/data
 * (docs/demo-data.md says how each table is derived). Used by `npm run seed`, the demo launcher and tests.
 *
 * Idempotent: when the shop already has SKUs it does nothing and reports what is there, unless `reset`
 * is set, which purges the shop's data and seeds again. Everything happens in one transaction under an
 * advisory lock on the domain, so a failed or concurrent run never leaves half a shop.
 */
import type { PrismaClient } from "@prisma/client";
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { DEFAULT_RETAIL_DATASET_PATH } from "#app/lib/retail-dataset.server.ts";
import { londonDayOf, SHOP_TIMEZONE } from "./calendar.ts";
import { cleanRetailLog } from "./clean-log.ts";
import { DEFAULT_SEED, DEFAULT_SKU_LIMIT, DEFAULT_SUPPLIER_COUNT, deriveDemoData, type DemoData } from "./derive-demo-data.ts";
import { createIdFactory } from "./ids.ts";
import { readRetailLog } from "./retail-log.ts";
import { writeDemoData, type Tx, type WriteCounts } from "./write-demo-data.ts";

export const DEMO_SHOP_DOMAIN = "demo-shop.myshopify.com";
export const DEMO_SHOP_NAME = "Bunting & Bell Gifts (demo)";

export interface SeedDemoShopOptions {
  domain?: string;
  /** The gzip CSV; defaults to ../shared/data/online-retail-dataset.csv.gz. */
  dataPath?: string;
  /**
   * The demo's "today": the log's last day (2011-12-09) becomes asOf − 1. A Date counts as its day in
   * Europe/London. When omitted, today's date, read once here; nothing below reads the clock.
   */
  asOf?: IsoDay | Date;
  /** Top-N products by revenue (default 300). */
  skuLimit?: number;
  /** PRNG seed for lead times, stock policy and stock-outs (default 20111209). */
  seed?: number;
  /** Purge the shop's data and seed again. */
  reset?: boolean;
  /** Progress lines (e.g. console.log); silent by default. */
  log?: (line: string) => void;
}

export interface SeedDemoShopSummary {
  shopId: string;
  domain: string;
  /** True when the shop already had data and nothing was written. */
  skipped: boolean;
  /** The opposite of `skipped`: this call seeded the shop. */
  created: boolean;
  /** The asOf the data was derived for (for a skipped run: the day after the last demand day found). */
  asOf: IsoDay | null;
  counts: WriteCounts | null;
  stats: DemoData["stats"] | null;
  /** Phases, plus the write time of each table (`tables`, ms) when this call seeded. */
  timingsMs: { read: number; derive: number; write: number; total: number; tables?: Record<string, number> };
}

const TRANSACTION_TIMEOUT_MS = 10 * 60_000; // the embedded Postgres is slow; never cut a seed off half-way

export async function seedDemoShop(prisma: PrismaClient, options: SeedDemoShopOptions = {}): Promise<SeedDemoShopSummary> {
  const started = performance.now();
  const domain = options.domain ?? DEMO_SHOP_DOMAIN;
  const log = options.log ?? (() => {});
  const skuLimit = options.skuLimit ?? DEFAULT_SKU_LIMIT;
  if (!Number.isInteger(skuLimit) || skuLimit < 1) throw new RangeError(`skuLimit must be a positive integer, got ${skuLimit}`);
  const asOf = options.asOf instanceof Date ? londonDayOf(options.asOf) : (options.asOf ?? londonDayOf(new Date()));
  toDayNumber(asOf); // validates the format

  const existing = await findSeeded(prisma, domain);
  if (existing && !options.reset) {
    log(`demo shop ${domain} already seeded (data up to ${existing.asOf ?? "?"}); nothing to do (use --reset to reseed)`);
    return { shopId: existing.shopId, domain, skipped: true, created: false, asOf: existing.asOf, counts: null, stats: null, timingsMs: { read: 0, derive: 0, write: 0, total: performance.now() - started } };
  }

  const t0 = performance.now();
  const rows = await readRetailLog(options.dataPath ?? DEFAULT_RETAIL_DATASET_PATH);
  const cleaned = cleanRetailLog(rows);
  const t1 = performance.now();
  log(`read ${rows.length.toLocaleString("en-GB")} log rows → ${cleaned.lines.length.toLocaleString("en-GB")} sale lines in ${ms(t1 - t0)}`);
  const data = deriveDemoData(cleaned, { asOf, skuLimit, seed: options.seed ?? DEFAULT_SEED, supplierCount: DEFAULT_SUPPLIER_COUNT });
  const t2 = performance.now();
  log(`derived ${data.skus.length} SKUs, ${data.orders.length.toLocaleString("en-GB")} orders, ${data.movements.length.toLocaleString("en-GB")} movements, ${data.purchaseOrders.length} POs in ${ms(t2 - t1)}`);

  const id = createIdFactory(domain);
  const tables: Record<string, number> = {};
  const result = await prisma.$transaction(
    async (tx) => {
      // One seeder per domain at a time; the loser of a race finds the winner's data and skips.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`replenish-demo-seed:${domain}`}))`;
      const again = await findSeeded(tx, domain);
      if (again && !options.reset) return { shopId: again.shopId, counts: null };
      if (again) {
        const t = performance.now();
        await purgeShop(tx, again.shopId);
        tables.purge = Math.round(performance.now() - t);
      }
      const shop = await tx.shop.upsert({
        where: { domain },
        create: { id: id("shop", domain), domain, name: DEMO_SHOP_NAME, timezone: SHOP_TIMEZONE, currency: "GBP", isDemo: true, settings: { create: {} } },
        update: { name: DEMO_SHOP_NAME, timezone: SHOP_TIMEZONE, currency: "GBP", isDemo: true, status: "ACTIVE" },
      });
      await tx.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id }, update: {} });
      const counts = await writeDemoData(tx, data, { shopId: shop.id, id, timings: tables });
      return { shopId: shop.id, counts };
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
  );
  const t3 = performance.now();
  if (!result.counts) {
    log(`demo shop ${domain} was seeded by a concurrent run; nothing to do`);
    return { shopId: result.shopId, domain, skipped: true, created: false, asOf, counts: null, stats: null, timingsMs: { read: t1 - t0, derive: t2 - t1, write: 0, total: t3 - started } };
  }
  log(`wrote the demo shop in ${ms(t3 - t2)} (total ${ms(t3 - started)})`);
  return { shopId: result.shopId, domain, skipped: false, created: true, asOf, counts: result.counts, stats: data.stats, timingsMs: { read: t1 - t0, derive: t2 - t1, write: t3 - t2, total: t3 - started, tables } };
}

/** The shop when it already has a catalogue, with the day after its last demand day. */
async function findSeeded(db: Tx, domain: string): Promise<{ shopId: string; asOf: IsoDay | null } | null> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true } });
  if (!shop) return null;
  if ((await db.sku.count({ where: { shopId: shop.id } })) === 0) return null;
  const last = await db.dailyDemand.aggregate({ where: { shopId: shop.id }, _max: { day: true } });
  const day = last._max.day;
  return { shopId: shop.id, asOf: day ? addDays(fromDayNumber(toDayNumber(day)), 1) : null };
}

/**
 * Deletes the shop and every row it owns, children before parents where the schema
 * says RESTRICT (a Shop cascade could reach a supplier before its POs). The ledger and journal refuse
 * deletes unless the transaction opts in, which a purge must.
 */
export async function purgeShop(tx: Tx, shopId: string): Promise<void> {
  await tx.$executeRawUnsafe(`SET LOCAL replenish.allow_ledger_purge = 'on'`);
  const ordered = [
    "ReceiptLine", "Receipt", "WriteOff", "SupplierPayment", "TransferLine", "Transfer", "JournalLine", "JournalEntry",
    "ReorderSuggestion", "PurchaseOrderEvent", "PurchaseOrderAttachment", "PurchaseOrderLine", "PurchaseOrder",
    "InventoryMovement", "InventoryLevel", "DailyDemand", "SalesOrderLine", "SalesOrder", "ChannelPush", "ChannelListing",
    "SupplierProduct", "SupplierRemittance", "Supplier", "KitComponent", "BackInStockSubscription", "Sku", "Location", "DocumentSequence",
  ];
  for (const table of ordered) await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "shopId" = $1`, shopId);
  // Anything else the shop owns (settings, runs, review items, notifications…) goes with the cascade.
  await tx.shop.delete({ where: { id: shopId } });
}

function ms(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

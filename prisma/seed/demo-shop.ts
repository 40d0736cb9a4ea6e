/**
 * `seedDemoShop(prisma, options)`: the demo shop, seeded from the real order history in ../shared/data
 * (docs/demo-data.md says how each table is derived). Used by `npm run seed`, the demo launcher and tests.
 *
 * Idempotent: when the shop already has SKUs it does nothing and reports what is there, unless `reset`
 * is set, which purges the shop first and seeds again. The seed itself is one transaction under an
 * advisory lock on the domain, so a failed or concurrent run never leaves half a shop.
 */
import type { PrismaClient } from "@prisma/client";
import { addDays, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { DEFAULT_RETAIL_DATASET_PATH } from "#app/lib/retail-dataset.server.ts";
import { londonDayOf, SHOP_TIMEZONE } from "./calendar.ts";
import { cleanRetailLog, type CleanedLog } from "./clean-log.ts";
import { DEFAULT_SEED, DEFAULT_SKU_LIMIT, DEFAULT_SUPPLIER_COUNT, deriveDemoData, type DemoData } from "./derive-demo-data.ts";
import { createIdFactory } from "./ids.ts";
import { readRetailLog } from "./retail-log.ts";
import { inTransaction, withoutTransaction, type SqlSession, type SqlTarget } from "./sql-session.ts";
import { writeDemoData, type WriteCounts } from "./write-demo-data.ts";
import { seedPurchasingDemo } from "./purchasing-demo.ts";

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
  /** Top-N products by revenue (default 200: see docs/demo-data.md for the time each size takes). */
  skuLimit?: number;
  /** PRNG seed for lead times, stock policy and stock-outs (default 20111209). */
  seed?: number;
  /** Purge the shop's data and seed again. */
  reset?: boolean;
  /**
   * The database the PrismaClient points at. When given, the bulk writes use a dedicated `pg` connection
   * to it (same statements, several seconds faster: see sql-session.ts); otherwise they go through Prisma.
   */
  databaseUrl?: string;
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

export async function seedDemoShop(prisma: PrismaClient, options: SeedDemoShopOptions = {}): Promise<SeedDemoShopSummary> {
  const started = performance.now();
  const domain = options.domain ?? DEMO_SHOP_DOMAIN;
  const log = options.log ?? (() => {});
  const skuLimit = options.skuLimit ?? DEFAULT_SKU_LIMIT;
  if (!Number.isInteger(skuLimit) || skuLimit < 1) throw new RangeError(`skuLimit must be a positive integer, got ${skuLimit}`);
  const asOf = options.asOf instanceof Date ? londonDayOf(options.asOf) : (options.asOf ?? londonDayOf(new Date()));
  toDayNumber(asOf); // validates the format

  const target: SqlTarget = { prisma, databaseUrl: options.databaseUrl };
  const existing = await withoutTransaction(target, (db) => findSeeded(db, domain));
  if (existing && !options.reset) {
    log(`demo shop ${domain} already seeded (as of ${existing.asOf ?? "?"}); nothing to do (--reset reseeds)`);
    return { shopId: existing.shopId, domain, skipped: true, created: false, asOf: existing.asOf, counts: null, stats: null, timingsMs: { read: 0, derive: 0, write: 0, total: performance.now() - started } };
  }

  const t0 = performance.now();
  const cleaned = await loadCleanedLog(options.dataPath ?? DEFAULT_RETAIL_DATASET_PATH);
  const t1 = performance.now();
  log(`read the order log → ${cleaned.lines.length.toLocaleString("en-GB")} sale lines in ${ms(t1 - t0)}`);
  const data = deriveDemoData(cleaned, { asOf, skuLimit, seed: options.seed ?? DEFAULT_SEED, supplierCount: DEFAULT_SUPPLIER_COUNT });
  const t2 = performance.now();
  log(`derived ${data.skus.length} SKUs, ${data.orders.length.toLocaleString("en-GB")} orders, ${data.movements.length.toLocaleString("en-GB")} movements, ${data.purchaseOrders.length} POs in ${ms(t2 - t1)}`);

  const id = createIdFactory(domain);
  const tables: Record<string, number> = {};
  if (options.reset) {
    // Before, not inside, the seed's transaction: re-inserting the same keys in the transaction that
    // deleted them makes every unique check wade through the dead rows (a reset took twice as long).
    const t = performance.now();
    const [shop] = await withoutTransaction(target, (db) => db.query<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = $1`, [domain]));
    if (shop) await purgeShop(target, shop.id);
    tables.purge = Math.round(performance.now() - t);
    log(`purged ${domain} in ${ms(tables.purge)}`);
  }
  const result = await inTransaction(target, async (tx) => {
    // One seeder per domain at a time; the loser of a race finds the winner's data and skips.
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`replenish-demo-seed:${domain}`]);
    const again = await findSeeded(tx, domain);
    if (again) return { shopId: again.shopId, counts: null };
    const [shop] = await tx.query<{ id: string }>(
      `INSERT INTO "Shop" ("id", "domain", "name", "timezone", "currency", "isDemo", "status", "updatedAt")
       VALUES ($1, $2, $3, $4, 'GBP', true, 'ACTIVE', now())
       ON CONFLICT ("domain") DO UPDATE SET "name" = EXCLUDED."name", "timezone" = EXCLUDED."timezone", "currency" = 'GBP',
         "isDemo" = true, "status" = 'ACTIVE', "updatedAt" = now()
       RETURNING "id"`,
      [id("shop", domain), domain, DEMO_SHOP_NAME, SHOP_TIMEZONE],
    );
    if (!shop) throw new Error(`could not create the shop ${domain}`);
    await tx.execute(`INSERT INTO "ShopSettings" ("shopId", "digestRecipients", "updatedAt") VALUES ($1, '{}', now()) ON CONFLICT ("shopId") DO NOTHING`, [shop.id]);
    const counts = await writeDemoData(tx, data, { shopId: shop.id, id, timings: tables });
    await (await import("./receiving-books.ts")).seedReceivingBooks(tx, shop.id, asOf); // issue 5: journal, payables and transfers for the Accounting/Transfers pages
    return { shopId: shop.id, counts };
  });
  const t3 = performance.now();
  if (!result.counts) {
    log(`demo shop ${domain} was seeded by a concurrent run; nothing to do`);
    return { shopId: result.shopId, domain, skipped: true, created: false, asOf, counts: null, stats: null, timingsMs: { read: t1 - t0, derive: t2 - t1, write: 0, total: t3 - started } };
  }
  // Planner statistics for the bulk-loaded tables: PGlite (the demo) has no autovacuum, and without them
  // the first reorder run and the reports plan their joins as if each table held one row.
  await withoutTransaction(target, (db) => db.execute("ANALYZE"));
  await seedPurchasingDemo(prisma, result.shopId, { asOf, log, counts: result.counts }); // POs in every state, a negotiation thread
  await (await import("./oversight-demo.ts")).seedOversightDemo(prisma, result.shopId, { asOf, log, counts: result.counts }); // issue 7: dashboard history, one anomaly of each kind
  await (await import("./promotions-demo.ts")).seedPromotionsDemo(prisma, result.shopId, { asOf }); // issue 3: the promotions calendar the forecast uses
  log(`wrote the demo shop in ${ms(t3 - t2)} (total ${ms(t3 - started)})`);
  return { shopId: result.shopId, domain, skipped: false, created: true, asOf, counts: result.counts, stats: data.stats, timingsMs: { read: t1 - t0, derive: t2 - t1, write: t3 - t2, total: t3 - started, tables } };
}

// The cleaned log of the last call, held weakly: a second seed in the same process (tests, a reset) skips
// the seconds of parsing, and a long-running demo process does not keep ~200 MB alive for it.
let lastLog: { path: string; log: WeakRef<CleanedLog> } | undefined;

async function loadCleanedLog(path: string): Promise<CleanedLog> {
  const cached = lastLog?.path === path ? lastLog.log.deref() : undefined;
  if (cached) return cached;
  const log = cleanRetailLog(await readRetailLog(path)); // the raw rows are garbage once cleaned
  lastLog = { path, log: new WeakRef(log) };
  return log;
}

/** The shop when it already has a catalogue, with the day after its last demand day. */
async function findSeeded(db: SqlSession, domain: string): Promise<{ shopId: string; asOf: IsoDay | null } | null> {
  const [row] = await db.query<{ id: string; seeded: boolean; last: string | null }>(
    `SELECT s."id", EXISTS (SELECT 1 FROM "Sku" k WHERE k."shopId" = s."id") AS seeded,
            (SELECT max(d."day")::text FROM "DailyDemand" d WHERE d."shopId" = s."id") AS last
     FROM "Shop" s WHERE s."domain" = $1`,
    [domain],
  );
  if (!row?.seeded) return null;
  return { shopId: row.id, asOf: row.last ? addDays(row.last, 1) : null };
}

/**
 * Deletes the shop and every row it owns, in two transactions with a VACUUM between them.
 *
 * Why not one `DELETE FROM "Shop"`: deleting a Sku fires a foreign-key check on every table that points
 * at it, and those tables are indexed by (shopId, skuId), not skuId, so each check scans the table —
 * dead rows included. For 300 SKUs that took ~25 s. So the rows that point at SKUs, POs and locations
 * go first (phase 1, children before parents where the schema says RESTRICT), VACUUM clears their dead
 * rows, and phase 2 deletes the parents against near-empty tables (~1 s in all). The ledger and journal
 * refuse deletes unless the transaction opts in, which phase 1 does. An interrupted purge leaves a
 * half-empty shop that the next reset finishes.
 */
export async function purgeShop(target: SqlTarget, shopId: string): Promise<void> {
  const leaves = [
    "ReceiptLine", "Receipt", "WriteOff", "SupplierPayment", "TransferLine", "Transfer", "JournalLine", "JournalEntry",
    "ReorderSuggestion", "PurchaseOrderEvent", "PurchaseOrderAttachment", "InventoryMovement", "InventoryLevel", "DailyDemand",
    "SalesOrderLine", "ChannelPush", "ChannelListing", "SupplierProduct", "SupplierRemittance", "KitComponent", "BackInStockSubscription",
  ];
  const parents = ["PurchaseOrderLine", "PurchaseOrder", "SalesOrder", "Supplier", "Sku", "Location", "DocumentSequence"];
  const deleteAll = async (tx: SqlSession, tables: string[]) => {
    for (const table of tables) await tx.execute(`DELETE FROM "${table}" WHERE "shopId" = $1`, [shopId]);
  };
  await inTransaction(target, async (tx) => {
    await tx.execute(`SET LOCAL replenish.allow_ledger_purge = 'on'`);
    await deleteAll(tx, leaves);
  });
  await withoutTransaction(target, async (db) => {
    for (const table of ["SalesOrderLine", "InventoryMovement", "DailyDemand", "ReceiptLine", "PurchaseOrderEvent", "ChannelListing", "SupplierProduct", "InventoryLevel"]) {
      // Best effort: VACUUM needs the table's owner; without it phase 2 is only slower.
      await db.execute(`VACUUM "${table}"`).catch(() => undefined);
    }
  });
  await inTransaction(target, async (tx) => {
    await deleteAll(tx, parents);
    // Anything else the shop owns (settings, runs, review items, notifications…) goes with the cascade.
    await tx.execute(`DELETE FROM "Shop" WHERE "id" = $1`, [shopId]);
  });
}

function ms(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

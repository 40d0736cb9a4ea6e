import { Prisma } from "@prisma/client";
import { prisma } from "#app/db.server.ts";

/** An order with the subscriber's email within this long after their restock message counts as converted. */
export const CONVERSION_WINDOW_DAYS = 7;

/**
 * Records conversions: a notified email subscriber who placed an order (not cancelled) with the same
 * email within 7 days of the message. The first such order counts, with its net revenue (lines less
 * cancelled and refunded units). Idempotent: only rows without a conversion are looked at.
 */
export async function recordConversions(shopId: string): Promise<number> {
  return prisma.$executeRaw`
    UPDATE "BackInStockSubscription" AS s
    SET "convertedOrderId" = c.order_id, "convertedRevenue" = c.revenue
    FROM (
      SELECT DISTINCT ON (sub.id) sub.id AS sub_id, o.id AS order_id,
        COALESCE((SELECT SUM(GREATEST(l.quantity - l."cancelledQuantity" - l."refundedQuantity", 0) * COALESCE(l."unitPrice", 0))
                  FROM "SalesOrderLine" l WHERE l."orderId" = o.id), 0)::numeric(14, 2) AS revenue
      FROM "BackInStockSubscription" sub
      JOIN "SalesOrder" o
        ON o."shopId" = sub."shopId"
       AND lower(o."customerEmail") = sub.contact
       AND o."cancelledAt" IS NULL
       AND o."placedAt" >= sub."notifiedAt"
       AND o."placedAt" < sub."notifiedAt" + make_interval(days => ${CONVERSION_WINDOW_DAYS})
      WHERE sub."shopId" = ${shopId} AND sub."contactType" = 'EMAIL' AND sub."notifiedAt" IS NOT NULL AND sub."convertedOrderId" IS NULL
      ORDER BY sub.id, o."placedAt" ASC
    ) AS c
    WHERE s.id = c.sub_id`;
}

export type VariantDemandRow = {
  skuId: string;
  code: string;
  product: string;
  status: string;
  waiting: number;
  pendingConfirmation: number;
  notified: number;
  sent: number;
  failed: number;
  converted: number;
  recoveredRevenue: string;
  oldestWaitingAt: string | null;
};

export type BackInStockTotals = { waiting: number; sent: number; failed: number; converted: number; recoveredRevenue: string; variants: number };

/** Demand and results per variant, most waiting first (the page, the CSV and the engine's demand signal). */
export async function backInStockReport(shopId: string): Promise<{ rows: VariantDemandRow[]; totals: BackInStockTotals }> {
  const rows = await prisma.$queryRaw<
    {
      skuId: string;
      code: string;
      title: string;
      variantTitle: string | null;
      status: string;
      waiting: bigint;
      pending: bigint;
      notified: bigint;
      converted: bigint;
      revenue: Prisma.Decimal | null;
      oldest: Date | null;
    }[]
  >`
    SELECT k.id AS "skuId", k.code, k.title, k."variantTitle", k.status::text AS status,
      COUNT(*) FILTER (WHERE s.status = 'ACTIVE') AS waiting,
      COUNT(*) FILTER (WHERE s.status = 'PENDING_CONFIRMATION') AS pending,
      COUNT(*) FILTER (WHERE s."notifiedAt" IS NOT NULL) AS notified,
      COUNT(*) FILTER (WHERE s."convertedOrderId" IS NOT NULL) AS converted,
      SUM(s."convertedRevenue") AS revenue,
      MIN(s."createdAt") FILTER (WHERE s.status = 'ACTIVE') AS oldest
    FROM "BackInStockSubscription" s JOIN "Sku" k ON k.id = s."skuId"
    WHERE s."shopId" = ${shopId}
    GROUP BY k.id
    ORDER BY waiting DESC, k.code ASC`;
  const deliveries = await prisma.$queryRaw<{ skuId: string; sent: bigint; failed: bigint }[]>`
    SELECT s."skuId", COUNT(*) FILTER (WHERE n.status = 'SENT') AS sent, COUNT(*) FILTER (WHERE n.status = 'FAILED') AS failed
    FROM "Notification" n JOIN "BackInStockSubscription" s ON s.id = n."subscriptionId"
    WHERE n."shopId" = ${shopId} AND n.kind = 'BACK_IN_STOCK'
    GROUP BY s."skuId"`;
  const bySku = new Map(deliveries.map((d) => [d.skuId, d]));
  const out: VariantDemandRow[] = rows.map((r) => ({
    skuId: r.skuId,
    code: r.code,
    product: r.variantTitle && r.variantTitle !== "Default Title" ? `${r.title} (${r.variantTitle})` : r.title,
    status: r.status,
    waiting: Number(r.waiting),
    pendingConfirmation: Number(r.pending),
    notified: Number(r.notified),
    sent: Number(bySku.get(r.skuId)?.sent ?? 0n),
    failed: Number(bySku.get(r.skuId)?.failed ?? 0n),
    converted: Number(r.converted),
    recoveredRevenue: new Prisma.Decimal(r.revenue ?? 0).toFixed(2),
    oldestWaitingAt: r.oldest ? r.oldest.toISOString() : null,
  }));
  const totals = out.reduce<BackInStockTotals>(
    (t, r) => ({
      waiting: t.waiting + r.waiting,
      sent: t.sent + r.sent,
      failed: t.failed + r.failed,
      converted: t.converted + r.converted,
      recoveredRevenue: new Prisma.Decimal(t.recoveredRevenue).plus(r.recoveredRevenue).toFixed(2),
      variants: t.variants + 1,
    }),
    { waiting: 0, sent: 0, failed: 0, converted: 0, recoveredRevenue: "0.00", variants: 0 },
  );
  return { rows: out, totals };
}

export type BackInStockSettingsForm = { smsEnabled: boolean; doubleOptIn: boolean; sender: string | null; notifyRatio: number | null };

export async function getBackInStockSettingsForm(shopId: string): Promise<BackInStockSettingsForm> {
  const s = await prisma.shopSettings.findUnique({ where: { shopId }, select: { backInStockSmsEnabled: true, backInStockDoubleOptIn: true, backInStockSender: true, backInStockNotifyRatio: true } });
  return {
    smsEnabled: s?.backInStockSmsEnabled ?? false,
    doubleOptIn: s?.backInStockDoubleOptIn ?? false,
    sender: s?.backInStockSender ?? null,
    notifyRatio: s?.backInStockNotifyRatio === null || s?.backInStockNotifyRatio === undefined ? null : Number(s.backInStockNotifyRatio),
  };
}

export async function saveBackInStockSettings(shopId: string, form: BackInStockSettingsForm): Promise<void> {
  const data = { backInStockSmsEnabled: form.smsEnabled, backInStockDoubleOptIn: form.doubleOptIn, backInStockSender: form.sender, backInStockNotifyRatio: form.notifyRatio };
  await prisma.shopSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
}

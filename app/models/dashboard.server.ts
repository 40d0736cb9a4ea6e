import type { RunStatus, RunTrigger } from "@prisma/client";
import type { Cents } from "../domain/shared/money.ts";
import { prisma } from "../db.server.ts";
import { forShop } from "./scoped-db.server.ts";
import { summarizeOpenPurchaseOrders, type OpenPurchaseOrderSummary } from "./purchase-order.server.ts";
import { countOutOfStockSkus, countSkus, getStockOnHandTotals } from "./sku.server.ts";

export type DashboardFigures = {
  currency: string;
  skuCount: number;
  unitsOnHand: number;
  valueOnHandAtCost: Cents;
  skusOnHandWithoutCost: number;
  outOfStockSkuCount: number;
  openPurchaseOrders: OpenPurchaseOrderSummary;
  openReviewItemCount: number;
  lastReorderRun: {
    status: RunStatus;
    trigger: RunTrigger;
    startedAt: Date;
    finishedAt: Date | null;
    skuCount: number;
    suggestionCount: number;
  } | null;
};

/** Everything the dashboard shows, read live (a shop has hundreds to a few thousand SKUs: cheap queries). */
export async function getDashboardFigures(shopId: string): Promise<DashboardFigures> {
  const db = forShop(shopId);
  const [shop, skuCount, stock, outOfStockSkuCount, openPurchaseOrders, openReviewItemCount, lastReorderRun] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    countSkus(shopId),
    getStockOnHandTotals(shopId),
    countOutOfStockSkus(shopId),
    summarizeOpenPurchaseOrders(shopId),
    db.reviewItem.count({ where: { status: "OPEN" } }),
    db.reorderRun.findFirst({
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      select: { status: true, trigger: true, startedAt: true, finishedAt: true, skuCount: true, suggestionCount: true },
    }),
  ]);
  return {
    currency: shop.currency,
    skuCount,
    unitsOnHand: stock.units,
    valueOnHandAtCost: stock.valueAtCost,
    skusOnHandWithoutCost: stock.skusWithoutCost,
    outOfStockSkuCount,
    openPurchaseOrders,
    openReviewItemCount,
    lastReorderRun,
  };
}

import type { Prisma } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { parseChannelBuffers, sellableQuantity } from "#app/domain/channels/quantity-policy.ts";

type Db = Prisma.TransactionClient | typeof prisma;

/**
 * What the storefront can sell per SKU: on hand − committed − the Shopify buffer over our locations
 * linked to Shopify locations (the quantities the stock push sends there). A shop with no linked
 * location yet (a fresh install, tests) counts every active location.
 */
export async function storefrontAvailable(shopId: string, skuIds: readonly string[], db: Db = prisma): Promise<Map<string, number>> {
  const result = new Map<string, number>(skuIds.map((id) => [id, 0]));
  if (skuIds.length === 0) return result;
  const [locations, settings] = await Promise.all([
    db.location.findMany({ where: { shopId, isActive: true }, select: { id: true, isDefault: true, shopifyLocationId: true }, orderBy: { createdAt: "asc" } }),
    db.shopSettings.findUnique({ where: { shopId }, select: { channelBuffers: true } }),
  ]);
  const linked = locations.filter((l) => l.shopifyLocationId);
  const locationIds = (linked.length > 0 ? linked : locations).map((l) => l.id);
  const levels = await db.inventoryLevel.groupBy({
    by: ["skuId"],
    where: { shopId, skuId: { in: [...skuIds] }, locationId: { in: locationIds } },
    _sum: { onHand: true, committed: true },
  });
  const buffer = parseChannelBuffers(settings?.channelBuffers).SHOPIFY ?? 0;
  for (const level of levels) {
    result.set(level.skuId, sellableQuantity({ onHand: level._sum.onHand ?? 0, committed: level._sum.committed ?? 0, buffer }));
  }
  return result;
}

/** SKUs among `skuIds` that have at least one subscriber waiting (ACTIVE). */
export async function skusWithWaitingSubscribers(shopId: string, skuIds: readonly string[]): Promise<string[]> {
  if (skuIds.length === 0) return [];
  const rows = await prisma.backInStockSubscription.groupBy({ by: ["skuId"], where: { shopId, skuId: { in: [...skuIds] }, status: "ACTIVE" } });
  return rows.map((r) => r.skuId);
}

export type BackInStockShop = {
  id: string;
  domain: string;
  name: string;
  currency: string;
  status: string;
  settings: { smsEnabled: boolean; doubleOptIn: boolean; notifyRatio: number | null; sender: string | null };
};

export async function loadBackInStockShop(shopId: string, db: Db = prisma): Promise<BackInStockShop | null> {
  const shop = await db.shop.findUnique({
    where: { id: shopId },
    select: {
      id: true,
      domain: true,
      name: true,
      currency: true,
      status: true,
      settings: { select: { backInStockSmsEnabled: true, backInStockDoubleOptIn: true, backInStockNotifyRatio: true, backInStockSender: true } },
    },
  });
  if (!shop) return null;
  return {
    id: shop.id,
    domain: shop.domain,
    name: shop.name,
    currency: shop.currency,
    status: shop.status,
    settings: {
      smsEnabled: shop.settings?.backInStockSmsEnabled ?? false,
      doubleOptIn: shop.settings?.backInStockDoubleOptIn ?? false,
      notifyRatio: shop.settings?.backInStockNotifyRatio === null || shop.settings?.backInStockNotifyRatio === undefined ? null : Number(shop.settings.backInStockNotifyRatio),
      sender: shop.settings?.backInStockSender ?? null,
    },
  };
}

export type SkuForMessage = { id: string; title: string; variantTitle: string | null; imageUrl: string | null; price: Prisma.Decimal | null; shopifyVariantId: string | null; productType: string | null; status: string };

export const SKU_FOR_MESSAGE = { id: true, title: true, variantTitle: true, imageUrl: true, price: true, shopifyVariantId: true, productType: true, status: true } as const;

export async function loadSkuForMessage(shopId: string, skuId: string, db: Db = prisma): Promise<SkuForMessage | null> {
  return db.sku.findFirst({ where: { shopId, id: skuId }, select: SKU_FOR_MESSAGE });
}

import { Session } from "@shopify/shopify-api";
import { prisma } from "#app/db.server.ts";
import { encodeOrderCursor } from "#app/channels/shopify/order-cursor.ts";
import { appendMovements } from "#app/models/ledger.server.ts";
import { connectChannel } from "#app/models/channel-connection.server.ts";
import { startShopifySandbox, type ShopifySandbox } from "#sandbox/shopify/index.ts";
import type { StoreVariant } from "#sandbox/shopify/store.ts";

// One Shopify sandbox per test file (the SDK's fetch is pointed at it once), and a fresh shop of ours
// per test: its own domain, offline session, location linked to the sandbox's, SKUs imported from the
// sandbox's variants (shopifyVariantId = identity) and a Shopify connection whose order cursor starts
// "now", so orders other tests created in the shared sandbox store are not this shop's history.

export const clock = { now: Date.parse("2026-11-20T10:00:00Z") };
export const tick = (seconds = 1) => (clock.now += seconds * 1000);

export type ShopifyWorld = { sandbox: ShopifySandbox; locationGid: string };

export async function startShopifyWorld(): Promise<ShopifyWorld> {
  const sandbox = await startShopifySandbox({ apiSecret: process.env.SHOPIFY_API_SECRET!, apiKey: process.env.SHOPIFY_API_KEY!, shopDomain: "sandbox-shop.myshopify.com", store: { clock: () => clock.now } });
  const location = sandbox.store.addLocation({ name: "Main warehouse" });
  process.env.SHOPIFY_ADMIN_ORIGIN = sandbox.origin; // before the SDK is configured
  (await import("#app/env.server.ts")).resetEnvForTests();
  return { sandbox, locationGid: `gid://shopify/Location/${location.id}` };
}

let shops = 0;

export async function newShopifyShop(world: ShopifyWorld, options: { variants: number; available: number; buffers?: Record<string, number> }) {
  const n = ++shops;
  const domain = `sync-${n}-${Math.random().toString(36).slice(2, 8)}.myshopify.com`;
  const variants: StoreVariant[] = world.sandbox.store.seed({ variants: options.variants, available: () => options.available });
  const shop = await prisma.shop.create({ data: { domain, name: `Sync ${n}`, settings: { create: { channelBuffers: options.buffers ?? {} } } } });
  const location = await prisma.location.create({ data: { shopId: shop.id, name: "Main warehouse", isDefault: true, shopifyLocationId: world.locationGid } });
  const skus = [];
  for (const variant of variants) {
    skus.push(await prisma.sku.create({ data: { shopId: shop.id, code: `${variant.sku}-${variant.id}`, title: `Variant ${variant.id}`, barcode: variant.barcode, shopifyVariantId: `gid://shopify/ProductVariant/${variant.id}` } }));
  }
  const { sessionStorage } = await import("#app/shopify.server.ts");
  await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: world.sandbox.issueAccessToken(), scope: "read_orders,read_inventory,write_inventory,read_products" }));
  await connectChannel(shop.id, "SHOPIFY", { settings: {} });
  await prisma.channelConnection.update({ where: { shopId_channel: { shopId: shop.id, channel: "SHOPIFY" } }, data: { orderCursor: cursorAt(clock.now) } });
  tick();
  return { shop, location, variants, skus };
}

/** A Shopify order cursor whose watermark is `at`: the pull starts there. */
export function cursorAt(at: number): string {
  return encodeOrderCursor({ since: new Date(at).toISOString().replace(".000", ""), exclude: [], after: null, runMax: null, runSeen: [] });
}

export async function receive(shopId: string, locationId: string, lines: Array<{ skuId: string; quantity: number }>, key: string, kind: "INITIAL" | "RECEIPT" = "RECEIPT") {
  await appendMovements(
    shopId,
    lines.map((line) => ({ skuId: line.skuId, locationId, kind, quantity: line.quantity, sourceType: kind === "INITIAL" ? "MANUAL" : "RECEIPT", sourceId: key, idempotencyKey: `${key}-${line.skuId}`, occurredAt: new Date(clock.now) })),
  );
}

export function availableIn(world: ShopifyWorld, variant: StoreVariant): number {
  return world.sandbox.store.findLevel(variant.inventoryItemId, Number(world.locationGid.split("/").pop()))!.quantities.available;
}

export async function levelOf(shopId: string, skuId: string, locationId: string) {
  return prisma.inventoryLevel.findUnique({ where: { shopId_skuId_locationId: { shopId, skuId, locationId } } });
}

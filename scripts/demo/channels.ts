import type { PrismaClient } from "@prisma/client";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/index.ts";

// The demo's sales channels: a local Shopify (the sandbox the tests use) holding the demo store under
// exactly the ids the seed gave our ChannelListing and Location rows, and a replay of the order log's
// last week at an accelerated clock, so orders flow in through the real webhook route and quantities
// flow back out through the real stock push.
//
// Order matters: `startDemoSandboxes()` runs before any app module is imported (app/shopify.server.ts
// reads SHOPIFY_ADMIN_ORIGIN at import); `connect()` runs after the first reorder run, because the
// embedded PGlite does not take concurrent jobs well while that run is going.

const numeric = (gid: string | null | undefined): number | null => {
  const tail = gid?.split("/").pop();
  return tail && /^\d+$/.test(tail) ? Number(tail) : null;
};

export type DemoSandboxes = {
  shopify: ShopifySandbox;
  urls: { shopify: string };
  connect(input: { prisma: PrismaClient; shopId: string; shopDomain: string }): Promise<{ listings: number; ms: number }>;
  startSalesReplay(input: { prisma: PrismaClient; shopId: string; appUrl: string; speed?: number; say?: (line: string) => void }): Promise<SalesReplay>;
  close(): Promise<void>;
};

export type SalesReplay = { stop(): Promise<void> };

export async function startDemoSandboxes(input: { apiSecret: string; apiKey: string; shopDomain: string }): Promise<DemoSandboxes> {
  const shopify = await startShopifySandbox({ apiSecret: input.apiSecret, apiKey: input.apiKey, shopDomain: input.shopDomain });
  process.env.SHOPIFY_ADMIN_ORIGIN = shopify.origin;
  const store = shopify.store;

  async function connect({ prisma, shopId, shopDomain }: { prisma: PrismaClient; shopId: string; shopDomain: string }) {
    const started = Date.now();
    const now = store.now();
    const locations = await prisma.location.findMany({ where: { shopId, shopifyLocationId: { not: null } } });
    for (const location of locations) {
      const id = numeric(location.shopifyLocationId);
      if (id !== null && !store.locations.has(id)) store.locations.set(id, { id, name: location.name, isActive: true, fulfillsOnlineOrders: true, createdAt: now });
    }
    const listings = await prisma.channelListing.findMany({ where: { shopId, channel: "SHOPIFY", skuId: { not: null } }, include: { sku: true } });
    const levels = await prisma.inventoryLevel.findMany({ where: { shopId } });
    const byLocation = new Map(locations.map((location) => [location.id, numeric(location.shopifyLocationId)!]));
    for (const listing of listings) {
      const variantId = numeric(listing.externalId);
      const itemId = numeric(listing.externalItemId);
      if (variantId === null || itemId === null || store.variants.has(variantId)) continue;
      const productId = variantId + 1_000_000_000; // its own id space: one product per variant
      store.products.set(productId, { id: productId, title: listing.title ?? listing.sku?.title ?? listing.externalSku ?? "Product", status: "ACTIVE", vendor: "Demo", createdAt: now, updatedAt: now, variantIds: [variantId] });
      store.variants.set(variantId, { id: variantId, productId, inventoryItemId: itemId, title: "Default Title", sku: listing.externalSku ?? listing.sku?.code ?? null, barcode: listing.barcode, price: "10.00", position: 1, createdAt: now, updatedAt: now });
      store.inventoryItems.set(itemId, { id: itemId, variantId, tracked: true, createdAt: now, updatedAt: now });
      for (const level of levels) {
        if (level.skuId !== listing.skuId) continue;
        const locationId = byLocation.get(level.locationId);
        if (locationId === undefined || locationId === null) continue;
        store.level(itemId, locationId, true).quantities.available = Math.max(0, level.onHand - level.committed);
      }
    }
    const { Session } = await import("@shopify/shopify-api");
    const { sessionStorage } = await import("../../app/shopify.server.ts");
    await sessionStorage.storeSession(new Session({ id: `offline_${shopDomain}`, shop: shopDomain, state: "", isOnline: false, accessToken: shopify.issueAccessToken(), scope: "read_orders,read_inventory,write_inventory,read_products" }));
    const { ensureShopifyConnection } = await import("../../app/models/channel-connection.server.ts");
    await ensureShopifyConnection(shopId);
    return { listings: listings.length, ms: Date.now() - started };
  }

  async function startSalesReplay({ prisma, shopId, appUrl, speed = 1, say = () => {} }: { prisma: PrismaClient; shopId: string; appUrl: string; speed?: number; say?: (line: string) => void }): Promise<SalesReplay> {
    // The last 7 days of the order log, replayed at one demo day per real minute (× speed), looping.
    const demoMsPerRealMs = (24 * 60) * speed;
    const last = await prisma.salesOrder.findFirst({ where: { shopId }, orderBy: { placedAt: "desc" } });
    const end = last?.placedAt.getTime() ?? Date.now();
    const begin = end - 7 * 86_400_000;
    const orders = await prisma.salesOrder.findMany({
      where: { shopId, placedAt: { gt: new Date(begin), lte: new Date(end) } },
      orderBy: { placedAt: "asc" },
      include: { lines: true },
    });
    const listings = await prisma.channelListing.findMany({ where: { shopId, channel: "SHOPIFY", skuId: { not: null } } });
    const variantOf = new Map(listings.map((listing) => [listing.skuId!, numeric(listing.externalId)]));
    const replayable = orders
      .map((order) => ({ at: order.placedAt.getTime(), lines: order.lines.flatMap((line) => (line.skuId && variantOf.get(line.skuId) ? [{ variantId: variantOf.get(line.skuId)!, quantity: Math.max(1, Math.min(line.quantity, 3)) }] : [])) }))
      .filter((order) => order.lines.length > 0);
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    let cursor = 0;
    let demoClock = replayable[0]?.at ?? begin;
    const maxGap = 3 * 3_600_000; // quiet stretches capped at 3 demo hours
    const perMinute = 8;
    let sentThisMinute = 0;
    let minuteStarted = Date.now();

    const step = async () => {
      if (stopped || replayable.length === 0) return;
      if (Date.now() - minuteStarted >= 60_000) {
        minuteStarted = Date.now();
        sentThisMinute = 0;
      }
      demoClock += 1_000 * demoMsPerRealMs;
      const batch: typeof replayable = [];
      while (cursor < replayable.length && replayable[cursor]!.at <= demoClock && sentThisMinute + batch.length < perMinute) batch.push(replayable[cursor++]!);
      if (cursor >= replayable.length) {
        cursor = 0; // loop the week
        demoClock = replayable[0]!.at;
      } else if (batch.length === 0 && replayable[cursor]!.at - demoClock > maxGap) demoClock = replayable[cursor]!.at - maxGap;
      let sent = 0;
      for (const order of batch) {
        if (stopped) break;
        try {
          // Placed now (never a future date): the replay only chooses what sells and when.
          const created = store.createOrder({ lineItems: order.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })) });
          const status = await shopify.sendWebhook("orders/create", shopify.payloads.order(created), { appUrl });
          if (status < 300) sent++;
        } catch (error) {
          say(`• Sales replay: an order failed (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      sentThisMinute += batch.length;
      if (batch.length > 0) say(`• Sales replay ${new Date(demoClock).toISOString().slice(0, 16).replace("T", " ")} (demo time): ${sent}/${batch.length} Shopify order${batch.length === 1 ? "" : "s"} sent`);
    };
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        running = step().finally(schedule);
      }, 1_000);
    };
    // The first order goes out at once, so a newcomer sees one arrive.
    if (replayable.length > 0) {
      demoClock = replayable[0]!.at;
      running = step().finally(schedule);
    }
    say(`• Sales replay: ${replayable.length} orders from the last 7 days of the order log, one demo day per ${(60 / speed).toFixed(0)} s`);
    return {
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running.catch(() => {});
      },
    };
  }

  return {
    shopify,
    urls: { shopify: shopify.origin },
    connect,
    startSalesReplay,
    close: () => shopify.close(),
  };
}

import type { PrismaClient } from "@prisma/client";
import { startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server.ts";
import { startEbaySandbox, type EbaySandbox } from "../../sandbox/ebay/server.ts";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/index.ts";
import { parseChannelBuffers, sellableQuantity } from "../../app/domain/channels/quantity-policy.ts";
import { startDemoCarrier, trackDemoShipments, type DemoShipments } from "./carrier.ts";

// The demo's sales channels: a local Shopify (the sandbox the tests use) holding the demo store under
// exactly the ids the seed gave our ChannelListing and Location rows, and a replay of the order log's
// last week at an accelerated clock, so orders flow in through the real webhook route and quantities
// flow back out through the real stock push.
//
// Order matters: `startDemoSandboxes()` runs before any app module is imported (app/shopify.server.ts
// reads SHOPIFY_ADMIN_ORIGIN at import); `connect()` runs after the first reorder run, because the
// embedded PGlite does not take concurrent jobs well while that run is going.

/** How long after the replay starts the carrier shows the first shipped PO delivered (at speed 1). */
const CARRIER_DELIVERS_AFTER_MS = 90_000;

/** Units the demo keeps back from each marketplace when the merchant has not set buffers. */
export const DEMO_CHANNEL_BUFFERS = { AMAZON: 2, EBAY: 2 } as const;

const numeric = (gid: string | null | undefined): number | null => {
  const tail = gid?.split("/").pop();
  return tail && /^\d+$/.test(tail) ? Number(tail) : null;
};

export type DemoSandboxes = {
  shopify: ShopifySandbox;
  amazon: AmazonSandbox;
  ebay: EbaySandbox;
  urls: { shopify: string; amazon: string; ebay: string };
  connect(input: { prisma: PrismaClient; shopId: string; shopDomain: string }): Promise<{ listings: number; marketplaceListings: number; ms: number }>;
  startSalesReplay(input: { prisma: PrismaClient; shopId: string; appUrl: string; speed?: number; say?: (line: string) => void }): Promise<SalesReplay>;
  close(): Promise<void>;
};

export type SalesReplay = { stop(): Promise<void> };

export async function startDemoSandboxes(input: { apiSecret: string; apiKey: string; shopDomain: string }): Promise<DemoSandboxes> {
  const shopify = await startShopifySandbox({ apiSecret: input.apiSecret, apiKey: input.apiKey, shopDomain: input.shopDomain });
  process.env.SHOPIFY_ADMIN_ORIGIN = shopify.origin;
  const amazon = await startAmazonSandbox();
  const ebay = await startEbaySandbox();
  // The carrier the delivery check asks (issue 5 item 6), set before the app reads its environment.
  const carrier = await startDemoCarrier();
  Object.assign(process.env, carrier.env);
  const store = shopify.store;

  async function connect({ prisma, shopId, shopDomain }: { prisma: PrismaClient; shopId: string; shopDomain: string }) {
    const started = Date.now();
    const now = store.now();
    await resumeChannelSequences(prisma, shopId);
    const locations = await prisma.location.findMany({ where: { shopId, shopifyLocationId: { not: null } } });
    for (const location of locations) {
      const id = numeric(location.shopifyLocationId);
      if (id !== null && !store.locations.has(id)) store.locations.set(id, { id, name: location.name, isActive: true, fulfillsOnlineOrders: true, createdAt: now });
    }
    const listings = await prisma.channelListing.findMany({ where: { shopId, channel: "SHOPIFY", skuId: { not: null } }, include: { sku: true } });
    const levels = await prisma.inventoryLevel.findMany({ where: { shopId } });
    // The marketplaces keep units back (issue 4 item 6's example: 2 on Amazon and eBay) unless the
    // merchant already chose; the sandboxes start at exactly what our policy would push, so the first
    // push has nothing to correct.
    const settings = await prisma.shopSettings.findUnique({ where: { shopId }, select: { channelBuffers: true } });
    let buffers = parseChannelBuffers(settings?.channelBuffers);
    if (settings && Object.keys(buffers).length === 0 && Object.keys((settings.channelBuffers ?? {}) as object).length === 0) {
      buffers = DEMO_CHANNEL_BUFFERS;
      await prisma.shopSettings.update({ where: { shopId }, data: { channelBuffers: buffers } });
    }
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
        store.level(itemId, locationId, true).quantities.available = sellableQuantity({ onHand: level.onHand, committed: level.committed, buffer: buffers.SHOPIFY ?? 0 });
      }
    }
    const { Session } = await import("@shopify/shopify-api");
    const { sessionStorage } = await import("../../app/shopify.server.ts");
    await sessionStorage.storeSession(new Session({ id: `offline_${shopDomain}`, shop: shopDomain, state: "", isOnline: false, accessToken: shopify.issueAccessToken(), scope: "read_orders,read_inventory,write_inventory,read_products" }));
    const { ensureShopifyConnection, connectChannel, clearConnectionError } = await import("../../app/models/channel-connection.server.ts");
    await ensureShopifyConnection(shopId);
    // A push tried before the session existed (during the first run) left "No Shopify session".
    await clearConnectionError(shopId, "SHOPIFY");

    // Amazon and eBay: the seeded listings with our sellable quantity, under the seed's ids.
    // Marketplaces sell from every location: sellable = Σ on hand − Σ committed − the channel's buffer.
    const position = new Map<string, { onHand: number; committed: number }>();
    for (const level of levels) {
      const sum = position.get(level.skuId) ?? { onHand: 0, committed: 0 };
      position.set(level.skuId, { onHand: sum.onHand + level.onHand, committed: sum.committed + level.committed });
    }
    // In a fixed order: the FBA listing is made from the first Amazon one, and must be the same one every run
    // (in any order, each restart added another unmapped FBA listing to the Channels page).
    const marketplace = await prisma.channelListing.findMany({ where: { shopId, channel: { in: ["AMAZON", "EBAY"] }, skuId: { not: null } }, orderBy: [{ channel: "asc" }, { externalId: "asc" }] });
    let fba = false;
    for (const listing of marketplace) {
      const quantity = sellableQuantity({ ...(position.get(listing.skuId!) ?? { onHand: 0, committed: 0 }), buffer: buffers[listing.channel as "AMAZON" | "EBAY"] ?? 0 });
      if (listing.channel === "AMAZON") {
        if (!amazon.state.listings.has(listing.externalId)) amazon.state.addListing({ sku: listing.externalId, ...(listing.externalItemId ? { asin: listing.externalItemId } : {}), quantity });
        if (!fba) {
          amazon.state.addListing({ sku: `FBA-${listing.externalId}`, fulfillmentChannel: "AFN", quantity: 40 });
          fba = true;
        }
      } else if (!ebay.state.items.has(listing.externalId)) {
        const { offer } = ebay.state.addListing({ sku: listing.externalId, quantity, ...(listing.title ? { title: listing.title } : {}) });
        if (listing.externalItemId) {
          // The offer id the seed stored, or every push fails "This Offer is not available".
          ebay.state.offers.delete(offer.offerId);
          offer.offerId = listing.externalItemId;
          ebay.state.offers.set(offer.offerId, offer);
        }
      }
    }
    const since = new Date().toISOString();
    await connectChannel(shopId, "AMAZON", {
      settings: { region: "na", sellerId: amazon.state.sellerId, marketplaceId: amazon.state.marketplaceId, loopbackPort: amazon.port, initialOrdersSince: since },
      credentials: { clientId: amazon.state.clientId, clientSecret: amazon.state.clientSecret, refreshToken: amazon.state.refreshToken },
    });
    await connectChannel(shopId, "EBAY", {
      settings: { marketplaceId: ebay.state.marketplaceId, loopbackPort: ebay.port, initialOrdersSince: since },
      credentials: { appId: ebay.state.appId, certId: ebay.state.certId, accessToken: ebay.state.issueToken("user").token, refreshToken: ebay.state.refreshToken },
    });
    return { listings: listings.length, marketplaceListings: marketplace.length, ms: Date.now() - started };
  }

  // The sandboxes start empty on every run while our database keeps the orders of the last one: each
  // channel's ids continue after those, as a real store's would, or this run's first orders would reuse
  // last run's ids and be taken for edits of them (their stock changes lost, then "repaired" upwards).
  async function resumeChannelSequences(prisma: PrismaClient, shopId: string): Promise<void> {
    // Order ids are enough: our line ids are unique within their order only.
    const orders = await prisma.salesOrder.findMany({ where: { shopId }, select: { channel: true, externalId: true, name: true } });
    const ids = { SHOPIFY: [] as string[], AMAZON: [] as string[], EBAY: [] as string[] };
    const shopifyNames: string[] = [];
    for (const order of orders) {
      ids[order.channel as keyof typeof ids]?.push(order.externalId);
      if (order.channel === "SHOPIFY" && order.name) shopifyNames.push(order.name);
    }
    store.resumeAfter({ ids: ids.SHOPIFY, orderNames: shopifyNames });
    amazon.state.resumeAfter(ids.AMAZON);
    ebay.state.resumeAfter(ids.EBAY);
  }

  async function startSalesReplay({ prisma, shopId, appUrl, speed = 1, say = () => {} }: { prisma: PrismaClient; shopId: string; appUrl: string; speed?: number; say?: (line: string) => void }): Promise<SalesReplay> {
    // The last 7 days of the order log, replayed at one demo day per real minute (× speed), looping.
    // The seeded log only: the orders earlier runs placed through the sandboxes are newer, and a window
    // ending at them replayed replays, more of them on every restart (548, 572, then 841 orders).
    const demoMsPerRealMs = (24 * 60) * speed;
    const seeded = { shopId, channel: "SHOPIFY" as const, NOT: { externalId: { startsWith: "gid://" } } };
    const last = await prisma.salesOrder.findFirst({ where: seeded, orderBy: { placedAt: "desc" } });
    const end = last?.placedAt.getTime() ?? Date.now();
    const begin = end - 7 * 86_400_000;
    const orders = await prisma.salesOrder.findMany({
      where: { ...seeded, placedAt: { gt: new Date(begin), lte: new Date(end) } },
      orderBy: { placedAt: "asc" },
      include: { lines: true },
    });
    const listings = await prisma.channelListing.findMany({ where: { shopId, channel: "SHOPIFY", skuId: { not: null } } });
    const variantOf = new Map(listings.map((listing) => [listing.skuId!, numeric(listing.externalId)]));
    const marketplace = await prisma.channelListing.findMany({ where: { shopId, channel: { in: ["AMAZON", "EBAY"] }, skuId: { not: null }, fulfilledByChannel: false } });
    const amazonSkuOf = new Map(marketplace.filter((l) => l.channel === "AMAZON").map((l) => [l.skuId!, l.externalId]));
    const ebaySkuOf = new Map(marketplace.filter((l) => l.channel === "EBAY").map((l) => [l.skuId!, l.externalId]));
    const { requestChannelSync } = await import("../../app/services/channel-admin.server.ts");
    let placed = 0;
    const lastElsewhere = { AMAZON: -Infinity, EBAY: -Infinity };
    // Each line ships from where the seeded sale did (the Brighton store's customers from Brighton), so the
    // order sync has real routing to follow.
    const shopifyLocationOf = new Map((await prisma.location.findMany({ where: { shopId, shopifyLocationId: { not: null } } })).map((location) => [location.id, numeric(location.shopifyLocationId)]));
    const replayable = orders
      .map((order) => ({
        at: order.placedAt.getTime(),
        skuIds: order.lines.flatMap((line) => (line.skuId ? [{ skuId: line.skuId, quantity: Math.max(1, Math.min(line.quantity, 3)) }] : [])),
        lines: order.lines.flatMap((line) => {
          const variantId = line.skuId ? variantOf.get(line.skuId) : null;
          const locationId = line.locationId ? shopifyLocationOf.get(line.locationId) : null;
          return variantId ? [{ variantId, quantity: Math.max(1, Math.min(line.quantity, 3)), ...(locationId ? { locationId } : {}) }] : [];
        }),
      }))
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
      const refused: number[] = [];
      const toSync = new Set<"AMAZON" | "EBAY">();
      const elsewhere = { AMAZON: 0, EBAY: 0 };
      for (const order of batch) {
        if (stopped) break;
        placed++;
        // About every 5th order also sells on Amazon and every 7th on eBay: the first order at or after
        // that turn with a SKU listed there (a fixed turn would skip most turns on a small demo shop).
        // The first such order sells at once, so a newcomer sees all three channels in the first minute.
        for (const [channel, every, skuOf] of [["AMAZON", 5, amazonSkuOf], ["EBAY", 7, ebaySkuOf]] as const) {
          if (placed - lastElsewhere[channel] < every) continue;
          const lines = order.skuIds.flatMap((line) => (skuOf.has(line.skuId) ? [{ sku: skuOf.get(line.skuId)!, quantity: line.quantity }] : []));
          if (lines.length === 0) continue;
          lastElsewhere[channel] = placed;
          if (channel === "AMAZON") amazon.state.addOrder({ at: Date.now(), lines: lines.map((line) => ({ ...line, unitPrice: "9.99" })) });
          else ebay.state.addOrder({ at: Date.now(), lines });
          elsewhere[channel]++;
          toSync.add(channel);
        }
        try {
          // Placed now (never a future date): the replay only chooses what sells and when.
          const created = store.createOrder({ lineItems: order.lines });
          const status = await shopify.sendWebhook("orders/create", shopify.payloads.order(created), { appUrl });
          if (status < 300) sent++;
          else refused.push(status);
        } catch (error) {
          say(`• Sales replay: an order failed (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      for (const channel of toSync) await requestChannelSync(shopId, channel).catch(() => {});
      sentThisMinute += batch.length;
      if (batch.length > 0) say(`• Sales replay ${new Date(demoClock).toISOString().slice(0, 16).replace("T", " ")} (demo time): ${sent}/${batch.length} Shopify order${batch.length === 1 ? "" : "s"} sent${refused.length ? ` (webhook answered ${refused.join(", ")})` : ""}${elsewhere.AMAZON ? `, ${elsewhere.AMAZON} Amazon` : ""}${elsewhere.EBAY ? `, ${elsewhere.EBAY} eBay` : ""}`);
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
    // Shipped POs are on the carrier's road too; the first one is delivered while the newcomer watches.
    let shipments: DemoShipments | null = null;
    try {
      const { getProducerQueues } = await import("../../app/lib/queue.server.ts");
      shipments = await trackDemoShipments({ prisma, shopId, carrier: carrier.sandbox, queues: getProducerQueues(), deliverAfterMs: CARRIER_DELIVERS_AFTER_MS / speed, say });
    } catch (error) {
      say(`• Carrier sandbox not used: ${error instanceof Error ? error.message : String(error)}`);
    }
    return {
      async stop() {
        stopped = true;
        shipments?.stop();
        if (timer) clearTimeout(timer);
        await running.catch(() => {});
      },
    };
  }

  return {
    shopify,
    amazon,
    ebay,
    // APIs only (their root answers 404): the line says so, and where their quantities can be seen.
    urls: {
      shopify: `${shopify.origin} (Admin GraphQL API, no page; its pushes show on the Channels page)`,
      amazon: `http://127.0.0.1:${amazon.port} (API only, loopback for sellingpartnerapi-na.amazon.com)`,
      ebay: `http://127.0.0.1:${ebay.port} (API only, loopback for api.ebay.com)`,
    },
    connect,
    startSalesReplay,
    close: async () => {
      await Promise.all([shopify.close(), amazon.close(), ebay.close(), carrier.close()]);
    },
  };
}

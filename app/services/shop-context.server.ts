import type { Shop } from "@prisma/client";
import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { getEnv } from "../env.server.ts";
import { ensureShop, findShopByDomain } from "../models/shop.server.ts";

export type ShopContext = {
  shop: Shop;
  /** True when the admin was opened through the local demo (no Shopify session, no Admin API). */
  demo: boolean;
  admin?: AdminApiContext;
};

/**
 * The single entry point for embedded admin loaders/actions: who is the shop?
 * In demo mode (validated at boot: never in production, loopback only) the demo shop is used without
 * OAuth; otherwise Shopify's session-token authentication decides, and a first visit creates the shop.
 */
export async function requireShopContext(request: Request): Promise<ShopContext> {
  const env = getEnv();
  if (env.DEMO_MODE) {
    const shop = await findShopByDomain(env.DEMO_SHOP_DOMAIN);
    if (!shop) throw new Response("The demo shop has not been seeded yet: run `npm run demo`.", { status: 503 });
    return { shop, demo: true };
  }
  const { authenticate } = await import("../shopify.server.ts");
  const { admin, session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return { shop, demo: false, admin };
}

import { Session } from "@shopify/shopify-api";
import type { AmazonAdapterConfig } from "#app/channels/amazon/adapter.server.ts";
import type { AdminGraphql } from "#app/channels/shopify/client.server.ts";
import type { AmazonSandbox } from "#sandbox/amazon/server.ts";
import type { ShopifySandbox } from "#sandbox/shopify/index.ts";

/**
 * The app's own Shopify client (`unauthenticated.admin(shop).admin.graphql`) pointed at a sandbox: sets
 * SHOPIFY_ADMIN_ORIGIN before the SDK is configured and stores the shop's offline session with a token the
 * sandbox issued. Callers delete SHOPIFY_ADMIN_ORIGIN when they close the sandbox.
 */
export async function sandboxAdminGraphql(sandbox: ShopifySandbox, shop: string, scope: string): Promise<AdminGraphql> {
  process.env.SHOPIFY_ADMIN_ORIGIN = sandbox.origin;
  (await import("#app/env.server.ts")).resetEnvForTests();
  const { sessionStorage, unauthenticated } = await import("#app/shopify.server.ts");
  await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: sandbox.issueAccessToken(), scope }));
  const { admin } = await unauthenticated.admin(shop);
  return admin.graphql;
}

/** An Amazon adapter config that talks to the sandbox as its seller, through the loopback agent. */
export function sandboxAmazonConfig(sandbox: AmazonSandbox, overrides: Partial<AmazonAdapterConfig> = {}): AmazonAdapterConfig {
  const { state } = sandbox;
  return {
    region: "na",
    sellerId: state.sellerId,
    marketplaceId: state.marketplaceId,
    credentials: { clientId: state.clientId, clientSecret: state.clientSecret, refreshToken: state.refreshToken },
    loopbackPort: sandbox.port,
    initialOrdersSince: "2026-11-01T00:00:00Z",
    ...overrides,
  };
}

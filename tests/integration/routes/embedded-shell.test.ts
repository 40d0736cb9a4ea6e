import { createHmac, randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { getEnv } from "#app/env.server.ts";
import { loader as dashboardLoader } from "#app/routes/app._index.tsx";
import { loader as shellLoader } from "#app/routes/app.tsx";
import { resetDatabase } from "#tests/setup/db.ts";
import { callLoader } from "./helpers.ts";

// Outside demo mode the shell is Shopify's embedded app: the request must carry a session token that
// App Bridge signs with the app's secret, and the shop comes from it (never from a query parameter).

const SHOP = "embedded-test.myshopify.com";

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/** A session token as App Bridge issues it (HS256 JWT signed with the API secret). */
function sessionToken(shop: string, secret: string, apiKey: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: "42", exp: now + 60, nbf: now - 5, iat: now, jti: randomUUID(), sid: randomUUID() }),
  );
  const signature = base64url(createHmac("sha256", secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

async function storeOfflineSession(shop: string) {
  const env = getEnv();
  await prisma.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "state",
      isOnline: false,
      scope: env.SCOPES,
      accessToken: "shpat_test",
      expires: new Date(Date.now() + 24 * 3600 * 1000),
      refreshToken: "refresh",
      refreshTokenExpires: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    },
  });
}

function authorized(path: string, token: string) {
  return { request: new Request(`http://127.0.0.1:3000${path}`, { headers: { Authorization: `Bearer ${token}` } }), params: {}, context: {} };
}

describe("embedded admin shell (not demo)", () => {
  beforeEach(resetDatabase);

  it("authenticates with the session token and creates the shop on first visit", async () => {
    const env = getEnv();
    expect(env.DEMO_MODE).toBe(false);
    await storeOfflineSession(SHOP);
    const token = sessionToken(SHOP, env.SHOPIFY_API_SECRET, env.SHOPIFY_API_KEY);

    expect(await shellLoader(authorized("/app", token))).toEqual({ apiKey: env.SHOPIFY_API_KEY, demo: false, shopName: "embedded-test" });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP }, include: { settings: true } });
    expect(shop.settings).not.toBeNull();

    const { figures } = await dashboardLoader(authorized("/app", token));
    expect(figures.skuCount).toBe(0);
  });

  it("refuses a token signed with another secret", async () => {
    const env = getEnv();
    await storeOfflineSession(SHOP);
    const forged = sessionToken(SHOP, "not-the-secret", env.SHOPIFY_API_KEY);
    await expect(shellLoader(authorized("/app", forged))).rejects.toMatchObject({ status: 401 });
    expect(await prisma.shop.count()).toBe(0);
  });

  it("does not open the admin without Shopify", async () => {
    const thrown = await callLoader(shellLoader, "/app").then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).not.toBe(200);
    expect(await prisma.shop.count()).toBe(0);
  });
});

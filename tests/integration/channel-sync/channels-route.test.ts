import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { connectChannel, recordConnectionError } from "#app/models/channel-connection.server.ts";
import { action, loader } from "#app/routes/app.channels._index.tsx";
import { requestStockPush } from "#app/services/stock-sync.server.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";
import { createSku } from "#tests/factories/index.ts";

// /app/channels in demo mode: status, sync times and errors per channel, unmapped listings with
// suggestions, "sync now" enqueues a reconcile, "map" maps and asks for a push.

let shopId: string;

beforeAll(async () => {
  useDemoMode();
  const shop = await createDemoShop();
  shopId = shop.id;
  await connectChannel(shopId, "SHOPIFY", { settings: {} });
  await connectChannel(shopId, "AMAZON", { settings: { sellerId: "S", marketplaceId: "M" }, credentials: { clientId: "c", clientSecret: "s", refreshToken: "r" } });
  await recordConnectionError(shopId, "AMAZON", "auth: Amazon refused the refresh token", new Date("2026-11-20T10:00:00Z"), { status: "ERROR" });
  await createSku({ shopId, code: "MUG-RED", barcode: "0123456789012" });
  await prisma.channelListing.createMany({
    data: [
      { shopId, channel: "AMAZON", externalId: "MUG-RED", externalSku: "MUG-RED", title: "Red mug" },
      { shopId, channel: "EBAY", externalId: "ebay-mug", externalSku: "E-MUG", barcode: "0123456789012", title: "Mug (eBay)" },
      { shopId, channel: "EBAY", externalId: "ebay-other", externalSku: "NOPE", title: "Unknown" },
      // The seller's code inside a marketplace's own SKU; "RED" alone is a part but no SKU's code.
      { shopId, channel: "AMAZON", externalId: "fba-mug", externalSku: "FBA-AMZ-MUG-RED", title: "Red mug (FBA)" },
    ],
  });
});
afterAll(async () => {
  await getProducerQueues().queue("channel-sync").obliterate({ force: true });
  await closeQueues();
});

describe("/app/channels", () => {
  it("shows each channel's status, last error and listing counts, and unmapped listings with SKU/barcode suggestions", async () => {
    const result = await callLoader(loader, "/app/channels");
    expect(result.channels.map((c) => [c.channel, c.status, c.unmapped])).toEqual([
      ["SHOPIFY", "CONNECTED", 0],
      ["AMAZON", "ERROR", 2],
      ["EBAY", "DISCONNECTED", 2],
    ]);
    expect(result.channels[1]?.lastError).toContain("refresh token");
    const suggestions = Object.fromEntries(result.unmapped.map((l) => [l.externalId, l.suggestions.map((s) => `${s.code}:${s.matchedBy}`)]));
    expect(suggestions).toEqual({ "MUG-RED": ["MUG-RED:sku"], "ebay-mug": ["MUG-RED:barcode"], "ebay-other": [], "fba-mug": ["MUG-RED:code-in-sku"] });
    expect(JSON.stringify(result)).not.toContain("encryptedCredentials");
  });

  it("says Shopify is not connected yet (not an error) until the install's offline session exists", async () => {
    const before = await callLoader(loader, "/app/channels");
    expect(before.channels.find((c) => c.channel === "SHOPIFY")).toMatchObject({ status: "CONNECTED", awaitingInstall: true, lastError: null });
    expect(before.channels.filter((c) => c.channel !== "SHOPIFY").every((c) => !c.awaitingInstall)).toBe(true);
    const domain = (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).domain;
    await prisma.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: "token" } });
    try {
      const after = await callLoader(loader, "/app/channels");
      expect(after.channels.find((c) => c.channel === "SHOPIFY")).toMatchObject({ status: "CONNECTED", awaitingInstall: false });
    } finally {
      await prisma.session.deleteMany({ where: { id: `offline_${domain}` } });
    }
  });

  it("'sync now' enqueues one reconcile however often it is clicked", async () => {
    for (let i = 0; i < 3; i++) expect(unwrap(await callAction(action, "/app/channels", { intent: "sync", channel: "AMAZON" })).body).toMatchObject({ ok: true });
    const jobs = await getProducerQueues().queue("channel-sync").getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.filter((j) => j.name === "reconcile").map((j) => j.data)).toEqual([{ shopId, channel: "AMAZON" }]);
  });

  it("'map' maps the listing to the suggested SKU and asks for a push; a bad request is a 422", async () => {
    const listing = await prisma.channelListing.findFirstOrThrow({ where: { shopId, externalId: "ebay-mug" } });
    const sku = await prisma.sku.findFirstOrThrow({ where: { shopId, code: "MUG-RED" } });
    expect(unwrap(await callAction(action, "/app/channels", { intent: "map", listingId: listing.id, skuId: sku.id })).body).toMatchObject({ ok: true });
    expect(await prisma.channelListing.findUnique({ where: { id: listing.id } })).toMatchObject({ status: "MAPPED", skuId: sku.id });
    const jobs = await getProducerQueues().queue("channel-sync").getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.filter((j) => j.name === "push-stock").map((j) => j.data)).toEqual([{ shopId }]);
    // A burst of stock changes (receipt lines, orders) while that push waits joins it: still one job.
    await Promise.all(Array.from({ length: 20 }, (_, i) => requestStockPush(shopId, [`sku-${i}`])));
    const after = await getProducerQueues().queue("channel-sync").getJobs(["waiting", "delayed", "prioritized"]);
    expect(after.filter((j) => j.name === "push-stock")).toHaveLength(1);
    expect(unwrap(await callAction(action, "/app/channels", { intent: "map", listingId: listing.id })).status).toBe(422);
  });

  it("maps a listing by a typed SKU code (exact case first, unknown or ambiguous codes refused) and ignores one that is not ours", async () => {
    await createSku({ shopId, code: "PLATE-a" });
    await createSku({ shopId, code: "PLATE-A" });
    const other = await prisma.channelListing.findFirstOrThrow({ where: { shopId, externalId: "ebay-other" } });
    const typed = (code: string) => callAction(action, "/app/channels", { intent: "map-code", listingId: other.id, code });
    expect(unwrap(await typed("  ")).body).toMatchObject({ ok: false, message: "Type the SKU code this listing sells." });
    expect(unwrap(await typed("BOWL"))).toMatchObject({ status: 422, body: { ok: false, message: "No SKU has the code “BOWL”.", fieldErrors: { [`code-${other.id}`]: "No SKU has the code “BOWL”." } } });
    expect(unwrap(await typed("plate-A")).body).toMatchObject({ ok: false, message: expect.stringContaining("Several SKUs match “plate-A”") });
    expect(await prisma.channelListing.findUnique({ where: { id: other.id } })).toMatchObject({ status: "UNMAPPED", skuId: null }); // nothing lost
    expect(unwrap(await typed("mug-red")).body).toMatchObject({ ok: true, message: "Listing mapped to MUG-RED; its quantity will be pushed." });
    const mug = await prisma.sku.findFirstOrThrow({ where: { shopId, code: "MUG-RED" } });
    expect(await prisma.channelListing.findUnique({ where: { id: other.id } })).toMatchObject({ status: "MAPPED", skuId: mug.id });

    const fba = await prisma.channelListing.findFirstOrThrow({ where: { shopId, externalId: "fba-mug" } });
    expect(unwrap(await callAction(action, "/app/channels", { intent: "ignore", listingId: fba.id })).body).toMatchObject({ ok: true });
    expect(await prisma.channelListing.findUnique({ where: { id: fba.id } })).toMatchObject({ status: "IGNORED", skuId: null });
    expect((await callLoader(loader, "/app/channels")).unmapped.map((l) => l.externalId)).not.toContain("fba-mug");
    // Another shop's listing (or a stale id) is a 404 with a message, not a crash.
    expect(unwrap(await callAction(action, "/app/channels", { intent: "ignore", listingId: "nope" }))).toMatchObject({ status: 404, body: { ok: false } });
    expect(unwrap(await callAction(action, "/app/channels", { intent: "map-code", listingId: "nope", code: "MUG-RED" }))).toMatchObject({ status: 404, body: { ok: false } });
  });

  it("connects eBay: field errors first, then settings stored readable and secrets encrypted, and a first sync queued", async () => {
    const missing = unwrap(await callAction(action, "/app/channels", { intent: "connect", channel: "EBAY", appId: "app-1" }));
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ ok: false, channel: "EBAY", fieldErrors: { certId: expect.any(String), refreshToken: expect.any(String) } });
    expect(await prisma.channelConnection.findFirst({ where: { shopId, channel: "EBAY" } })).toBeNull();

    const form = { intent: "connect", channel: "EBAY", marketplaceId: "EBAY_GB", appId: "app-1", certId: "cert-secret", accessToken: "v^1.1#user-token", refreshToken: "v^1.1#refresh-secret" };
    expect(unwrap(await callAction(action, "/app/channels", form)).body).toMatchObject({ ok: true });
    const connection = await prisma.channelConnection.findFirstOrThrow({ where: { shopId, channel: "EBAY" } });
    expect(connection).toMatchObject({ status: "CONNECTED", settings: { marketplaceId: "EBAY_GB" } });
    expect(connection.encryptedCredentials).not.toContain("refresh-secret");
    expect(connection.encryptedCredentials).not.toContain("cert-secret");
    const { decryptCredentials, credentialsContext } = await import("#app/channels/credentials.server.ts");
    expect(decryptCredentials(connection.encryptedCredentials!, credentialsContext(shopId, "EBAY"))).toEqual({ appId: "app-1", certId: "cert-secret", accessToken: "v^1.1#user-token", refreshToken: "v^1.1#refresh-secret" });
    const jobs = await getProducerQueues().queue("channel-sync").getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.some((j) => j.name === "reconcile" && j.data.channel === "EBAY")).toBe(true);
  });
});

// The demo's receipt (scripts/demo/receipt.ts): half of an open PO is received through the receiving
// service and push-stock is queued; a restarted demo replays it; with no PO on its way, the newest
// engine draft is walked through the lifecycle first.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "#tests/integration/workers/helpers.ts";
import { receiveDemoDelivery } from "../../../scripts/demo/receipt.ts";
import { createReceivingFixture, type ReceivingFixture } from "./fixtures.ts";

beforeEach(resetDatabase);
afterEach(async () => obliterateAll(getProducerQueues()));
afterAll(closeQueues);

async function listAll(f: ReceivingFixture) {
  for (const [i, skuId] of [f.mugId, f.plateId].entries()) {
    await prisma.channelListing.create({ data: { shopId: f.shopId, channel: "SHOPIFY", skuId, externalId: `gid://shopify/ProductVariant/${i + 1}`, status: "MAPPED" } });
  }
}

describe("demo receipt", () => {
  it("receives half of a sent PO, queues the push, and books nothing twice on a restart", async () => {
    const f = await createReceivingFixture();
    await listAll(f);
    const lines: string[] = [];
    const first = await receiveDemoDelivery({ prisma, shopId: f.shopId, say: (l) => lines.push(l) });
    // 3 mugs → 1, 2 plates → 1.
    expect(first).toMatchObject({ number: f.number, units: 2, skus: 2, status: "PARTIALLY_RECEIVED", replayed: false });
    expect(lines[0]).toContain(`Received 2 units of 2 SKUs on ${f.number}`);
    const pushes = await getProducerQueues().queue("channel-sync").getJobs(["delayed", "waiting"]);
    expect(pushes.map((j) => j.name)).toEqual(["push-stock"]);

    const again = await receiveDemoDelivery({ prisma, shopId: f.shopId });
    expect(again).toMatchObject({ replayed: true, units: 0 });
    expect(await prisma.receipt.count({ where: { shopId: f.shopId } })).toBe(1);
    expect((await prisma.inventoryLevel.findFirstOrThrow({ where: { skuId: f.mugId } })).onHand).toBe(3);
  });

  it("walks the newest draft to shipped when nothing is on its way, and says so when there is nothing at all", async () => {
    const f = await createReceivingFixture({ status: "DRAFT" });
    const said: string[] = [];
    expect(await receiveDemoDelivery({ prisma, shopId: f.shopId, say: (l) => said.push(l) })).toBeNull();
    expect(said).toEqual(["• Demo receipt skipped: no purchase order to receive yet"]);
    await listAll(f);
    const result = await receiveDemoDelivery({ prisma, shopId: f.shopId });
    expect(result).toMatchObject({ status: "PARTIALLY_RECEIVED" });
    const events = await prisma.purchaseOrderEvent.findMany({ where: { purchaseOrderId: f.purchaseOrderId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(events.map((e) => (e.data as { event: string }).event)).toEqual(["approve", "send", "accept", "ship", "receive-partial"]);
  });
});

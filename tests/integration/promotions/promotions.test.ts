// The promotions calendar: create/edit/delete with validation (422 field errors), SKUs by code or by
// product type, the index's active/upcoming/past grouping, shop scoping, and the reorder snapshot loader
// turning the stored rows into forecast multipliers.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { loader as indexLoader } from "#app/routes/app.promotions._index.tsx";
import { action, loader } from "#app/routes/app.promotions.$promotionId.tsx";
import { createShop, createSku } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { callLoader, createDemoShop, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const ORIGIN = "http://127.0.0.1:3000";

function load(promotionId: string, query = "") {
  return loader({ request: new Request(`${ORIGIN}/app/promotions/${promotionId}${query}`), params: { promotionId }, context: {} });
}

function post(promotionId: string, form: Record<string, string>) {
  const request = new Request(`${ORIGIN}/app/promotions/${promotionId}`, { method: "POST", body: new URLSearchParams(form) });
  return action({ request, params: { promotionId }, context: {} });
}

async function status(work: Promise<unknown>): Promise<number> {
  try {
    const result = await work;
    return result instanceof Response ? result.status : unwrap(result).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const VALID = { name: "Black Friday", startsOn: "2026-11-27", endsOn: "2026-11-30", upliftPct: "150", scope: "skus", skuCodes: "MUG-1,MUG-2", productType: "" };

const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("promotion form", () => {
  it("creates a promotion for SKUs chosen by code and redirects to it", async () => {
    const shop = await createDemoShop();
    const [a, b] = [await createSku({ shopId: shop.id, code: "MUG-1" }), await createSku({ shopId: shop.id, code: "MUG-2" })];
    const response = await post("new", VALID);
    expect(response).toBeInstanceOf(Response);
    const row = await prisma.promotion.findFirstOrThrow({ where: { shopId: shop.id } });
    expect((response as Response).headers.get("Location")).toBe(`/app/promotions/${row.id}`);
    expect(row).toMatchObject({ name: "Black Friday", collection: null });
    expect(row.skuIds.sort()).toEqual([a.id, b.id].sort());
    expect(row.upliftPct.toFixed(2)).toBe("150.00");
    expect(row.startsOn.toISOString()).toBe("2026-11-27T00:00:00.000Z");

    const { promotion } = await load(row.id);
    expect(promotion).toMatchObject({ name: "Black Friday", startsOn: "2026-11-27", endsOn: "2026-11-30", upliftPct: 150, scope: "skus" });
    expect(promotion?.skus.map((s) => s.code)).toEqual(["MUG-1", "MUG-2"]);
  });

  it("finds SKUs by code or title for the search box, within the shop", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    await createSku({ shopId: shop.id, code: "MUG-SEA", title: "Stoneware mug" });
    await createSku({ shopId: shop.id, code: "NAP-OAT", title: "Linen napkin" });
    await createSku({ shopId: other.id, code: "MUG-OTHER", title: "Someone else's mug" });
    expect((await load("new", "?q=mug")).matches.map((m) => m.code)).toEqual(["MUG-SEA"]);
    expect((await load("new", "?q=linen")).matches.map((m) => m.code)).toEqual(["NAP-OAT"]);
    expect((await load("new")).matches).toEqual([]);
  });

  it("resolves a product type to its SKUs when saved", async () => {
    const shop = await createDemoShop();
    const mugs = [await createSku({ shopId: shop.id, productType: "Mugs" }), await createSku({ shopId: shop.id, productType: "Mugs" })];
    await createSku({ shopId: shop.id, productType: "Napkins" });
    const { productTypes } = await load("new");
    expect(productTypes).toEqual(["Mugs", "Napkins"]);
    await post("new", { ...VALID, scope: "productType", skuCodes: "", productType: "Mugs" });
    const row = await prisma.promotion.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row.collection).toBe("productType:Mugs");
    expect(row.skuIds.sort()).toEqual(mugs.map((m) => m.id).sort());
    expect((await load(row.id)).promotion).toMatchObject({ scope: "productType", productType: "Mugs", skuCount: 2 });
  });

  it("rejects invalid input with a 422 and one error per field, saving nothing", async () => {
    const shop = await createDemoShop();
    await createSku({ shopId: shop.id, code: "MUG-1" });
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ endsOn: "2026-11-26" }, { endsOn: "Must be on or after the start date" }],
      [{ upliftPct: "600" }, { upliftPct: "Must be between -90% and +500%" }],
      [{ upliftPct: "-95" }, { upliftPct: "Must be between -90% and +500%" }],
      [{ upliftPct: "lots" }, { upliftPct: "Enter a percentage such as 30 or -20, with at most 2 decimals" }],
      [{ name: "", startsOn: "2026-02-30" }, { name: "Enter a name", startsOn: "Not a calendar date" }],
      [{ skuCodes: "" }, { skuCodes: "Add at least one SKU" }],
      [{ skuCodes: "MUG-1,GHOST-9" }, { skuCodes: "Unknown SKU: GHOST-9" }],
      [{ scope: "productType", productType: "" }, { productType: "Choose a product type" }],
      [{ scope: "productType", productType: "Vases" }, { productType: "No SKU has the product type Vases" }],
    ];
    for (const [change, expected] of cases) {
      const { status: code, body } = unwrap(await post("new", { ...VALID, ...change }));
      expect(code, JSON.stringify(change)).toBe(422);
      expect((body as { fieldErrors: unknown }).fieldErrors, JSON.stringify(change)).toEqual(expected);
    }
    // The edges of the range are valid.
    expect(await status(post("new", { ...VALID, skuCodes: "MUG-1", upliftPct: "-90" }))).toBe(302);
    expect(await status(post("new", { ...VALID, skuCodes: "MUG-1", upliftPct: "500", endsOn: VALID.startsOn }))).toBe(302);
    expect(await prisma.promotion.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("edits and deletes a promotion", async () => {
    const shop = await createDemoShop();
    await createSku({ shopId: shop.id, code: "MUG-1" });
    await createSku({ shopId: shop.id, code: "MUG-2" });
    await post("new", VALID);
    const row = await prisma.promotion.findFirstOrThrow({ where: { shopId: shop.id } });
    const edited = unwrap(await post(row.id, { ...VALID, name: "Cyber week", upliftPct: "80.5", scope: "all", skuCodes: "" }));
    expect(edited).toMatchObject({ status: 200, body: { ok: true } });
    const after = await prisma.promotion.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ name: "Cyber week", skuIds: [], collection: null });
    expect(after.upliftPct.toFixed(2)).toBe("80.50");

    const deleted = (await post(row.id, { intent: "delete" })) as Response;
    expect(deleted.headers.get("Location")).toBe("/app/promotions");
    expect(await prisma.promotion.count()).toBe(0);
  });

  it("answers 404 for another shop's promotion, and never changes it", async () => {
    await createDemoShop();
    const other = await createShop();
    const foreign = await prisma.promotion.create({
      data: { shopId: other.id, name: "Theirs", startsOn: new Date("2026-12-01"), endsOn: new Date("2026-12-02"), upliftPct: "10", skuIds: [] },
    });
    expect(await status(load(foreign.id))).toBe(404);
    expect(await status(post(foreign.id, { ...VALID, scope: "all" }))).toBe(404);
    expect(await status(post(foreign.id, { intent: "delete" }))).toBe(404);
    expect(await prisma.promotion.findUniqueOrThrow({ where: { id: foreign.id } })).toEqual(foreign);
  });
});

describe("promotions index", () => {
  it("shows active, then upcoming (soonest first), then past promotions of this shop only", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const make = (shopId: string, name: string, from: number, to: number) =>
      prisma.promotion.create({ data: { shopId, name, startsOn: new Date(isoDay(from)), endsOn: new Date(isoDay(to)), upliftPct: "20", skuIds: [] } });
    await make(shop.id, "Last month", -40, -30);
    await make(shop.id, "Next month", 30, 35);
    await make(shop.id, "Next week", 7, 9);
    await make(shop.id, "Running", -2, 5);
    await make(other.id, "Other shop", -2, 5);
    const { promotions } = await callLoader(indexLoader, "/app/promotions");
    expect(promotions.map((p) => [p.name, p.status])).toEqual([
      ["Running", "active"],
      ["Next week", "upcoming"],
      ["Next month", "upcoming"],
      ["Last month", "past"],
    ]);
  });
});

describe("reorder snapshot", () => {
  it("turns stored promotions into forecast multipliers on their SKUs", async () => {
    const shop = await createDemoShop();
    await createSku({ shopId: shop.id, code: "MUG-1" });
    await createSku({ shopId: shop.id, code: "MUG-2", productType: "Mugs" });
    await post("new", { ...VALID, skuCodes: "MUG-1" });
    await post("new", { ...VALID, name: "Mug week", scope: "productType", skuCodes: "", productType: "Mugs", upliftPct: "-50" });
    const snapshot = await loadReorderSnapshot(shop.id, "2026-11-20");
    const ids = new Map((await prisma.sku.findMany({ where: { shopId: shop.id } })).map((s) => [s.code, s.id]));
    expect(snapshot.input.promotions).toEqual(
      expect.arrayContaining([
        { id: "Black Friday", from: "2026-11-27", to: "2026-11-30", multiplier: 2.5, skuIds: [ids.get("MUG-1")] },
        { id: "Mug week", from: "2026-11-27", to: "2026-11-30", multiplier: 0.5, skuIds: [ids.get("MUG-2")] },
      ]),
    );
    expect(snapshot.warnings).toEqual([]);
  });

  it("resolves a collection to the SKUs in it on the day it plans, and never to the whole catalogue", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const summer = [await createSku({ shopId: shop.id, code: "HAT", collections: ["summer", "hats"] }), await createSku({ shopId: shop.id, code: "FAN", collections: ["summer"] })];
    await createSku({ shopId: shop.id, code: "SCARF", collections: ["winter"] });
    await createSku({ shopId: other.id, code: "THEIRS", collections: ["summer", "autumn"] });

    expect((await load("new")).collections).toEqual(["hats", "summer", "winter"]);
    for (const [change, expected] of [
      [{ collection: "" }, { collection: "Choose a collection" }],
      // Another shop's collection is not this shop's.
      [{ collection: "autumn" }, { collection: "No SKU is in the collection autumn" }],
    ] as const) {
      const { status: code, body } = unwrap(await post("new", { ...VALID, scope: "collection", skuCodes: "", ...change }));
      expect(code).toBe(422);
      expect((body as { fieldErrors: unknown }).fieldErrors).toEqual(expected);
    }
    expect(await status(post("new", { ...VALID, name: "Summer sale", scope: "collection", skuCodes: "", collection: "summer", upliftPct: "40" }))).toBe(302);
    const row = await prisma.promotion.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ collection: "collection:summer", skuIds: [] });
    expect((await load(row.id)).promotion).toMatchObject({ scope: "collection", collection: "summer", skuCount: 2 });

    // A product added to the collection after the save is lifted too.
    const later = await createSku({ shopId: shop.id, code: "SUNSCREEN", collections: ["summer"] });
    expect((await callLoader(indexLoader, "/app/promotions")).promotions[0]).toMatchObject({ scope: "collection", skuCount: 3 });
    const snapshot = await loadReorderSnapshot(shop.id, "2026-11-20");
    expect(snapshot.input.promotions).toEqual([
      { id: "Summer sale", from: "2026-11-27", to: "2026-11-30", multiplier: 1.4, skuIds: [...summer.map((s) => s.id), later.id].sort() },
    ]);
    expect(snapshot.warnings).toEqual([]);

    // Emptied collection: ignored with a warning, not applied to every SKU.
    await prisma.sku.updateMany({ where: { shopId: shop.id }, data: { collections: [] } });
    const emptied = await loadReorderSnapshot(shop.id, "2026-11-20");
    expect(emptied.input.promotions).toEqual([]);
    expect(emptied.warnings).toEqual(['promotion "Summer sale" targets collection summer, which holds no SKU now: ignored']);
  });
});

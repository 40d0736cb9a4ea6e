import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { CrossShopAccessError, forShop, shopOwnedModels } from "#app/models/scoped-db.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop, createSku, createSupplier } from "#tests/factories/index.ts";

// Issue 2 acceptance: a query made for shop A never returns shop B's rows.
describe("forShop(shopId)", () => {
  beforeEach(resetDatabase);

  async function twoShops() {
    const shopA = await createShop({ domain: "a.myshopify.com" });
    const shopB = await createShop({ domain: "b.myshopify.com" });
    // Same codes in both shops, so only the shop filter can tell them apart.
    const skuA = await createSku({ shopId: shopA.id, code: "MUG", title: "A mug", price: "10.00" });
    const skuB = await createSku({ shopId: shopB.id, code: "MUG", title: "B mug", price: "99.00" });
    const skuB2 = await createSku({ shopId: shopB.id, code: "CUP", title: "B cup", price: "50.00" });
    return { shopA, shopB, skuA, skuB, skuB2, a: forShop(shopA.id) };
  }

  it("covers every model with a shopId column, and only those", () => {
    const withShopId = Prisma.dmmf.datamodel.models.filter((m) => m.fields.some((f) => f.name === "shopId")).map((m) => m.name);
    expect([...shopOwnedModels].sort()).toEqual(withShopId.sort());
    expect(shopOwnedModels).toContain("InventoryMovement");
    expect(shopOwnedModels).not.toContain("Shop");
    expect(shopOwnedModels).not.toContain("Session");
  });

  it("findMany, findFirst and count see only the shop's rows", async () => {
    const { skuA, a } = await twoShops();
    expect((await a.sku.findMany()).map((s) => s.id)).toEqual([skuA.id]);
    expect((await a.sku.findMany({ where: { code: { in: ["MUG", "CUP"] } } })).map((s) => s.id)).toEqual([skuA.id]);
    expect((await a.sku.findFirst({ where: { title: "B mug" } }))).toBeNull();
    expect(await a.sku.count()).toBe(1);
    expect(await a.sku.count({ where: { code: "CUP" } })).toBe(0);
    expect(await prisma.sku.count()).toBe(3); // the unscoped client still sees everything
  });

  it("findUnique by id (the tutorial's unscoped lookup) returns null for another shop's id", async () => {
    const { skuA, skuB, a } = await twoShops();
    expect((await a.sku.findUnique({ where: { id: skuA.id } }))?.title).toBe("A mug");
    expect(await a.sku.findUnique({ where: { id: skuB.id } })).toBeNull();
    await expect(a.sku.findUniqueOrThrow({ where: { id: skuB.id } })).rejects.toThrow();
    expect(await a.sku.findFirst({ where: { id: skuB.id } })).toBeNull();
  });

  it("aggregate and groupBy are confined to the shop", async () => {
    const { a } = await twoShops();
    const { _sum, _count } = await a.sku.aggregate({ _sum: { price: true }, _count: true });
    expect(_sum.price?.toString()).toBe("10");
    expect(_count).toBe(1);
    const groups = await a.sku.groupBy({ by: ["code"], _count: { _all: true } });
    expect(groups).toEqual([{ code: "MUG", _count: { _all: 1 } }]);
  });

  it("update and delete of another shop's row do nothing to it", async () => {
    const { skuB, skuB2, a } = await twoShops();
    await expect(a.sku.update({ where: { id: skuB.id }, data: { title: "hijacked" } })).rejects.toThrow();
    expect((await a.sku.updateMany({ data: { title: "renamed" } })).count).toBe(1);
    await expect(a.sku.delete({ where: { id: skuB2.id } })).rejects.toThrow();
    expect((await a.sku.deleteMany({ where: { code: "CUP" } })).count).toBe(0);
    const bRows = await prisma.sku.findMany({ where: { shopId: skuB.shopId }, orderBy: { code: "asc" } });
    expect(bRows.map((s) => s.title)).toEqual(["B cup", "B mug"]);
  });

  it("update and delete of the shop's own row work", async () => {
    const { skuA, a } = await twoShops();
    expect((await a.sku.update({ where: { id: skuA.id }, data: { title: "A big mug" } })).title).toBe("A big mug");
    await a.sku.delete({ where: { id: skuA.id } });
    expect(await prisma.sku.findUnique({ where: { id: skuA.id } })).toBeNull();
  });

  it("create fills in the shop, and refuses another shop's id", async () => {
    const { shopA, shopB, a } = await twoShops();
    const created = await a.supplier.create({ data: { name: "Acme" } as Prisma.SupplierUncheckedCreateInput });
    expect(created.shopId).toBe(shopA.id);
    await expect(a.supplier.create({ data: { name: "Evil", shopId: shopB.id } })).rejects.toBeInstanceOf(CrossShopAccessError);
    await expect(a.supplier.create({ data: { name: "Evil", shop: { connect: { id: shopB.id } } } })).rejects.toBeInstanceOf(CrossShopAccessError);
    await expect(a.supplier.createMany({ data: [{ name: "Ok", shopId: shopA.id }, { name: "Evil", shopId: shopB.id }] })).rejects.toBeInstanceOf(
      CrossShopAccessError,
    );
    expect(await prisma.supplier.count({ where: { shopId: shopB.id } })).toBe(0);
    expect(await prisma.supplier.count({ where: { name: "Ok" } })).toBe(0);
  });

  it("refuses explicit filters for, or moves to, another shop", async () => {
    const { shopB, skuA, a } = await twoShops();
    await expect(a.sku.findMany({ where: { shopId: shopB.id } })).rejects.toBeInstanceOf(CrossShopAccessError);
    await expect(a.sku.findUnique({ where: { shopId_code: { shopId: shopB.id, code: "MUG" } } })).rejects.toBeInstanceOf(CrossShopAccessError);
    await expect(a.sku.update({ where: { id: skuA.id }, data: { shopId: shopB.id } })).rejects.toBeInstanceOf(CrossShopAccessError);
    await expect(
      a.sku.upsert({ where: { id: "x" }, create: { code: "X", title: "X", shopId: shopB.id }, update: {} }),
    ).rejects.toBeInstanceOf(CrossShopAccessError);
  });

  it("upsert creates in the shop and never updates another shop's row", async () => {
    const { shopA, skuB, a } = await twoShops();
    const supplier = await createSupplier({ shopId: shopA.id, name: "Acme" });
    const updated = await a.supplier.upsert({
      where: { shopId_name: { shopId: shopA.id, name: "Acme" } },
      create: { name: "Acme" } as Prisma.SupplierUncheckedCreateInput,
      update: { leadTimeDays: 21 },
    });
    expect(updated).toMatchObject({ id: supplier.id, leadTimeDays: 21 });
    // skuB's id exists, but not in shop A: the upsert must neither update it nor pretend it succeeded.
    await expect(
      a.sku.upsert({ where: { id: skuB.id }, create: { id: skuB.id, code: "NEW", title: "New" } as Prisma.SkuUncheckedCreateInput, update: { title: "hijacked" } }),
    ).rejects.toBeInstanceOf(CrossShopAccessError);
    expect((await prisma.sku.findUniqueOrThrow({ where: { id: skuB.id } })).title).toBe("B mug");
  });

  it("passes models without a shopId through", async () => {
    const { shopA, shopB, a } = await twoShops();
    expect((await a.shop.findMany({ orderBy: { domain: "asc" } })).map((s) => s.id)).toEqual([shopA.id, shopB.id]);
  });
});

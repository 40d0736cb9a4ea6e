// The approval policy per shop as the merchant edits it in Settings (issue 5, item 2): mode, threshold
// and the autonomous scope (ABC classes and/or chosen suppliers), saved through the settings route and
// then applied by approveByPolicy to real POs.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { action, loader } from "#app/routes/app.settings.tsx";
import { approveByPolicy } from "#app/services/purchase-orders.server.ts";
import { createLocation, createShop, createSku, createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "../routes/helpers.ts";
import { createPurchaseOrder, type PurchasingFixture } from "./helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const FORM = {
  approvalMode: "AUTONOMOUS",
  approvalThreshold: "2000.00",
  serviceLevelA: "99",
  serviceLevelB: "97",
  serviceLevelC: "93",
  reviewCadenceDays: "1",
  leadTimePercentile: "85",
  digestWeekday: "1",
};

describe("approval policy settings", () => {
  it("saves an autonomous scope that the policy then applies: chosen supplier or A-class lines go out, the rest waits", async () => {
    const shop = await createDemoShop();
    const trusted = await createSupplier({ shopId: shop.id, name: "Trusted" });
    const other = await createSupplier({ shopId: shop.id, name: "Other" });
    const location = await createLocation({ shopId: shop.id });
    const skus = [await createSku({ shopId: shop.id }), await createSku({ shopId: shop.id })];
    const fixture = (supplierId: string): PurchasingFixture => ({ shopId: shop.id, supplierId, locationId: location.id, skuIds: skus.map((s) => s.id) });

    const saved = unwrap(await callAction(action, "/app/settings", { ...FORM, autonomousAbcClasses: "a", autonomousSupplierIds: trusted.id }));
    expect(saved).toMatchObject({ status: 200, body: { ok: true } });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).autonomousScope).toEqual({ abcClasses: ["A"], supplierIds: [trusted.id] });
    const { settings, suppliers } = await callLoader(loader, "/app/settings");
    expect(settings.autonomousScope).toEqual({ abcClasses: ["A"], supplierIds: [trusted.id] });
    expect(suppliers.map((s) => s.name).sort()).toEqual(["Other", "Trusted"]);

    const fromTrusted = await createPurchaseOrder(fixture(trusted.id), { abcClasses: ["C", "C"] });
    const aClassFromOther = await createPurchaseOrder(fixture(other.id), { abcClasses: ["A", "A"] });
    const mixedFromOther = await createPurchaseOrder(fixture(other.id), { abcClasses: ["A", "B"] });
    const bigFromTrusted = await createPurchaseOrder(fixture(trusted.id), { total: "2000.01" });
    expect((await approveByPolicy(shop.id, fromTrusted.id)).decision).toBe("auto-approve");
    expect((await approveByPolicy(shop.id, aClassFromOther.id)).decision).toBe("auto-approve");
    expect(await approveByPolicy(shop.id, mixedFromOther.id)).toMatchObject({ decision: "needs-review", reasons: ["outside the shop's autonomous scope (supplier or ABC classes)"] });
    expect((await approveByPolicy(shop.id, bigFromTrusted.id)).reasons[0]).toMatch(/above the approval threshold \$2,000\.00/);

    // Clearing both lists removes the scope: autonomy for every PO again.
    expect(unwrap(await callAction(action, "/app/settings", { ...FORM, autonomousAbcClasses: "", autonomousSupplierIds: "" })).body).toMatchObject({ ok: true });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).autonomousScope).toBeNull();
    const later = await createPurchaseOrder(fixture(other.id), { abcClasses: ["C", "C"] });
    expect((await approveByPolicy(shop.id, later.id)).decision).toBe("auto-approve");
  });

  it("refuses a class that does not exist and a supplier of another shop, saving nothing; a form without the fields keeps the scope", async () => {
    const shop = await createDemoShop();
    const mine = await createSupplier({ shopId: shop.id });
    const foreign = await createSupplier({ shopId: (await createShop()).id });
    expect(unwrap(await callAction(action, "/app/settings", { ...FORM, autonomousSupplierIds: mine.id }))).toMatchObject({ status: 200 });

    const badClass = unwrap(await callAction(action, "/app/settings", { ...FORM, autonomousAbcClasses: "A,D" }));
    expect(badClass).toMatchObject({ status: 422, body: { ok: false, fieldErrors: { autonomousAbcClasses: "Choose ABC classes A, B or C" } } });
    const badSupplier = unwrap(await callAction(action, "/app/settings", { ...FORM, autonomousSupplierIds: `${mine.id},${foreign.id}` }));
    expect(badSupplier).toMatchObject({ status: 422, body: { fieldErrors: { autonomousSupplierIds: "Choose suppliers of this shop (reload the page)" } } });

    expect(unwrap(await callAction(action, "/app/settings", { ...FORM, approvalThreshold: "500" })).body).toMatchObject({ ok: true });
    const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row.autonomousScope).toEqual({ abcClasses: [], supplierIds: [mine.id] });
    expect(row.approvalThreshold.toFixed(2)).toBe("500.00");
  });
});

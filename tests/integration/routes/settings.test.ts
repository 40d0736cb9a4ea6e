import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { action, loader } from "#app/routes/app.settings.tsx";
import { resetRateLimits } from "#app/lib/rate-limit.server.ts";
import { acceptPurchaseOrder, updateShippingDetails } from "#app/services/supplier-portal.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, createSupplier } from "#tests/factories/index.ts";
import { createPurchaseOrder } from "../purchasing/helpers.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "./helpers.ts";
import { DEFAULT_SHOP_POLICY } from "#app/domain/reorder/index.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const VALID = {
  approvalMode: "EXCEPTIONS_ONLY",
  approvalThreshold: "1500.25",
  serviceLevelA: "98.5",
  serviceLevelB: "95",
  serviceLevelC: "90",
  reviewCadenceDays: "7",
  leadTimePercentile: "90",
  digestWeekday: "5",
};

async function storedSettings(shopId: string) {
  const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId } });
  return {
    approvalMode: row.approvalMode,
    approvalThreshold: row.approvalThreshold.toFixed(2),
    serviceLevelA: row.serviceLevelA.toFixed(4),
    serviceLevelB: row.serviceLevelB.toFixed(4),
    serviceLevelC: row.serviceLevelC.toFixed(4),
    reviewCadenceDays: row.reviewCadenceDays,
    leadTimePercentile: row.leadTimePercentile,
    digestWeekday: row.digestWeekday,
  };
}

describe("settings route", () => {
  it("says whether the shop is in its trust period, and until when", async () => {
    const shop = await createDemoShop();
    expect((await callLoader(loader, "/app/settings")).trustPeriodEndsAt).toBeNull();
    const ends = new Date(Date.now() + 10 * 86_400_000);
    await prisma.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, trustPeriodEndsAt: ends }, update: { trustPeriodEndsAt: ends } });
    expect(new Date((await callLoader(loader, "/app/settings")).trustPeriodEndsAt!).toISOString()).toBe(ends.toISOString());
    // One that has ended reads as over.
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { trustPeriodEndsAt: new Date(Date.now() - 1000) } });
    expect((await callLoader(loader, "/app/settings")).trustPeriodEndsAt).toBeNull();
  });

  it("loads the shop's settings (defaults for a new shop)", async () => {
    await createDemoShop();
    const { settings } = await callLoader(loader, "/app/settings");
    expect(settings).toMatchObject({
      approvalMode: "REVIEW_ALL",
      approvalThreshold: 200_000,
      // A new shop plans with the engine's default policy, the levels the simulator chose.
      serviceLevelA: DEFAULT_SHOP_POLICY.serviceLevels.A,
      serviceLevelB: DEFAULT_SHOP_POLICY.serviceLevels.B,
      serviceLevelC: DEFAULT_SHOP_POLICY.serviceLevels.C,
      reviewCadenceDays: 1,
      leadTimePercentile: 85,
      digestWeekday: 1,
    });
  });

  it("persists valid input, for this shop only", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const otherBefore = await storedSettings(other.id);

    const { status, body } = unwrap(await callAction(action, "/app/settings", VALID));
    expect(status).toBe(200);
    expect(body.ok).toBe(true);

    expect(await storedSettings(shop.id)).toEqual({
      approvalMode: "EXCEPTIONS_ONLY",
      approvalThreshold: "1500.25",
      serviceLevelA: "0.9850",
      serviceLevelB: "0.9500",
      serviceLevelC: "0.9000",
      reviewCadenceDays: 7,
      leadTimePercentile: 90,
      digestWeekday: 5,
    });
    expect(await storedSettings(other.id)).toEqual(otherBefore);

    const { settings } = await callLoader(loader, "/app/settings");
    expect(settings).toMatchObject({ approvalThreshold: 150_025, serviceLevelA: 0.985, digestWeekday: 5 });
  });

  it("rejects invalid input with a 422 and an error per field, saving nothing", async () => {
    const shop = await createDemoShop();
    const before = await storedSettings(shop.id);

    const { status, body } = unwrap(
      await callAction(action, "/app/settings", {
        ...VALID,
        approvalMode: "WHENEVER",
        approvalThreshold: "-5",
        serviceLevelA: "abc",
        reviewCadenceDays: "1.5",
        leadTimePercentile: "100",
        digestWeekday: "",
      }),
    );
    expect(status).toBe(422);
    expect(body.ok).toBe(false);
    expect(Object.keys(body.fieldErrors).sort()).toEqual(
      ["approvalMode", "approvalThreshold", "digestWeekday", "leadTimePercentile", "reviewCadenceDays", "serviceLevelA"].sort(),
    );
    expect(body.fieldErrors.leadTimePercentile).toBe("Must be at most 99");
    expect(body.fieldErrors.reviewCadenceDays).toBe("Enter a number of days as a whole number");
    expect(body.fieldErrors.digestWeekday).toBe("Enter a weekday");
    expect(await storedSettings(shop.id)).toEqual(before);
  });

  it("chooses the forecast method: one estimator alone, planned on by the engine; a bad value is refused; a post without it keeps it", async () => {
    const shop = await createDemoShop();
    expect((await callLoader(loader, "/app/settings")).settings.forecastMethod).toBe("AUTO");
    const auto = await loadReorderSnapshot(shop.id, "2026-11-24", { skuIds: [] });
    expect(auto.input.shop).toMatchObject({ forecastMethod: "auto" });

    expect(unwrap(await callAction(action, "/app/settings", { ...VALID, forecastMethod: "EWA_30" })).status).toBe(200);
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).forecastMethod).toBe("EWA_30");
    const ewa = await loadReorderSnapshot(shop.id, "2026-11-24", { skuIds: [] });
    expect(ewa.input.shop).toMatchObject({ forecastMethod: "ewa" });

    const bad = unwrap(await callAction(action, "/app/settings", { ...VALID, forecastMethod: "CRYSTAL_BALL" }));
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ fieldErrors: { forecastMethod: "Choose a forecast method" } });
    expect(unwrap(await callAction(action, "/app/settings", VALID)).status).toBe(200);
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).forecastMethod).toBe("EWA_30");
  });

  it("sets the supplier-choice weights: shown as 40/30/20/10 by default, stored and planned on; a sum other than 100 or a partial set is refused", async () => {
    const shop = await createDemoShop();
    expect((await callLoader(loader, "/app/settings")).settings.supplierWeights).toEqual({ price: 40, leadTime: 30, quality: 20, moqFlexibility: 10 });
    const byDefault = await loadReorderSnapshot(shop.id, "2026-11-24", { skuIds: [] });
    expect(byDefault.input.shop?.supplierWeights).toEqual(DEFAULT_SHOP_POLICY.supplierWeights);

    const weights = { supplierWeightPrice: "70", supplierWeightLeadTime: "20", supplierWeightQuality: "10", supplierWeightMoq: "0" };
    expect(unwrap(await callAction(action, "/app/settings", { ...VALID, ...weights })).status).toBe(200);
    expect((await callLoader(loader, "/app/settings")).settings.supplierWeights).toEqual({ price: 70, leadTime: 20, quality: 10, moqFlexibility: 0 });
    const chosen = await loadReorderSnapshot(shop.id, "2026-11-24", { skuIds: [] });
    expect(chosen.input.shop?.supplierWeights).toEqual({ price: 0.7, leadTime: 0.2, quality: 0.1, moqFlexibility: 0 });

    const stored = async () => (await callLoader(loader, "/app/settings")).settings.supplierWeights;
    const off = unwrap(await callAction(action, "/app/settings", { ...VALID, ...weights, supplierWeightMoq: "5" }));
    expect(off.status).toBe(422);
    expect(off.body).toMatchObject({ fieldErrors: { supplierWeightPrice: "The four weights must add up to 100 % (now 105 %)" } });
    const partial = unwrap(await callAction(action, "/app/settings", { ...VALID, supplierWeightPrice: "100" }));
    expect(partial.status).toBe(422);
    expect(partial.body).toMatchObject({ fieldErrors: { supplierWeightLeadTime: "Enter a percentage", supplierWeightQuality: "Enter a percentage", supplierWeightMoq: "Enter a percentage" } });
    const fractional = unwrap(await callAction(action, "/app/settings", { ...VALID, ...weights, supplierWeightPrice: "69.5", supplierWeightMoq: "0.5" }));
    expect(fractional.body).toMatchObject({ fieldErrors: { supplierWeightPrice: "Enter a percentage as a whole number" } });
    const negative = unwrap(await callAction(action, "/app/settings", { ...VALID, ...weights, supplierWeightPrice: "110", supplierWeightLeadTime: "-10" }));
    expect(negative.status).toBe(422);
    expect(await stored()).toEqual({ price: 70, leadTime: 20, quality: 10, moqFlexibility: 0 });
    // A post without the weights (an older form) keeps them.
    expect(unwrap(await callAction(action, "/app/settings", VALID)).status).toBe(200);
    expect(await stored()).toEqual({ price: 70, leadTime: 20, quality: 10, moqFlexibility: 0 });
  });

  it("keeps service levels ordered A ≥ B ≥ C", async () => {
    await createDemoShop();
    const { status, body } = unwrap(
      await callAction(action, "/app/settings", { ...VALID, serviceLevelA: "90", serviceLevelB: "95", serviceLevelC: "96" }),
    );
    expect(status).toBe(422);
    expect(body.fieldErrors).toEqual({
      serviceLevelB: "Must not be higher than class A",
      serviceLevelC: "Must not be higher than class B",
    });
  });

  it("sets the digest's frequency and recipients (normalized, deduplicated), and refuses a bad address", async () => {
    const shop = await createDemoShop();
    const { status } = unwrap(await callAction(action, "/app/settings", { ...VALID, digestFrequency: "DAILY", digestRecipients: "Owner@Shop.test, ops@shop.test; owner@shop.test" }));
    expect(status).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ digestFrequency: "DAILY", digestRecipients: ["owner@shop.test", "ops@shop.test"] });
    const { settings } = await callLoader(loader, "/app/settings");
    expect(settings).toMatchObject({ digestFrequency: "DAILY", digestRecipients: ["owner@shop.test", "ops@shop.test"] });

    const bad = unwrap(await callAction(action, "/app/settings", { ...VALID, digestFrequency: "HOURLY", digestRecipients: "owner@shop.test, not-an-address" }));
    expect(bad.status).toBe(422);
    expect(bad.body.fieldErrors).toEqual({ digestFrequency: "Choose how often the digest is sent", digestRecipients: "Enter email addresses separated by commas" });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ digestFrequency: "DAILY", digestRecipients: ["owner@shop.test", "ops@shop.test"] });
  });

  describe("shipping transit times", () => {
    const TRANSIT = { transitDaysOcean: "42", transitDaysAir: " 4 ", transitDaysGround: "0", transitDaysExpress: "180" };
    const storedTransit = async (shopId: string) => (await prisma.shopSettings.findUniqueOrThrow({ where: { shopId } })).shipMethodTransitDays;

    it("shows the defaults for a new shop, stores all four values, and a post without them keeps them", async () => {
      const shop = await createDemoShop();
      expect((await callLoader(loader, "/app/settings")).settings.shipMethodTransitDays).toEqual({ ocean: 35, air: 7, ground: 5, express: 3 });

      const { status, body } = unwrap(await callAction(action, "/app/settings", { ...VALID, ...TRANSIT }));
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
      expect(await storedTransit(shop.id)).toEqual({ ocean: 42, air: 4, ground: 0, express: 180 });
      expect((await callLoader(loader, "/app/settings")).settings.shipMethodTransitDays).toEqual({ ocean: 42, air: 4, ground: 0, express: 180 });

      // An older form (no transit fields) saves the rest and leaves the transit days as they are.
      const older = unwrap(await callAction(action, "/app/settings", { ...VALID, reviewCadenceDays: "3" }));
      expect(older.status).toBe(200);
      expect(await storedTransit(shop.id)).toEqual({ ocean: 42, air: 4, ground: 0, express: 180 });
      expect((await storedSettings(shop.id)).reviewCadenceDays).toBe(3);
    });

    it("refuses days out of range, fractional, negative or empty, and a partial set, saving nothing", async () => {
      const shop = await createDemoShop();
      unwrap(await callAction(action, "/app/settings", { ...VALID, ...TRANSIT }));
      const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });

      // The valid threshold sent along is not saved either.
      const bad = unwrap(
        await callAction(action, "/app/settings", {
          ...VALID,
          approvalThreshold: "999.00",
          transitDaysOcean: "181",
          transitDaysAir: "2.5",
          transitDaysGround: "-1",
          transitDaysExpress: "",
        }),
      );
      expect(bad.status).toBe(422);
      expect(bad.body.ok).toBe(false);
      expect(bad.body.fieldErrors).toEqual({
        transitDaysOcean: "Must be at most 180",
        transitDaysAir: "Enter a number of days as a whole number",
        transitDaysGround: "Enter a number of days as a whole number",
        transitDaysExpress: "Enter a number of days",
      });
      expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);

      const partial = unwrap(await callAction(action, "/app/settings", { ...VALID, approvalThreshold: "999.00", transitDaysAir: "9" }));
      expect(partial.status).toBe(422);
      expect(Object.keys(partial.body.fieldErrors).sort()).toEqual(["transitDaysExpress", "transitDaysGround", "transitDaysOcean"]);
      expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);
    });

    it("the supplier portal's ETA adds the days saved here", async () => {
      await resetRateLimits();
      const shop = await createDemoShop();
      const supplier = await createSupplier({ shopId: shop.id });
      const location = await createLocation({ shopId: shop.id });
      const skus = [await createSku({ shopId: shop.id }), await createSku({ shopId: shop.id })];
      const f = { shopId: shop.id, supplierId: supplier.id, locationId: location.id, skuIds: skus.map((s) => s.id) };
      const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date("2026-03-01T00:00:00Z") });
      const scope = { shopId: shop.id, supplierId: supplier.id, purchaseOrderId: po.id };
      const now = new Date("2026-03-02T10:00:00Z");
      const eta = async () => (await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).expectedArrivalDate?.toISOString().slice(0, 10);
      await acceptPurchaseOrder(scope, {}, { now });

      await updateShippingDetails(scope, { expectedShipDate: "2026-03-10", shipMethod: "air" }, { now: new Date(now.getTime() + 60_000) });
      expect(await eta()).toBe("2026-03-17"); // + 7, the default

      const { status } = unwrap(await callAction(action, "/app/settings", { ...VALID, transitDaysOcean: "35", transitDaysAir: "4", transitDaysGround: "5", transitDaysExpress: "3" }));
      expect(status).toBe(200);
      await updateShippingDetails(scope, { expectedShipDate: "2026-03-12", shipMethod: "air" }, { now: new Date(now.getTime() + 120_000) });
      expect(await eta()).toBe("2026-03-16"); // + 4, as saved
    });
  });
});

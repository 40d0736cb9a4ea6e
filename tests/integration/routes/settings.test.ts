import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { action, loader } from "#app/routes/app.settings.tsx";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop } from "#tests/factories/index.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "./helpers.ts";

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
  it("loads the shop's settings (defaults for a new shop)", async () => {
    await createDemoShop();
    const { settings } = await callLoader(loader, "/app/settings");
    expect(settings).toMatchObject({
      approvalMode: "REVIEW_ALL",
      approvalThreshold: 200_000,
      serviceLevelA: 0.99,
      serviceLevelB: 0.97,
      serviceLevelC: 0.93,
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
});

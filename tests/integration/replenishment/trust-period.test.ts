// A new shop starts in its trust period: the engine plans lead times at the 90th percentile at least until it
// ends (issue 3, item 3). Pins the path from installation to the plan: ensureShop sets the end, the snapshot
// turns it into the policy's flag, and the Settings page says how long it runs.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { ensureShop, TRUST_PERIOD_DAYS } from "#app/models/shop.server.ts";
import { getShopSettings } from "#app/models/shop-settings.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";

beforeAll(() => {
  expect(TRUST_PERIOD_DAYS).toBe(60);
});
beforeEach(resetDatabase);

describe("trust period", () => {
  it("starts when a shop installs, puts the plan on the 90th-percentile lead time, and ends after 60 days", async () => {
    const installed = new Date("2026-03-01T10:00:00Z");
    const shop = await ensureShop("trusting.myshopify.com", {}, installed);
    const settings = await getShopSettings(shop.id);
    expect(settings.trustPeriodEndsAt?.toISOString()).toBe("2026-04-30T10:00:00.000Z");

    const during = await loadReorderSnapshot(shop.id, "2026-04-29");
    expect(during.input.shop).toMatchObject({ trustPeriod: true, leadTimePercentile: 85 });
    const after = await loadReorderSnapshot(shop.id, "2026-05-01");
    expect(after.input.shop).toMatchObject({ trustPeriod: false, leadTimePercentile: 85 });

    // A reinstall re-activates the shop but does not start the trust period again.
    await prisma.shop.update({ where: { id: shop.id }, data: { status: "UNINSTALLED", uninstalledAt: new Date("2026-06-01T00:00:00Z") } });
    await ensureShop("trusting.myshopify.com", {}, new Date("2026-06-02T00:00:00Z"));
    expect((await getShopSettings(shop.id)).trustPeriodEndsAt?.toISOString()).toBe("2026-04-30T10:00:00.000Z");
  });
});

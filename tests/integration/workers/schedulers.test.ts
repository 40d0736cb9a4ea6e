// The acceptance line "a scheduler test shows the nightly job registered per shop with the shop's
// timezone": real BullMQ job schedulers on Redis, checked against an independent computation of each
// shop's next local midnight.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { OVERSIGHT_SWEEP_EVERY_MS, RECONCILE_EVERY_MS, syncAllSchedulers } from "#workers/schedulers.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop } from "#tests/factories/index.ts";
import { obliterateAll } from "./helpers.ts";

const queues = getProducerQueues();

beforeEach(async () => {
  await resetDatabase();
  await obliterateAll(queues);
});

afterAll(async () => {
  await obliterateAll(queues);
  await closeQueues();
});

/** Local wall-clock minus UTC at instant `at` in `timeZone`, in ms (from Intl, not from BullMQ's cron parser). */
function utcOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(at / 1000) * 1000;
}

/** The first instant after `after` at which it is 00:00 in `timeZone`. */
function nextLocalMidnight(after: number, timeZone: string): number {
  const wall = new Date(after + utcOffsetMs(after, timeZone));
  const midnightWall = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + 1);
  // The offset at midnight may differ from now's (a DST change in between): settle it twice.
  const guess = midnightWall - utcOffsetMs(midnightWall, timeZone);
  return midnightWall - utcOffsetMs(guess, timeZone);
}

describe("job schedulers", () => {
  it("registers one nightly reorder per active shop at that shop's local midnight", async () => {
    const newYork = await createShop({ timezone: "America/New_York" });
    const tokyo = await createShop({ timezone: "Asia/Tokyo" });
    await createShop({ timezone: "Europe/Paris", status: "UNINSTALLED" });

    const before = Date.now();
    expect(await syncAllSchedulers({ db: prisma, queues })).toEqual({ shops: 2, removed: 0 });

    const nightly = await queues.queue("reorder").getJobSchedulers(0, -1);
    expect(nightly.map((s) => s.key).sort()).toEqual([`nightly-reorder-${newYork.id}`, `nightly-reorder-${tokyo.id}`].sort());
    for (const shop of [newYork, tokyo]) {
      const scheduler = nightly.find((s) => s.key === `nightly-reorder-${shop.id}`);
      expect(scheduler).toMatchObject({ pattern: "0 0 * * *", tz: shop.timezone, name: "run-reorder", template: { data: { shopId: shop.id, trigger: "NIGHTLY" } } });
      expect(scheduler?.next).toBe(nextLocalMidnight(before, shop.timezone));
    }
    // New York and Tokyo midnights are 13 or 14 hours apart, never the same instant.
    expect(nightly[0]?.next).not.toBe(nightly[1]?.next);

    // And the job that will run is waiting as a delayed job at that time, with the shop's data.
    const delayed = await queues.queue("reorder").getDelayed();
    expect(delayed.map((job) => [job.data.shopId, job.timestamp + (job.opts.delay ?? 0)]).sort()).toEqual(
      [newYork, tokyo].map((shop) => [shop.id, nextLocalMidnight(before, shop.timezone)]).sort(),
    );
  });

  it("declares reconciliation, daily snapshot and the digest per shop, following its settings", async () => {
    const tokyo = await createShop({ timezone: "Asia/Tokyo" });
    await prisma.shopSettings.update({ where: { shopId: tokyo.id }, data: { digestWeekday: 5 } });
    await syncAllSchedulers({ db: prisma, queues });

    const [reconcile] = await queues.queue("channel-sync").getJobSchedulers(0, -1);
    expect(reconcile).toMatchObject({ key: `channel-reconcile-${tokyo.id}`, every: RECONCILE_EVERY_MS, name: "reconcile" });
    const reports = await queues.queue("reports").getJobSchedulers(0, -1);
    expect(reports.map((s) => [s.key, s.pattern ?? s.every, s.tz]).sort()).toEqual([
      [`daily-snapshot-${tokyo.id}`, "30 0 * * *", "Asia/Tokyo"],
      ["oversight-sweep", OVERSIGHT_SWEEP_EVERY_MS, undefined], // every shop at once, not per shop
      [`weekly-digest-${tokyo.id}`, "0 8 * * 5", "Asia/Tokyo"],
    ]);

    await prisma.shopSettings.update({ where: { shopId: tokyo.id }, data: { digestFrequency: "OFF" } });
    await syncAllSchedulers({ db: prisma, queues });
    expect((await queues.queue("reports").getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual([`daily-snapshot-${tokyo.id}`, "oversight-sweep"]);
  });

  it("is idempotent and removes the schedulers of a shop that was uninstalled", async () => {
    const stays = await createShop({ timezone: "America/New_York" });
    const leaves = await createShop({ timezone: "Asia/Tokyo" });
    await syncAllSchedulers({ db: prisma, queues });
    await syncAllSchedulers({ db: prisma, queues });
    const count = async () =>
      (await Promise.all((["reorder", "channel-sync", "reports"] as const).map((q) => queues.queue(q).getJobSchedulers(0, -1)))).flat().map((s) => s.key);
    expect(await count()).toHaveLength(8 + 1); // 4 per shop, and the oversight sweep shared by all shops

    await prisma.shop.update({ where: { id: leaves.id }, data: { status: "UNINSTALLED", uninstalledAt: new Date() } });
    expect(await syncAllSchedulers({ db: prisma, queues })).toEqual({ shops: 1, removed: 4 });
    const remaining = await count();
    expect(remaining).toHaveLength(4 + 1);
    expect(remaining.filter((key) => key !== "oversight-sweep").every((key) => key.endsWith(stays.id))).toBe(true);
    expect(await queues.queue("reorder").getDelayed()).toHaveLength(1);
  });
});

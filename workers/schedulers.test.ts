import { describe, expect, it } from "vitest";
import { parseSchedulerId, RECONCILE_EVERY_MS, schedulerId, shopSchedulerSpecs } from "./schedulers.ts";

describe("shopSchedulerSpecs", () => {
  it("declares nightly reorder at local midnight, reconcile every 15 min, snapshot 00:30 and digest 08:00 on the chosen weekday", () => {
    const specs = shopSchedulerSpecs({ id: "shopA", timezone: "Asia/Tokyo", settings: { digestWeekday: 3, digestFrequency: "WEEKLY" } });
    expect(specs.map((s) => [s.id, s.queue, s.job.name, s.repeat])).toEqual([
      ["nightly-reorder-shopA", "reorder", "run-reorder", { pattern: "0 0 * * *", tz: "Asia/Tokyo" }],
      ["channel-reconcile-shopA", "channel-sync", "reconcile", { every: RECONCILE_EVERY_MS }],
      ["daily-snapshot-shopA", "reports", "daily-snapshot", { pattern: "30 0 * * *", tz: "Asia/Tokyo" }],
      ["weekly-digest-shopA", "reports", "weekly-digest", { pattern: "0 8 * * 3", tz: "Asia/Tokyo" }],
    ]);
    expect(specs[0]?.job.data).toEqual({ shopId: "shopA", trigger: "NIGHTLY" });
    expect(RECONCILE_EVERY_MS).toBe(900_000);
  });

  it("defaults the digest to Monday, supports daily, drops it when off", () => {
    expect(shopSchedulerSpecs({ id: "s", timezone: "UTC" }).at(-1)?.repeat).toEqual({ pattern: "0 8 * * 1", tz: "UTC" });
    expect(shopSchedulerSpecs({ id: "s", timezone: "UTC", settings: { digestWeekday: 0, digestFrequency: "DAILY" } }).at(-1)?.repeat).toEqual({ pattern: "0 8 * * *", tz: "UTC" });
    expect(shopSchedulerSpecs({ id: "s", timezone: "UTC", settings: { digestWeekday: 0, digestFrequency: "OFF" } }).map((s) => s.kind)).not.toContain("weekly-digest");
  });

  it("falls back to UTC for an unknown time zone instead of breaking the shop's schedules", () => {
    expect(shopSchedulerSpecs({ id: "s", timezone: "Mars/Olympus" })[0]?.repeat).toEqual({ pattern: "0 0 * * *", tz: "UTC" });
  });
});

describe("scheduler ids", () => {
  it("round-trips kind and shop id", () => {
    expect(parseSchedulerId(schedulerId("nightly-reorder", "cm123"))).toEqual({ kind: "nightly-reorder", shopId: "cm123" });
    expect(parseSchedulerId("someone-elses-scheduler")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { UsagePlanPacer } from "./usage-plan-pacer.ts";

/** A pacer on a fake clock whose sleeps are recorded and move the clock. */
function pacedClock() {
  const clock = { now: 0 };
  const waits: number[] = [];
  const pacer = new UsagePlanPacer(() => clock.now, async (ms) => {
    waits.push(ms);
    clock.now += ms;
  });
  return { pacer, waits, clock };
}

describe("UsagePlanPacer", () => {
  it("lets the burst through at once, then one call per 1/rate seconds, and refills while idle", async () => {
    const { pacer, waits, clock } = pacedClock();
    const op = "fbaInventory.getInventorySummaries"; // 2 per second, burst 2
    for (let i = 0; i < 4; i++) await pacer.take(op);
    expect(waits).toEqual([550, 500]); // the second wait starts 50 ms of refill into the next token
    expect(clock.now).toBe(1050);

    clock.now += 5_000; // idle: the bucket refills to its burst, not beyond
    waits.length = 0;
    for (let i = 0; i < 3; i++) await pacer.take(op);
    expect(waits).toEqual([550]);
  });

  it("keeps a separate bucket per operation and never waits for one without a documented plan", async () => {
    const { pacer, waits } = pacedClock();
    for (let i = 0; i < 10; i++) await pacer.take("listingsItems.patchListingsItem"); // burst 10
    for (let i = 0; i < 2; i++) await pacer.take("fbaInventory.getInventorySummaries");
    for (let i = 0; i < 50; i++) await pacer.take("orders.getOrders"); // not paced here
    expect(waits).toEqual([]);
    await pacer.take("listingsItems.patchListingsItem");
    expect(waits).toEqual([250]);
  });
});

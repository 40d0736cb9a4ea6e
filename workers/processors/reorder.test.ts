import { describe, expect, it } from "vitest";
import { localDay } from "./reorder.ts";

describe("localDay", () => {
  it("is the shop's calendar day, not UTC's", () => {
    const at = new Date("2026-03-10T16:00:00Z");
    expect(localDay(at, "Asia/Tokyo").toISOString()).toBe("2026-03-11T00:00:00.000Z");
    expect(localDay(at, "America/New_York").toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(localDay(new Date("2026-03-11T03:30:00Z"), "America/New_York").toISOString()).toBe("2026-03-10T00:00:00.000Z");
  });
});

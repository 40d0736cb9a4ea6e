import { describe, expect, it } from "vitest";
import { formatMonth } from "./format.ts";
import { calendarWeeks, shiftMonth } from "./promotion-calendar.tsx";

const summer = { id: "p1", name: "Summer sale", startsOn: "2026-10-28", endsOn: "2026-11-03", upliftPct: 40 };
const flash = { id: "p2", name: "Flash day", startsOn: "2026-11-03", endsOn: "2026-11-03", upliftPct: 100 };
const later = { id: "p3", name: "Christmas", startsOn: "2026-12-01", endsOn: "2026-12-24", upliftPct: 80 };

describe("promotion calendar", () => {
  it("covers the month in whole Monday-to-Sunday weeks, with each day's promotions, longest run first", () => {
    const weeks = calendarWeeks("2026-11", [flash, later, summer], "2026-11-24");
    // 1 November 2026 is a Sunday: the first week starts on Monday 26 October; the 30th is a Monday.
    expect(weeks).toHaveLength(6);
    expect(weeks[0]!.map((d) => d.day)).toEqual(["2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30", "2026-10-31", "2026-11-01"]);
    expect(weeks[5]!.map((d) => d.day)).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(30);
    const on = (day: string) => weeks.flat().find((d) => d.day === day)!;
    expect(on("2026-10-27").promotions).toEqual([]);
    expect(on("2026-10-28")).toMatchObject({ inMonth: false, promotions: [summer] });
    expect(on("2026-11-03").promotions.map((p) => p.name)).toEqual(["Summer sale", "Flash day"]);
    expect(on("2026-11-04").promotions).toEqual([]);
    expect(on("2026-12-01").promotions).toEqual([later]);
    expect(weeks.flat().filter((d) => d.isToday).map((d) => d.day)).toEqual(["2026-11-24"]);
  });

  it("names months and moves between them across a year's end", () => {
    expect(formatMonth("2026-11")).toBe("November 2026");
    for (const bad of ["2026-13", "2026-00", "2026-1", "november", ""]) expect(formatMonth(bad)).toBeNull();
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2027-01", -1)).toBe("2026-12");
    expect(shiftMonth("2026-11", -13)).toBe("2025-10");
  });
});

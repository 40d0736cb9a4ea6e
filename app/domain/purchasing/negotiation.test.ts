import { describe, expect, it } from "vitest";
import { estimatedArrival, parseOffer, readOfferData, transitDaysTable, whoseTurn } from "./negotiation.ts";

const lines = [
  { id: "a", quantityOrdered: 50, unitCost: "5", expectedDate: null },
  { id: "b", quantityOrdered: 12, unitCost: "3.125", expectedDate: "2026-04-01" },
];

describe("transit days and ETA", () => {
  it("uses the defaults, with a shop's valid overrides only", () => {
    expect(transitDaysTable({})).toEqual({ ocean: 35, air: 7, ground: 5, express: 3 });
    expect(transitDaysTable({ air: 10, ocean: -1, ground: "9", rail: 20 })).toEqual({ ocean: 35, air: 10, ground: 5, express: 3 });
    expect(transitDaysTable(null).ocean).toBe(35);
    expect(estimatedArrival("2026-12-20", "ocean", transitDaysTable({}))).toBe("2027-01-24");
    expect(estimatedArrival("2026-02-25", "air", transitDaysTable({}))).toBe("2026-03-04");
  });
});

describe("parseOffer", () => {
  it("blank fields keep the line's terms; changed ones are normalised", () => {
    const result = parseOffer(lines, { lines: { a: { quantity: " 40 ", unitCost: "$04.80" } }, notes: "  only 40  " }, "2026-03-01");
    expect(result).toEqual({
      ok: true,
      value: {
        lines: [
          { lineId: "a", quantity: 40, unitCost: "4.80", expectedDate: null },
          { lineId: "b", quantity: 12, unitCost: "3.125", expectedDate: "2026-04-01" },
        ],
        notes: "only 40",
      },
    });
  });

  it("reports every bad field, a past date, an offer that changes nothing and one that drops every line", () => {
    expect(parseOffer(lines, { lines: { a: { quantity: "1.5", unitCost: "abc", expectedDate: "2026-02-28" } } }, "2026-03-01")).toEqual({
      ok: false,
      error: {
        "line.a.quantity": expect.stringContaining("whole number"),
        "line.a.unitCost": expect.stringContaining("price"),
        "line.a.expectedDate": "The date cannot be in the past",
      },
    });
    expect(parseOffer(lines, { lines: { a: { expectedDate: "9999-12-31" } } }, "2026-03-01")).toEqual({
      ok: false,
      error: { "line.a.expectedDate": "The date can be at most 2 years (730 days) from today" },
    });
    expect(parseOffer(lines, { lines: { a: { expectedDate: "2028-02-29" } } }, "2026-03-01").ok).toBe(true);
    expect(parseOffer(lines, { lines: { a: { unitCost: "5.0000" } } }, "2026-03-01")).toMatchObject({
      ok: false,
      error: { form: expect.stringContaining("changes nothing") },
    });
    expect(parseOffer(lines, { lines: { a: { quantity: "0" }, b: { quantity: "0" } } }, "2026-03-01")).toMatchObject({
      ok: false,
      error: { form: expect.stringContaining("at least one line") },
    });
  });
});

describe("turns", () => {
  it("the other party moves after an offer; nobody while no offer is open", () => {
    expect(whoseTurn("COUNTERED", { party: "SUPPLIER" })).toBe("MERCHANT");
    expect(whoseTurn("COUNTERED", { party: "MERCHANT" })).toBe("SUPPLIER");
    expect(whoseTurn("CONFIRMED", { party: "SUPPLIER" })).toBeNull();
    expect(whoseTurn("SENT", null)).toBeNull();
  });

  it("reads back only well-formed offer data", () => {
    expect(readOfferData({ kind: "offer", round: 2, lines: [{ lineId: "a", quantity: 1, unitCost: "2", expectedDate: null }], notes: null })?.round).toBe(2);
    expect(readOfferData({ kind: "offer", round: 2, lines: [{ lineId: "a" }] })).toBeNull();
    expect(readOfferData({ event: "counter" })).toBeNull();
  });
});

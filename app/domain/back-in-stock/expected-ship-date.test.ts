import { describe, expect, it } from "vitest";
import { expectedShipDate, expectedShipMessage, type IncomingLine } from "./expected-ship-date.ts";

const today = new Date("2027-03-01T15:00:00Z");
const line = (overrides: Partial<IncomingLine>): IncomingLine => ({
  status: "SENT",
  expectedArrivalDate: new Date("2027-03-20"),
  quantityOrdered: 10,
  quantityReceived: 0,
  ...overrides,
});

describe("expectedShipDate", () => {
  it("picks the earliest open line that still has units to come", () => {
    const eta = expectedShipDate(
      [
        line({ expectedArrivalDate: new Date("2027-03-20") }),
        line({ status: "CONFIRMED", expectedArrivalDate: new Date("2027-03-10") }),
        line({ status: "PARTIALLY_RECEIVED", expectedArrivalDate: new Date("2027-03-05"), quantityReceived: 10 }), // nothing left
        line({ status: "DRAFT", expectedArrivalDate: new Date("2027-03-02") }), // not sent
        line({ status: "RECEIVED", expectedArrivalDate: new Date("2027-03-02") }),
        line({ status: "CANCELLED", expectedArrivalDate: new Date("2027-03-02") }),
      ],
      today,
    );
    expect(eta?.isoDate).toBe("2027-03-10");
  });

  it("prefers a line's own expected date over the PO's", () => {
    expect(expectedShipDate([line({ lineExpectedDate: new Date("2027-03-04") })], today)?.isoDate).toBe("2027-03-04");
  });

  it("skips overdue and undated lines, and damaged units are not coming", () => {
    expect(
      expectedShipDate(
        [
          line({ expectedArrivalDate: new Date("2027-02-27") }),
          line({ expectedArrivalDate: null }),
          line({ expectedArrivalDate: new Date("2027-03-03"), quantityReceived: 6, quantityDamaged: 4 }),
        ],
        today,
      ),
    ).toBeNull();
  });

  it("accepts today's date", () => {
    expect(expectedShipDate([line({ expectedArrivalDate: new Date("2027-03-01") })], today)?.isoDate).toBe("2027-03-01");
  });

  it("formats the shopper message as a calendar day", () => {
    const eta = expectedShipDate([line({ expectedArrivalDate: new Date("2027-04-03") })], today)!;
    expect(expectedShipMessage(eta)).toBe("Expected to ship by April 3, 2027");
  });
});

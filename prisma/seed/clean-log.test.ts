import { describe, expect, it } from "vitest";
import { cleanRetailLog } from "./clean-log.ts";
import { logRow } from "./test-fixtures.ts";

describe("cleanRetailLog", () => {
  it("keeps product sale lines only", () => {
    const { lines } = cleanRetailLog([
      logRow({ invoiceNo: "536365", stockCode: "85123A", quantity: 6, invoiceDate: "2010-12-01 08:26:00" }),
      logRow({ invoiceNo: "536365", stockCode: "POST", quantity: 1, invoiceDate: "2010-12-01 08:26:00" }),
      logRow({ invoiceNo: "536366", stockCode: "22633", quantity: 6, invoiceDate: "2010-12-01 08:28:00", unitPrice: "0.0" }),
      logRow({ invoiceNo: "536367", stockCode: "22633", quantity: -3, invoiceDate: "2010-12-01 08:30:00", customerId: null, unitPrice: "0" }),
      logRow({ invoiceNo: "A563185", stockCode: "B", quantity: 1, invoiceDate: "2011-08-12 14:50:00" }),
      logRow({ invoiceNo: "536368", stockCode: "gift_0001_20", quantity: 1, invoiceDate: "2010-12-01 08:34:00" }),
      logRow({ invoiceNo: "536369", stockCode: "DCGS0003", quantity: 1, invoiceDate: "2010-12-01 08:35:00" }),
    ]);
    expect(lines.map((l) => `${l.invoiceNo}/${l.stockCode}`)).toEqual(["536365/85123A", "536369/DCGS0003"]);
  });

  it("marks the latest earlier exact purchase as cancelled and counts what it cannot match", () => {
    const rows = [
      logRow({ invoiceNo: "540001", stockCode: "22423", quantity: 2, invoiceDate: "2011-01-04 10:00:00" }),
      logRow({ invoiceNo: "540002", stockCode: "22423", quantity: 2, invoiceDate: "2011-01-05 10:00:00" }),
      logRow({ invoiceNo: "C540003", stockCode: "22423", quantity: -2, invoiceDate: "2011-01-06 10:00:00" }),
      logRow({ invoiceNo: "C540004", stockCode: "22423", quantity: -1, invoiceDate: "2011-01-06 11:00:00" }), // partial: no exact match
      logRow({ invoiceNo: "C540005", stockCode: "22423", quantity: -2, invoiceDate: "2011-01-06 12:00:00", customerId: null }), // anonymous
      logRow({ invoiceNo: "C540006", stockCode: "22960", quantity: -6, invoiceDate: "2011-01-06 13:00:00" }), // bought before the log
    ];
    const cleaned = cleanRetailLog(rows);
    expect(cleaned.lines.map((l) => [l.invoiceNo, l.cancelledQuantity, l.cancelledAt])).toEqual([
      ["540001", 0, null],
      ["540002", 2, "2011-01-06 10:00:00"],
    ]);
    expect(cleaned.cancellationsMatched).toBe(1);
    expect(cleaned.cancellationsIgnored).toBe(3);
    expect(cleaned.ignoredByStockCode.get("22423")).toBe(2);
    // A second cancellation of the same kind takes the remaining earlier purchase.
    const twice = cleanRetailLog([...rows.slice(0, 3), logRow({ invoiceNo: "C540007", stockCode: "22423", quantity: -2, invoiceDate: "2011-01-07 10:00:00" })]);
    expect(twice.lines.map((l) => l.cancelledQuantity)).toEqual([2, 2]);
  });
});

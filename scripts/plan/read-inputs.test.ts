import { describe, expect, it } from "vitest";
import { MAX_UNITS, parseDay, parseNumber, readSales, readStock, readSuppliers } from "./read-inputs.ts";

describe("cell checks", () => {
  it("reads dates with or without a time, and refuses other formats", () => {
    expect(parseDay("2026-03-01", "date")).toEqual({ ok: true, value: "2026-03-01" });
    expect(parseDay("2011-12-09 08:26:00", "date")).toEqual({ ok: true, value: "2011-12-09" });
    expect(parseDay("2026-03-01T23:59:59Z", "date")).toEqual({ ok: true, value: "2026-03-01" });
    expect(parseDay("01/03/2026", "date")).toMatchObject({ ok: false, message: expect.stringContaining("use YYYY-MM-DD") });
    expect(parseDay("2026-02-30", "date")).toEqual({ ok: false, message: 'date "2026-02-30" is not a calendar date' });
  });

  it("refuses dates no shop's data has, before they reach the day arithmetic", () => {
    expect(parseDay("9999-12-31", "date")).toEqual({ ok: false, message: "date 9999-12-31 is not between 2000-01-01 and 2100-12-31" });
    expect(parseDay("1999-12-31 23:59", "--as-of")).toEqual({ ok: false, message: "--as-of 1999-12-31 is not between 2000-01-01 and 2100-12-31" });
    expect(parseDay("2100-12-31", "date")).toEqual({ ok: true, value: "2100-12-31" });
  });

  it("reads plain numbers with thousands separators", () => {
    expect(parseNumber("1,250.50", "x", { max: 1e9 })).toEqual({ ok: true, value: 1250.5 });
    expect(parseNumber("$3.42", "x", { max: 1e9 })).toEqual({ ok: true, value: 3.42 });
    expect(parseNumber("-4", "x", { integer: true, max: 1e9 })).toEqual({ ok: true, value: -4 });
    expect(parseNumber("1.5", "moq", { integer: true, max: 1e9 })).toEqual({ ok: false, message: 'moq "1.5" is not a whole number' });
    expect(parseNumber("12,34", "x", { max: 1e9 }).ok).toBe(false);
    expect(parseNumber("0", "moq", { min: 1, max: 1e9 })).toEqual({ ok: false, message: "moq 0 must be at least 1" });
  });

  it("refuses numbers too large to be a real quantity or amount, in every file", () => {
    const limit = { integer: true, min: -MAX_UNITS, max: MAX_UNITS };
    expect(parseNumber("1,000,000,000", "on_hand", limit)).toEqual({ ok: true, value: 1_000_000_000 });
    expect(parseNumber("1000000001", "on_hand", limit)).toEqual({ ok: false, message: "on_hand 1000000001 must be at most 1,000,000,000" });
    expect(parseNumber("-99999999999999999999", "quantity", limit)).toEqual({ ok: false, message: "quantity -99999999999999999999 must be at least -1,000,000,000" });

    expect(readSales("date,order_id,sku,quantity,unit_price\n2026-03-01,1,A,99999999999999999999999,1\n2026-03-01,2,A,1,1000000000.01\n").errors).toEqual([
      { line: 2, message: "quantity 99999999999999999999999 must be at most 1,000,000,000" },
      { line: 3, message: "unit_price 1000000000.01 must be at most 1,000,000,000" },
    ]);
    expect(readStock("sku,on_hand,committed,cost,price\nA,99999999999999999999,0,1,2\nB,1,1,1e3,2\n").errors).toEqual([
      { line: 2, message: "on_hand 99999999999999999999 must be at most 1,000,000,000" },
      { line: 3, message: 'cost "1e3" is not a number' },
    ]);
    expect(readSuppliers("supplier,sku,unit_cost,moq,case_pack,lead_time_days,order_min\nAcme,A,1,100000000000000000000,1,,\nAcme,B,1,1,2000000000,,\nAcme,C,1,1,1,,5000000000\n").errors).toEqual([
      { line: 2, message: "moq 100000000000000000000 must be at most 1,000,000,000" },
      { line: 3, message: "case_pack 2000000000 must be at most 1,000,000,000" },
      { line: 4, message: "order_min 5000000000 must be at most 1,000,000,000" },
    ]);
  });
});

describe("sales file", () => {
  it("reads the documented columns and a raw UCI-style export's own headers", () => {
    const documented = readSales("date,order_id,sku,quantity,unit_price,channel\n2026-03-01,1001,MUG-1,2,12.50,web\n");
    expect(documented.rows).toEqual([{ line: 2, value: { date: "2026-03-01", orderId: "1001", sku: "MUG-1", quantity: 2, unitPrice: 12.5, channel: "web" } }]);
    const uci = readSales(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
        'C536379,D,"Discount, big",-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom\n',
    );
    expect(uci.rows[0]?.value).toEqual({ date: "2010-12-01", orderId: "C536379", sku: "D", quantity: -1, unitPrice: 27.5, channel: null });
    expect(uci.unknownColumns).toEqual(["Description", "CustomerID", "Country"]);
  });

  it("skips rows with a bad cell, saying which", () => {
    const result = readSales("date,order_id,sku,quantity\n2026-03-01,1,A,0\n2026-03-01,,A,1\nyesterday,2,A,1\n2026-03-02,3,A,2.5\n");
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([
      { line: 2, message: "quantity is 0" },
      { line: 3, message: "order_id is empty" },
      { line: 4, message: expect.stringContaining('date "yesterday" is not a date') },
      { line: 5, message: 'quantity "2.5" is not a whole number' },
    ]);
  });
});

describe("stock file", () => {
  it("defaults committed, status and location, and checks status", () => {
    const result = readStock("sku,on_hand,cost,price,status\nA,5,1.00,2.50,\nB,-2,,3,Discontinued\nC,1,1,2,retired\n");
    expect(result.rows).toEqual([
      { line: 2, value: { sku: "A", location: "", onHand: 5, committed: 0, cost: 1, price: 2.5, status: "active" } },
      { line: 3, value: { sku: "B", location: "", onHand: -2, committed: 0, cost: null, price: 3, status: "discontinued" } },
    ]);
    expect(result.errors).toEqual([{ line: 4, message: 'status "retired" is not one of active, discontinued, seasonal, end_of_life' }]);
  });
});

describe("suppliers file", () => {
  it("reads offers and parameter columns in the engine's units, each checked by the engine's validator", () => {
    const result = readSuppliers(
      "supplier,sku,unit_cost,moq,case_pack,lead_time_days,min_days,order_min,period_string,auto_send\n" +
        "Acme,A,3.42,10,5,21,200,1500.50,\"8,4\",true\n" +
        "Acme,B,1,1,1,400,,,,\n" +
        "Acme,C,1,1,1,,,,0,\n",
    );
    expect(result.rows).toEqual([
      {
        line: 2,
        value: {
          supplier: "Acme", sku: "A", unitCost: 3.42, moq: 10, casePack: 5, leadTimeDays: 21,
          // min_days 200 is above the default max_days: checked later, against the supplier's merged values.
          parameters: { minDays: 200, orderMin: 150_050, periodString: "4,8", autoSend: true, leadTimeDays: 21 },
        },
      },
    ]);
    expect(result.errors).toEqual([
      { line: 3, message: "lead_time_days must be at most 365" },
      { line: 4, message: expect.stringContaining('period_string "0" is not a whole number of weeks') },
    ]);
  });

  it("takes a forecast method per supplier, and reports an unknown one with its line", () => {
    const result = readSuppliers("supplier,sku,unit_cost,moq,case_pack,lead_time_days,forecast_method\nAcme,A,3.42,1,1,21,ewa\nBeta,B,1,1,1,7,guess\n");
    expect(result.rows.map((r) => r.value.parameters)).toEqual([{ forecastMethod: "ewa", leadTimeDays: 21 }]);
    expect(result.errors).toEqual([{ line: 3, message: "forecast_method must be one of shop, auto, ewa, period-string, model" }]);
  });
});

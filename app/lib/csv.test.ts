import { describe, expect, it } from "vitest";
import { CsvHeaderError, formatCsv, normaliseHeader, readCsv, type RowResult } from "./csv.ts";

const COLUMNS = [
  { name: "sku", aliases: ["StockCode"], required: true },
  { name: "quantity", aliases: ["qty"], required: true },
  { name: "note" },
];

const parseRow = (r: Readonly<Record<string, string>>): RowResult<{ sku: string; quantity: number; note?: string }> => {
  const quantity = Number(r.quantity);
  if (!Number.isInteger(quantity)) return { ok: false, message: `quantity "${r.quantity}" is not a whole number` };
  return { ok: true, value: { sku: r.sku ?? "", quantity, ...(r.note !== undefined ? { note: r.note } : {}) } };
};

describe("readCsv", () => {
  it("maps header aliases, trims cells and numbers lines from the header (line 1)", () => {
    const result = readCsv("\uFEFFStockCode , Qty,Note\nA-1, 3 ,first\n\nB-2,4,\"two, quoted\"\n", COLUMNS, parseRow);
    expect(result.errors).toEqual([]);
    expect(result.columns).toEqual(["sku", "quantity", "note"]);
    expect(result.rows).toEqual([
      { line: 2, value: { sku: "A-1", quantity: 3, note: "first" } },
      { line: 4, value: { sku: "B-2", quantity: 4, note: "two, quoted" } },
    ]);
  });

  it("reports bad rows with their line and keeps reading", () => {
    const text = ["sku,qty", "A,1", "B,x", "C", "D,2,extra", "E,5"].join("\n");
    const result = readCsv(text, COLUMNS, parseRow);
    expect(result.rows.map((r) => [r.line, r.value.sku])).toEqual([[2, "A"], [6, "E"]]);
    expect(result.errors).toEqual([
      { line: 3, message: 'quantity "x" is not a whole number' },
      { line: 4, message: "has 1 cells, the header has 2" },
      { line: 5, message: "has 3 cells, the header has 2" },
    ]);
  });

  it("keeps a stray quote inside its cell, and reports an unclosed quote with the lines it swallowed", () => {
    const stray = readCsv('sku,qty\nA,1\nB,"2"x\nC,3\n', COLUMNS, parseRow);
    expect(stray.rows.map((r) => r.value.sku)).toEqual(["A", "C"]);
    expect(stray.errors).toEqual([{ line: 3, message: 'quantity ""2"x" is not a whole number' }]);

    const unclosed = readCsv('sku,qty\nA,1\nB,"2\nC,3\nD,4\n', COLUMNS, parseRow);
    expect(unclosed.rows.map((r) => r.value.sku)).toEqual(["A"]);
    // Lines 3–5 were all lost: the error stands for three rows, so a summary counts 4 rows, 3 of them skipped.
    expect(unclosed.errors).toEqual([{ line: 3, rows: 3, message: expect.stringContaining("never closed: lines 3–5 could not be read") }]);
  });

  it("numbers a row whose quoted cell spans lines by the line it starts on", () => {
    const result = readCsv('sku,qty,note\nA,1,x\nB,x,"two\nlines"\n\nC,"3\n\n",x\nD,4,y\n', COLUMNS, parseRow);
    expect(result.errors).toEqual([{ line: 3, message: 'quantity "x" is not a whole number' }]);
    expect(result.rows.map((r) => [r.line, r.value.sku])).toEqual([[2, "A"], [6, "C"], [9, "D"]]);
    expect(readCsv('sku,qty\nA,1\n"B\nB",2,extra\n', COLUMNS, parseRow).errors).toEqual([{ line: 3, message: "has 3 cells, the header has 2" }]);
  });

  it("numbers rows as an editor does in a Windows file whose quoted cell holds a line break", () => {
    // Lines: 1 header, 2–3 the row of "A<CRLF>B", 4 the bad row, 5 the last one.
    const result = readCsv('sku,qty,note\r\n"A\r\nB",1,x\r\nC,x,y\r\nD,2,z\r\n', COLUMNS, parseRow);
    expect(result.errors).toEqual([{ line: 4, message: 'quantity "x" is not a whole number' }]);
    expect(result.rows.map((r) => [r.line, r.value.sku])).toEqual([[2, "A\nB"], [5, "D"]]);
  });

  it("refuses a header without a required column, or with one twice, and an empty file", () => {
    expect(() => readCsv("sku,amount\nA,1\n", COLUMNS, parseRow)).toThrow(new CsvHeaderError("missing required column quantity (header has: sku, amount)"));
    expect(() => readCsv("sku,qty,quantity\n", COLUMNS, parseRow)).toThrow(/column "quantity" appears twice/);
    expect(() => readCsv("", COLUMNS, parseRow)).toThrow(/empty/);
  });

  it("lists header cells it does not know, so a typo is not silently ignored", () => {
    expect(readCsv("sku,qty,nots\nA,1,x\n", COLUMNS, parseRow).unknownColumns).toEqual(["nots"]);
  });
});

describe("normaliseHeader / formatCsv", () => {
  it("normalises spellings of one header", () => {
    expect(["Order ID", "order-id", " ORDER_ID ", "order id"].map(normaliseHeader)).toEqual(Array(4).fill("order_id"));
  });

  it("quotes only the cells that need it", () => {
    expect(formatCsv(["a", "b", "c"], [["plain", 'say "hi", twice', null], [1.5, "line\nbreak", true]])).toBe(
      'a,b,c\nplain,"say ""hi"", twice",\n1.5,"line\nbreak",true\n',
    );
  });
});

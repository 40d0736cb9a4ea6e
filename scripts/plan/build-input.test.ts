import { describe, expect, it } from "vitest";
import { DEFAULT_SUPPLIER_PARAMETERS } from "#app/domain/reorder/index.ts";
import { buildPlanInput } from "./build-input.ts";
import { readSales, readStock, readSuppliers } from "./read-inputs.ts";

const build = (sales: string, stock: string, suppliers: string, asOf?: string) =>
  buildPlanInput(
    { sales: readSales(sales).rows, stock: readStock(stock).rows, suppliers: readSuppliers(suppliers).rows },
    { currency: "USD", ...(asOf ? { asOf } : {}) },
  );

const STOCK = "sku,location,on_hand,committed,cost,price\nA,Shop,5,1,1.00,3.00\nA,Back,7,0,1.00,3.00\nB,Shop,0,0,,2.00\n";
const SUPPLIERS_HEADER = "supplier,sku,unit_cost,moq,case_pack,lead_time_days,min_days,max_days\n";

describe("buildPlanInput", () => {
  it("adds up locations, counts each order once, and plans from the day after the last sale", () => {
    const sales = "date,order_id,sku,quantity\n2026-03-01,1,A,2\n2026-03-01,1,A,3\n2026-03-02,2,A,4\n2026-03-02,3,A,-1\n";
    const built = build(sales, STOCK, `${SUPPLIERS_HEADER}Acme,A,1.10,1,1,10,,\n`);
    expect(built.asOf).toBe("2026-03-03");
    const a = built.input.skus.find((s) => s.skuId === "A");
    expect(a).toMatchObject({ onHand: 12, committed: 1, firstSaleDay: "2026-03-01", sellPrice: 30_000 });
    expect(Array.from(a?.history.orderQuantity ?? [])).toEqual([5, 4]);
    expect(built.stats).toMatchObject({ orderLines: 3, returnLines: 1 });
    expect(built.input.suppliers).toEqual([
      { supplierId: "Acme", name: "Acme", parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: 10 }, receivedPurchaseOrders: [] },
    ]);
  });

  it("plans from the last plausible sale: a placeholder date is refused by the reader, not carried into the day arithmetic", () => {
    const sales = "date,order_id,sku,quantity\n2026-03-01,1,A,2\n9999-12-31,2,A,1\n";
    expect(readSales(sales).errors).toEqual([{ line: 3, message: "date 9999-12-31 is not between 2000-01-01 and 2100-12-31" }]);
    expect(build(sales, STOCK, `${SUPPLIERS_HEADER}Acme,A,1,1,1,10,,\n`).asOf).toBe("2026-03-02");
  });

  it("reports each unknown SKU once with its lines, and supplier rows it cannot use", () => {
    const sales = "date,order_id,sku,quantity\n2026-03-01,1,X,1\n2026-03-01,2,X,1\n2026-03-01,3,A,1\n2026-03-02,4,X,1\n";
    const suppliers = `${SUPPLIERS_HEADER}Acme,B,,1,1,10,,\nAcme,Z,1,1,1,10,,\nAcme,A,1,1,1,10,,\nAcme,A,2,1,1,10,,\n`;
    const built = build(sales, STOCK, suppliers);
    expect(built.issues).toEqual([
      { file: "sales", line: 2, severity: "error", rows: 3, message: "sku X is not in the stock file (also lines 3, 5)" },
      { file: "suppliers", line: 2, severity: "error", message: "unit_cost is empty and the stock file has no cost for sku B" },
      { file: "suppliers", line: 3, severity: "error", message: "sku Z is not in the stock file" },
      { file: "suppliers", line: 5, severity: "error", message: "Acme already offers sku A on line 4" },
    ]);
  });

  it("merges a supplier's parameters over its rows: first value wins, contradictions fall back to defaults", () => {
    const suppliers = `${SUPPLIERS_HEADER}Acme,A,1,1,1,10,30,20\nAcme,B,1,1,1,12,,\n`;
    const built = build("date,order_id,sku,quantity\n2026-03-01,1,A,1\n", STOCK, suppliers);
    expect(built.issues).toEqual([
      { file: "suppliers", line: 2, severity: "warning", message: "Acme: max_days must be at least min_days; the engine default is used" },
      { file: "suppliers", line: 3, severity: "warning", message: "Acme: lead_time_days 12 differs from 10 on line 2; the first value is used" },
    ]);
    expect(built.input.suppliers[0]?.parameters).toMatchObject({ minDays: 30, maxDays: DEFAULT_SUPPLIER_PARAMETERS.maxDays, leadTimeDays: 10 });
  });
});

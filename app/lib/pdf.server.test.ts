import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildPoDocument, type PoDocument } from "#app/domain/purchasing/po-document.ts";
import { decodeCode128, readPdf } from "#tests/support/pdf.ts";
import { code128Png, renderPurchaseOrderPdf } from "./pdf.server.ts";
import { renderPurchaseOrderCsv } from "./purchase-order-csv.server.ts";

function sampleDocument(lineCount = 2): PoDocument {
  return buildPoDocument({
    number: "PO-2026-0287",
    issuedOn: "2026-03-05",
    currency: "USD",
    buyer: { name: "Northwind Outfitters" },
    supplier: { name: "Acme Textiles", contactName: "Jo Park", email: "orders@acme.test" },
    shipTo: { name: "Main warehouse", addressLines: ["12 Dock Road", "Portland OR 97201", "US"] },
    expectedShipDate: "2026-03-12",
    expectedArrivalDate: "2026-03-19",
    shipMethod: "ground",
    notes: null,
    shipping: "25.00",
    lines: Array.from({ length: lineCount }, (_, i) => ({
      skuCode: `TEE-${String(i + 1).padStart(3, "0")}`,
      title: "Organic tee",
      variantTitle: i % 2 === 0 ? "Blue / M" : null,
      barcode: `0123456789${String(i).padStart(3, "0")}`,
      supplierPartNumber: `AC-${9000 + i}`,
      quantity: 10 * (i + 1),
      unitCost: i === 0 ? "4.125" : "3.50",
      expectedDate: null,
    })),
  });
}

describe("purchase-order PDF", () => {
  it("prints the lines, totals, ship-to and dates, and a packing slip, each page with the PO number as a scannable Code 128", async () => {
    const doc = sampleDocument();
    // 10 × 4.125 = 41.25; 20 × 3.50 = 70.00 → subtotal 111.25 + shipping 25.00
    expect(doc).toMatchObject({ subtotal: 11_125, shipping: 2_500, total: 13_625 });
    const pdf = await readPdf(await renderPurchaseOrderPdf(doc));

    expect(pdf.pageCount).toBe(2);
    const [order, slip] = pdf.pages;
    for (const text of ["PURCHASE ORDER", "PO-2026-0287", "Acme Textiles", "Main warehouse", "12 Dock Road", "Portland OR 97201",
      "TEE-001", "AC-9000", "Organic tee — Blue / M", "$4.125", "$41.25", "TEE-002", "AC-9001", "$3.50", "$70.00",
      "Subtotal", "$111.25", "Shipping", "$25.00", "Total", "$136.25", "2026-03-12", "2026-03-19"]) {
      expect(order?.text).toContain(text);
    }
    expect(slip?.text).toContain("PACKING SLIP");
    expect(slip?.text).toContain("put this page in the shipment");
    expect(slip?.text).toContain("TEE-002");
    expect(slip?.text).toContain("0123456789001");
    // The slip is for the warehouse: no prices on it.
    expect(slip?.text).not.toContain("$");

    for (const page of pdf.pages) {
      expect(page.images).toHaveLength(1);
      expect(decodeCode128(page.images[0]!)).toBe("PO-2026-0287");
    }
  });

  it("continues long orders on further pages and repeats the table header", async () => {
    const doc = sampleDocument(70);
    const pdf = await readPdf(await renderPurchaseOrderPdf(doc));
    expect(pdf.pageCount).toBeGreaterThanOrEqual(4);
    const all = pdf.pages.map((p) => p.text).join("\n");
    expect(all).toContain("TEE-070");
    expect(all).toContain("(continued)");
    expect(pdf.pages.at(-1)?.text).toMatch(/page \d+ of \d+/);
  });

  it("renders the same bytes twice (a retried render step attaches an identical file)", async () => {
    const doc = sampleDocument();
    const [a, b] = [await renderPurchaseOrderPdf(doc), await renderPurchaseOrderPdf(doc)];
    expect(a.equals(b)).toBe(true);
  });

  it("the barcode decoder can fail: another number does not read as this PO", async () => {
    const png = await readPdf(await renderPurchaseOrderPdf({ ...sampleDocument(), number: "PO-2026-0288" }));
    expect(decodeCode128(png.pages[0]!.images[0]!)).not.toBe("PO-2026-0287");
    await expect(code128Png("")).rejects.toThrow("must not be empty");
  });
});

describe("purchase-order CSV", () => {
  it("has one row per line with plain decimals, the PO number and the ship-to on every row", () => {
    const doc = sampleDocument();
    const rows = parse(renderPurchaseOrderCsv(doc), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        po_number: "PO-2026-0287", line: "1", our_sku: "TEE-001", supplier_part_number: "AC-9000", description: "Organic tee — Blue / M",
        quantity: "10", unit_cost: "4.1250", line_total: "41.25", currency: "USD", expected_date: "2026-03-19",
        ship_to: "Main warehouse, 12 Dock Road, Portland OR 97201, US",
      },
      {
        po_number: "PO-2026-0287", line: "2", our_sku: "TEE-002", supplier_part_number: "AC-9001", description: "Organic tee",
        quantity: "20", unit_cost: "3.5000", line_total: "70.00", currency: "USD", expected_date: "2026-03-19",
        ship_to: "Main warehouse, 12 Dock Road, Portland OR 97201, US",
      },
    ]);
  });

  it("quotes text with commas and quotes so a description cannot shift the columns", () => {
    const doc = sampleDocument(1);
    doc.lines[0]!.title = 'Tee, "heavy", 10oz';
    const rows = parse(renderPurchaseOrderCsv(doc), { columns: true }) as Record<string, string>[];
    expect(rows[0]?.description).toBe('Tee, "heavy", 10oz — Blue / M');
    expect(rows[0]?.quantity).toBe("10");
  });
});

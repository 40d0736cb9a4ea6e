/**
 * What a purchase-order document (PDF, CSV, API payload) shows, as plain data. Pure: the model layer
 * loads it (app/models/purchase-order-document.server.ts), the renderers only format it, so the PDF,
 * the CSV and the supplier's JSON never disagree about a quantity or a total.
 */
import { formatCents, formatPrice, lineTotalCents, sumCents, toCents, toPriceUnits, type Cents, type PriceUnits } from "../shared/money.ts";

export interface PoDocumentLine {
  skuCode: string;
  title: string;
  variantTitle: string | null;
  barcode: string | null;
  supplierPartNumber: string | null;
  quantity: number;
  /** Ten-thousandths of the currency unit (suppliers quote sub-cent prices). */
  unitCost: PriceUnits;
  lineTotal: Cents;
  /** YYYY-MM-DD, or null when the PO's date applies. */
  expectedDate: string | null;
}

export interface PoDocument {
  number: string;
  /** YYYY-MM-DD, the day the PO was issued (sent, or created while still a draft). */
  issuedOn: string;
  currency: string;
  buyer: { name: string };
  supplier: { name: string; contactName: string | null; email: string | null };
  shipTo: { name: string; addressLines: string[] };
  expectedShipDate: string | null;
  expectedArrivalDate: string | null;
  shipMethod: string | null;
  notes: string | null;
  lines: PoDocumentLine[];
  subtotal: Cents;
  shipping: Cents;
  total: Cents;
}

export interface PoDocumentInputLine {
  skuCode: string;
  title: string;
  variantTitle?: string | null;
  barcode?: string | null;
  supplierPartNumber?: string | null;
  quantity: number;
  /** Decimal text as stored ("4.1250"). */
  unitCost: string;
  expectedDate?: Date | null;
}

export function isoDay(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/**
 * Builds the document with totals recomputed from the lines (quantity × unit cost, rounded once per
 * line), so a document never shows a total its own lines do not add up to. Lines are ordered by our SKU
 * code so the PDF, the CSV and the packing slip list them the same way.
 */
export function buildPoDocument(input: Omit<PoDocument, "lines" | "subtotal" | "total" | "shipping"> & { shipping: string; lines: PoDocumentInputLine[] }): PoDocument {
  const lines = [...input.lines]
    .sort((a, b) => a.skuCode.localeCompare(b.skuCode))
    .map((l): PoDocumentLine => {
      const unitCost = toPriceUnits(l.unitCost);
      return {
        skuCode: l.skuCode,
        title: l.title,
        variantTitle: l.variantTitle ?? null,
        barcode: l.barcode ?? null,
        supplierPartNumber: l.supplierPartNumber ?? null,
        quantity: l.quantity,
        unitCost,
        lineTotal: lineTotalCents(l.quantity, unitCost),
        expectedDate: isoDay(l.expectedDate),
      };
    });
  const subtotal = sumCents(lines.map((l) => l.lineTotal));
  const shipping = toCents(input.shipping);
  return { ...input, lines, subtotal, shipping, total: subtotal + shipping };
}

/** The columns of the CSV document and the rows under them (header first). */
export const PO_CSV_COLUMNS = [
  "po_number",
  "line",
  "our_sku",
  "supplier_part_number",
  "description",
  "quantity",
  "unit_cost",
  "line_total",
  "currency",
  "expected_date",
  "ship_to",
] as const;

export function poCsvRows(doc: PoDocument): string[][] {
  const shipTo = [doc.shipTo.name, ...doc.shipTo.addressLines].join(", ");
  return doc.lines.map((l, i) => [
    doc.number,
    String(i + 1),
    l.skuCode,
    l.supplierPartNumber ?? "",
    l.variantTitle ? `${l.title} — ${l.variantTitle}` : l.title,
    String(l.quantity),
    (l.unitCost / 10_000).toFixed(4),
    (l.lineTotal / 100).toFixed(2),
    doc.currency,
    l.expectedDate ?? doc.expectedArrivalDate ?? "",
    shipTo,
  ]);
}

export function money(doc: Pick<PoDocument, "currency">, cents: Cents): string {
  return formatCents(cents, doc.currency);
}

export function unitPrice(doc: Pick<PoDocument, "currency">, price: PriceUnits): string {
  return formatPrice(price, doc.currency);
}

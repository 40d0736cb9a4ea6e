import { stringify } from "csv-stringify/sync";
import { PO_CSV_COLUMNS, poCsvRows, type PoDocument } from "#app/domain/purchasing/po-document.ts";

/**
 * The PO as CSV for suppliers who load orders into their own system (Supplier.documentFormat = CSV):
 * one row per line with the PO number on every row, so a supplier can concatenate several files.
 * Amounts are plain decimals with a point (no currency symbols, no thousands separators) and the
 * currency is its own column, which is what spreadsheet and ERP imports parse without a locale.
 */
export function renderPurchaseOrderCsv(doc: PoDocument): string {
  return stringify([[...PO_CSV_COLUMNS], ...poCsvRows(doc)], { record_delimiter: "\r\n" });
}

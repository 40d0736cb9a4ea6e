/**
 * Demo barcodes: EAN-13 numbers in the GS1 "restricted circulation" range 200–299 (for a retailer's own
 * internal codes, so they can never clash with a real product), derived from the stock code alone so a
 * reseed gives every SKU the same barcode.
 */
import { createHash } from "node:crypto";

/** The EAN-13 check digit of 12 digits: weights 1,3,1,3… from the left, then 10 − (sum mod 10). */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`EAN-13 needs 12 digits, got ${JSON.stringify(first12)}`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** "2" + 11 digits from SHA-1 of the stock code (+ `#n` on the rare collision) + check digit. */
export function ean13ForStockCode(stockCode: string, attempt = 0): string {
  const input = attempt === 0 ? stockCode : `${stockCode}#${attempt}`;
  const hash = createHash("sha1").update(input).digest();
  const digits = (hash.readBigUInt64BE(0) % 100_000_000_000n).toString().padStart(11, "0");
  const first12 = `2${digits}`;
  return `${first12}${ean13CheckDigit(first12)}`;
}

/** Barcodes for a catalogue, unique within it: a collision takes the next attempt (in catalogue order). */
export function assignBarcodes(stockCodes: readonly string[]): string[] {
  const used = new Set<string>();
  return stockCodes.map((code) => {
    for (let attempt = 0; ; attempt++) {
      const ean = ean13ForStockCode(code, attempt);
      if (!used.has(ean)) {
        used.add(ean);
        return ean;
      }
    }
  });
}

import { Prisma } from "@prisma/client";

/**
 * Per-shop document numbers (PO-2026-0287, TR-2026-0012): gapless per shop, kind and year, never reused.
 *
 * One statement does it: an upsert whose conflict branch increments the counter and RETURNs the new value.
 * The row stays locked until the caller's transaction ends, so concurrent callers queue on that row
 * instead of reading the same value; and because the increment belongs to the caller's transaction, a
 * rolled-back document rolls its number back too (no gap). A read-then-write (findUnique + update)
 * would hand the same number to two transactions under READ COMMITTED.
 *
 * Numbers are never reused because nothing decrements the counter and documents are cancelled, not
 * deleted, once numbered.
 */

export type DocumentKind = "PO" | "TRANSFER";

const PREFIX: Record<DocumentKind, string> = { PO: "PO", TRANSFER: "TR" };

/** Anything that can run raw SQL: the transaction client of `prisma` or of `forShop(shopId)`. */
export type RawSqlClient = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * Reserves the next number. Call it inside the transaction that creates the document: outside one,
 * the number is committed at once and a failure afterwards leaves a gap.
 */
export async function nextDocumentNumber(tx: RawSqlClient, shopId: string, kind: DocumentKind, year: number): Promise<string> {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year must be a four-digit year, got ${year}`);
  const rows = await tx.$queryRaw<{ lastValue: number }[]>(Prisma.sql`
    INSERT INTO "DocumentSequence" ("shopId", "kind", "year", "lastValue")
    VALUES (${shopId}, ${kind}, ${year}, 1)
    ON CONFLICT ("shopId", "kind", "year") DO UPDATE SET "lastValue" = "DocumentSequence"."lastValue" + 1
    RETURNING "lastValue"`);
  const value = rows[0]?.lastValue;
  if (value === undefined) throw new Error(`DocumentSequence returned no value for ${kind} ${year}`);
  return formatDocumentNumber(kind, year, Number(value));
}

/** `PO-2026-0287`: four digits keep numbers sortable as text for the first 9,999 of a year. */
export function formatDocumentNumber(kind: DocumentKind, year: number, value: number): string {
  return `${PREFIX[kind]}-${year}-${String(value).padStart(4, "0")}`;
}

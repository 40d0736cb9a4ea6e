import { z } from "zod";

// Cursor pagination for admin index pages. Offsets drift when rows are added while a merchant pages
// through hundreds of SKUs; a cursor (the id of the first/last row shown) does not.

export const pageQuerySchema = z.object({
  after: z.string().min(1).max(64).optional(),
  before: z.string().min(1).max(64).optional(),
});

export type PageQuery = z.infer<typeof pageQuerySchema>;

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};

export type Paged<T> = { items: T[]; pageInfo: PageInfo };

/** Prisma `cursor`/`skip`/`take` for the requested page; one extra row tells whether another page exists. */
export function cursorArgs(
  shopId: string,
  page: PageQuery,
  pageSize: number,
): { cursor?: { id: string; shopId: string }; skip?: number; take: number } {
  if (page.before) return { cursor: { id: page.before, shopId }, skip: 1, take: -(pageSize + 1) };
  if (page.after) return { cursor: { id: page.after, shopId }, skip: 1, take: pageSize + 1 };
  return { take: pageSize + 1 };
}

/** Trims the look-ahead row and works out which directions have more rows. */
export function toPage<T extends { id: string }>(rows: T[], page: PageQuery, pageSize: number): Paged<T> {
  const hasMore = rows.length > pageSize;
  // Backwards pages come back in display order with the extra row first.
  const items = hasMore ? (page.before ? rows.slice(1) : rows.slice(0, pageSize)) : rows;
  return {
    items,
    pageInfo: {
      hasNextPage: page.before ? true : hasMore,
      hasPreviousPage: page.before ? hasMore : Boolean(page.after),
      startCursor: items[0]?.id ?? null,
      endCursor: items.at(-1)?.id ?? null,
    },
  };
}

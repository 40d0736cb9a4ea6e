import { GraphQLError } from "graphql";

// Relay connections the way Shopify pages them: `first`/`after` or `last`/`before` (one of first/last is
// required, at most 250), opaque cursors that encode the sort value and id of the row, and pageInfo.
// In a bulk operation the inner query has no page arguments and a connection returns every row.

export const MAX_PAGE_SIZE = 250;

export type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null; reverse?: boolean | null };
export type SortKey = Array<number | string>;

export function encodeCursor(key: SortKey): string {
  // Shopify's cursors are base64 JSON of the last row's id and sort value; ours add how many keys.
  return Buffer.from(JSON.stringify({ last_id: key[key.length - 1], last_value: key[0], keys: key.length })).toString("base64");
}

function decodeCursor(cursor: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown; keys?: unknown };
    if (typeof parsed.last_id !== "number") throw new Error("no id");
    return parsed.keys === 1 ? [parsed.last_id] : [parsed.last_value as number | string, parsed.last_id];
  } catch {
    throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * One page of `items` (already filtered) ordered by `keyOf` (sort value(s) then id, ascending unless
 * `reverse`). `bulk` lifts the page-size rules, as inside bulkOperationRunQuery.
 */
export function connection<T, V>(items: T[], args: PageArgs, keyOf: (item: T) => SortKey, view: (item: T) => V, bulk = false) {
  const direction = args.reverse ? -1 : 1;
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => direction * compareKeys(a.key, b.key));
  const { first, last, after, before } = args;
  if (!bulk) {
    if (first == null && last == null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    for (const [name, value] of [["first", first], ["last", last]] as const) {
      if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) throw new GraphQLError(`The '${name}' argument must be between 0 and ${MAX_PAGE_SIZE}.`, { extensions: { code: "BAD_REQUEST" } });
    }
  }
  let window = sorted;
  if (after) {
    const key = decodeCursor(after);
    window = window.filter((row) => direction * compareKeys(row.key, key) > 0);
  }
  if (before) {
    const key = decodeCursor(before);
    window = window.filter((row) => direction * compareKeys(row.key, key) < 0);
  }
  let page = window;
  if (first != null) page = page.slice(0, first);
  if (last != null) page = page.slice(Math.max(0, page.length - last));
  const startIndex = page.length > 0 ? window.indexOf(page[0]!) : 0;
  const edges = page.map((row) => ({ cursor: encodeCursor(row.key), node: view(row.item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: startIndex + page.length < window.length || (before != null && sorted.length > window.length),
      hasPreviousPage: startIndex > 0 || (after != null && sorted.length > window.length),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

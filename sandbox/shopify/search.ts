// The part of Shopify's search syntax our code uses in `query:` arguments: space-separated terms
// (AND), each `field:value` or `field:>=value` (>, >=, <, <=), values optionally quoted. Terms on fields a
// resource does not know are ignored, as Shopify ignores invalid search fields (with a warning).

export type SearchTerm = { field: string; op: "=" | ">" | ">=" | "<" | "<="; value: string };

export function parseSearch(query: string | null | undefined): SearchTerm[] {
  if (!query) return [];
  const terms: SearchTerm[] = [];
  const pattern = /([a-z_]+):(>=|<=|>|<)?\s*(?:'([^']*)'|"([^"]*)"|(\S+))/gi;
  for (const match of query.matchAll(pattern)) {
    terms.push({ field: match[1]!.toLowerCase(), op: (match[2] as SearchTerm["op"] | undefined) ?? "=", value: match[3] ?? match[4] ?? match[5] ?? "" });
  }
  return terms;
}

export type FieldAccessor<T> = (item: T) => string | number | null;

/** Keeps items matching every known term; dates compare as instants, numbers as numbers. */
export function matchesSearch<T>(item: T, terms: SearchTerm[], fields: Record<string, FieldAccessor<T>>): boolean {
  for (const term of terms) {
    const accessor = fields[term.field];
    if (!accessor) continue;
    const actual = accessor(item);
    if (actual === null) return false;
    let left: number | string = actual;
    let right: number | string = term.value;
    if (typeof actual === "number") {
      const asDate = Date.parse(term.value);
      right = /^\d+$/.test(term.value) ? Number(term.value) : Number.isNaN(asDate) ? Number.NaN : asDate;
    } else {
      left = actual.toLowerCase();
      right = term.value.toLowerCase();
    }
    const ok =
      term.op === "=" ? left === right : term.op === ">" ? left > right : term.op === ">=" ? left >= right : term.op === "<" ? left < right : left <= right;
    if (!ok) return false;
  }
  return true;
}

import type { EbayOrder } from "./state.ts";
import { ebayError, type EbayReply, type EbayRequest } from "./wire.ts";

// Fulfillment API getOrders: filter=lastmodifieddate:[start..end] (or creationdate), limit ≤ 200
// (default 50), offset, with href/next/prev links. eBay does not document the sort; the sandbox returns
// orders by creation date ascending, which keeps offsets stable while a client pages (orders modified
// meanwhile keep their place and still match the filter; new orders append).

const API_ORIGIN = "https://api.ebay.com";
const RANGE = /^(lastmodifieddate|creationdate):\[([^\]]*)\]$/;

function filterError(message: string): EbayReply {
  return ebayError(400, { errorId: 30800, domain: "API_FULFILLMENT", category: "REQUEST", message: `Invalid filter: ${message}` });
}

export function getOrders(req: EbayRequest): EbayReply {
  const { query, state } = req;
  const filter = query.get("filter") ?? "";
  const limit = Number(query.get("limit") ?? 50);
  const offset = Number(query.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) return ebayError(400, { errorId: 30700, domain: "API_FULFILLMENT", category: "REQUEST", message: "The limit must be between 1 and 200." });
  if (!Number.isInteger(offset) || offset < 0) return ebayError(400, { errorId: 30700, domain: "API_FULFILLMENT", category: "REQUEST", message: "The offset must be 0 or more." });

  let field: "lastModifiedDate" | "creationDate" | null = null;
  let from = -Infinity;
  let to = Infinity;
  for (const part of filter.split(",").map((p) => p.trim()).filter(Boolean)) {
    const range = RANGE.exec(part);
    if (!range) {
      if (part.startsWith("orderfulfillmentstatus:")) continue;
      return filterError(part);
    }
    const [start = "", end = ""] = (range[2] ?? "").split("..");
    field = range[1] === "lastmodifieddate" ? "lastModifiedDate" : "creationDate";
    from = start ? Date.parse(start) : -Infinity;
    to = end ? Date.parse(end) : Infinity;
    if (Number.isNaN(from) || Number.isNaN(to)) return filterError(part);
  }
  const all = [...state.orders.values()]
    .filter((order) => field === null || (Date.parse(order[field]) >= from && Date.parse(order[field]) <= to))
    .sort(byCreation);
  const page = all.slice(offset, offset + limit);
  const link = (at: number) => `${API_ORIGIN}/sell/fulfillment/v1/order?${new URLSearchParams({ ...(filter ? { filter } : {}), limit: String(limit), offset: String(at) }).toString()}`;
  return {
    status: 200,
    json: {
      href: link(offset),
      total: all.length,
      limit,
      offset,
      ...(offset + limit < all.length ? { next: link(offset + limit) } : {}),
      ...(offset > 0 ? { prev: link(Math.max(0, offset - limit)) } : {}),
      orders: page,
      warnings: [],
    },
  };
}

function byCreation(a: EbayOrder, b: EbayOrder): number {
  const diff = Date.parse(a.creationDate) - Date.parse(b.creationDate);
  if (diff !== 0) return diff;
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

import type { EbaySellerState } from "./state.ts";
import { inventoryError, parseJson, type EbayErrorDetail, type EbayReply, type EbayRequest } from "./wire.ts";

// Inventory API: inventory items (ship-to-home quantity), offers (the listing's availableQuantity) and
// bulkUpdatePriceQuantity (≤ 25 requests, 200 when every entry succeeded, 207 with per-entry statusCode
// otherwise). Every change to a published offer revises its listing, and eBay allows 250 revisions per
// listing per calendar day; past that the entry fails and nothing changes.
//
// errorIds follow eBay's Inventory API numbering where we know it (25002 "A user error has occurred",
// 25709 Content-Language, 25710 resource not found, 25713 offer not available); the others are
// illustrative. Clients should branch on statusCode and message, as the adapter does.

const MAX_REQUESTS = 25;

export function getInventoryItem(req: EbayRequest, sku: string): EbayReply {
  const item = req.state.items.get(sku);
  if (!item) return inventoryError(404, 25710, "We didn't find the resource/entity you are requesting. Please verify the request");
  return {
    status: 200,
    json: { sku: item.sku, locale: item.locale, condition: item.condition, product: { title: item.title }, availability: { shipToLocationAvailability: { quantity: item.quantity } } },
  };
}

/** getInventoryItems: every inventory item of the seller, limit (≤ 200, default 25) / offset, next link. */
export function getInventoryItems(req: EbayRequest): EbayReply {
  const limit = Number(req.query.get("limit") ?? 25);
  const offset = Number(req.query.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200 || !Number.isInteger(offset) || offset < 0) return inventoryError(400, 25707, "Invalid limit or offset.");
  const all = [...req.state.items.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const link = (at: number) => `https://api.ebay.com/sell/inventory/v1/inventory_item?limit=${limit}&offset=${at}`;
  return {
    status: 200,
    json: {
      href: link(offset),
      total: all.length,
      size: Math.min(limit, Math.max(0, all.length - offset)),
      limit,
      ...(offset + limit < all.length ? { next: link(offset + limit) } : {}),
      inventoryItems: all.slice(offset, offset + limit).map((item) => ({
        sku: item.sku,
        locale: item.locale,
        condition: item.condition,
        product: { title: item.title },
        availability: { shipToLocationAvailability: { quantity: item.quantity } },
      })),
    },
  };
}

/** createOrReplaceInventoryItem: replaces the record; a new ship-to-home quantity revises the SKU's listings. */
export function putInventoryItem(req: EbayRequest, sku: string): EbayReply {
  const { state } = req;
  if (!req.headers["content-language"]) return inventoryError(400, 25709, "Invalid value for header Content-Language.");
  const body = parseJson(req.body) as { availability?: { shipToLocationAvailability?: { quantity?: unknown } }; condition?: unknown; product?: { title?: unknown } } | undefined;
  if (!body) return inventoryError(400, 2004, "Request payload is not valid JSON.");
  const quantity = body.availability?.shipToLocationAvailability?.quantity;
  if (quantity !== undefined && !isQuantity(quantity)) return inventoryError(400, 25016, `The quantity '${String(quantity)}' is invalid.`);
  const existing = state.items.get(sku);
  const listings = existing ? state.offersOf(sku).filter((offer) => offer.status === "PUBLISHED").map((offer) => offer.listingId) : [];
  const blocked = listings.find((listingId) => state.revisionsToday(listingId) >= state.dailyRevisionLimit);
  if (blocked) return { status: 400, json: { errors: [revisionLimitError(state, blocked)] } };
  for (const listingId of listings) state.reviseListing(listingId);
  state.items.set(sku, {
    sku,
    title: typeof body.product?.title === "string" ? body.product.title : (existing?.title ?? sku),
    condition: typeof body.condition === "string" ? body.condition : "NEW",
    locale: String(req.headers["content-language"]).replace("-", "_"),
    quantity: typeof quantity === "number" ? quantity : 0,
  });
  return { status: 204 };
}

export function getOffers(req: EbayRequest): EbayReply {
  const { state, query } = req;
  const sku = query.get("sku");
  if (!sku) return inventoryError(400, 25707, "The sku query parameter is required.");
  const marketplace = query.get("marketplace_id");
  const offers = state.offersOf(sku).filter((offer) => !marketplace || offer.marketplaceId === marketplace);
  if (!state.items.has(sku) || offers.length === 0) return inventoryError(404, 25713, "This Offer is not available.");
  return {
    status: 200,
    json: {
      href: `https://api.ebay.com/sell/inventory/v1/offer?sku=${encodeURIComponent(sku)}`,
      total: offers.length,
      size: offers.length,
      limit: 25,
      offers: offers.map((offer) => ({
        offerId: offer.offerId,
        sku: offer.sku,
        marketplaceId: offer.marketplaceId,
        format: offer.format,
        availableQuantity: offer.availableQuantity,
        pricingSummary: { price: offer.price },
        status: offer.status,
        listing: { listingId: offer.listingId, listingStatus: "ACTIVE", soldQuantity: offer.soldQuantity },
      })),
    },
  };
}

type PriceQuantityRequest = { sku?: unknown; shipToLocationAvailability?: { quantity?: unknown }; offers?: { offerId?: unknown; availableQuantity?: unknown }[] };
type EntryResponse = { statusCode: number; sku?: string; offerId?: string; errors: EbayErrorDetail[]; warnings: EbayErrorDetail[] };

export function bulkUpdatePriceQuantity(req: EbayRequest): EbayReply {
  const body = parseJson(req.body) as { requests?: unknown } | undefined;
  if (!body || !Array.isArray(body.requests) || body.requests.length === 0) return inventoryError(400, 25001, "The 'requests' container is required.");
  if (body.requests.length > MAX_REQUESTS) return inventoryError(400, 25001, `A maximum of ${MAX_REQUESTS} requests can be sent in one call.`);
  const responses = (body.requests as PriceQuantityRequest[]).flatMap((request) => applyRequest(req.state, request));
  const allOk = responses.every((entry) => entry.statusCode === 200);
  return { status: allOk ? 200 : 207, json: { responses } };
}

function applyRequest(state: EbaySellerState, request: PriceQuantityRequest): EntryResponse[] {
  const sku = typeof request.sku === "string" ? request.sku : "";
  const item = state.items.get(sku);
  const offers = request.offers ?? [];
  const fail = (statusCode: number, error: EbayErrorDetail): EntryResponse[] =>
    offers.length === 0
      ? [{ statusCode, sku, errors: [error], warnings: [] }]
      : offers.map((offer) => ({ statusCode, sku, offerId: String(offer.offerId ?? ""), errors: [error], warnings: [] }));

  if (!item) return fail(404, detail(25702, `SKU ${sku} is not available in the system.`, [{ name: "sku", value: sku }]));
  const shipQuantity = request.shipToLocationAvailability?.quantity;
  if (shipQuantity !== undefined && !isQuantity(shipQuantity)) return fail(400, detail(25016, `The quantity '${String(shipQuantity)}' is invalid.`));
  const targets = [];
  for (const entry of offers) {
    const offer = state.offers.get(String(entry.offerId ?? ""));
    if (!offer || offer.sku !== sku) return fail(400, detail(25713, "This Offer is not available.", [{ name: "offerId", value: String(entry.offerId) }]));
    if (entry.availableQuantity !== undefined && !isQuantity(entry.availableQuantity)) return fail(400, detail(25016, `The availableQuantity '${String(entry.availableQuantity)}' is invalid.`));
    targets.push({ offer, quantity: entry.availableQuantity as number | undefined });
  }

  // A new ship-to-home quantity revises every published listing of the SKU; an offer update revises its own.
  const revised = new Set(targets.map((target) => target.offer.listingId));
  if (shipQuantity !== undefined) for (const offer of state.offersOf(sku)) if (offer.status === "PUBLISHED") revised.add(offer.listingId);
  const blocked = [...revised].find((listingId) => state.revisionsToday(listingId) >= state.dailyRevisionLimit);
  if (blocked) return fail(400, revisionLimitError(state, blocked));

  for (const listingId of revised) state.reviseListing(listingId);
  if (typeof shipQuantity === "number") item.quantity = shipQuantity;
  for (const target of targets) if (typeof target.quantity === "number") target.offer.availableQuantity = target.quantity;
  return targets.length === 0
    ? [{ statusCode: 200, sku, errors: [], warnings: [] }]
    : targets.map((target) => ({ statusCode: 200, sku, offerId: target.offer.offerId, errors: [], warnings: [] }));
}

function detail(errorId: number, message: string, parameters?: { name: string; value: string }[]): EbayErrorDetail {
  return { errorId, domain: "API_INVENTORY", subdomain: "Selling", category: "REQUEST", message, ...(parameters ? { parameters } : {}) };
}

export function revisionLimitError(state: EbaySellerState, listingId: string): EbayErrorDetail {
  return {
    errorId: 25002,
    domain: "API_INVENTORY",
    subdomain: "Selling",
    category: "REQUEST",
    message: `A user error has occurred. You have reached the maximum number of revisions (${state.dailyRevisionLimit}) allowed for this listing today.`,
    longMessage: `Listing ${listingId} has been revised ${state.dailyRevisionLimit} times today. Each listing can be revised up to ${state.dailyRevisionLimit} times in one calendar day; try again tomorrow.`,
    parameters: [{ name: "listingId", value: listingId }],
  };
}

function isQuantity(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

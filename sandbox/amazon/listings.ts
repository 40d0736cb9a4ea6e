import { randomUUID } from "node:crypto";
import type { AmazonListing, AmazonSellerState } from "./state.ts";
import { decodeToken, encodeToken, invalidInput, list, parseJson, spError, type AmazonReply, type AmazonRequest } from "./wire.ts";

// Listings Items API 2021-08-01: read listings with their fulfillment availability, and PATCH
// /attributes/fulfillment_availability, the merchant-fulfilled quantity. The same patch logic serves the
// JSON_LISTINGS_FEED (feeds.ts), as on Amazon where a feed message is a listings patch.

export type ListingIssue = { code: string; message: string; severity: "ERROR" | "WARNING"; attributeNames?: string[]; categories?: string[] };
type Patch = { op?: unknown; path?: unknown; value?: unknown };
type Availability = { fulfillment_channel_code?: unknown; quantity?: unknown; lead_time_to_ship_max_days?: unknown; restock_date?: unknown };

const AVAILABILITY_PATH = "/attributes/fulfillment_availability";
// Issue codes are illustrative: Amazon's numeric codes for these cases are not published as a list.
const INVALID_VALUE = "90000900";
const NOT_FOUND = "90000404";

export function fbaChannelCode(region: string): string {
  return `AMAZON_${region.toUpperCase()}`;
}

/** Applies listings patches to one SKU; returns the issues (empty = ACCEPTED). Nothing changes on error. */
export function applyListingPatches(state: AmazonSellerState, sku: string, patches: unknown): ListingIssue[] {
  const listing = state.listings.get(sku);
  if (!listing) return [{ code: NOT_FOUND, message: `SKU '${sku}' does not exist for this seller and marketplace.`, severity: "ERROR", categories: ["INVALID_ATTRIBUTE"] }];
  if (!Array.isArray(patches) || patches.length === 0) return [invalid("'patches' must be a non-empty array.")];

  const next = { ...listing };
  for (const patch of patches as Patch[]) {
    if (patch.path !== AVAILABILITY_PATH) return [invalid(`Patching '${String(patch.path)}' is not supported by the sandbox.`)];
    if (patch.op !== "merge" && patch.op !== "replace" && patch.op !== "delete") return [invalid(`Invalid op '${String(patch.op)}'.`)];
    if (patch.op === "delete") {
      next.quantity = 0;
      continue;
    }
    if (!Array.isArray(patch.value) || patch.value.length === 0) return [invalid("'value' must be a non-empty array.")];
    for (const entry of patch.value as Availability[]) {
      const code = entry.fulfillment_channel_code;
      if (typeof code !== "string") return [invalid("fulfillment_channel_code is required.")];
      if (code.startsWith("AMAZON_")) return [invalid("The quantity of Amazon-fulfilled (FBA) offers cannot be set by the seller.")];
      if (code !== "DEFAULT") return [invalid(`Unknown fulfillment_channel_code '${code}'.`)];
      if (entry.quantity !== undefined && (typeof entry.quantity !== "number" || !Number.isInteger(entry.quantity) || entry.quantity < 0)) {
        return [invalid(`The value '${String(entry.quantity)}' provided for 'quantity' is invalid: a whole number of at least 0 is required.`)];
      }
      // merge keeps lead time and restock date unless given; replace drops what is not given.
      if (patch.op === "replace") {
        next.leadTimeToShipMaxDays = null;
        next.restockDate = null;
      }
      if (typeof entry.quantity === "number") next.quantity = entry.quantity;
      if (typeof entry.lead_time_to_ship_max_days === "number") next.leadTimeToShipMaxDays = entry.lead_time_to_ship_max_days;
      if (typeof entry.restock_date === "string") next.restockDate = entry.restock_date;
      if (listing.fulfillmentChannel === "AFN") {
        // On Amazon, a DEFAULT availability on an FBA offer converts it to merchant-fulfilled. Recorded so
        // tests can prove Replenish never does it.
        next.fulfillmentChannel = "MFN";
        state.channelSwitches.push({ sku, at: state.timestamp() });
      }
    }
  }
  Object.assign(listing, next, { lastUpdated: state.timestamp() });
  return [];
}

function invalid(message: string): ListingIssue {
  return { code: INVALID_VALUE, message, severity: "ERROR", attributeNames: ["fulfillment_availability"], categories: ["INVALID_ATTRIBUTE"] };
}

export function patchListingsItem(req: AmazonRequest, sellerId: string, sku: string): AmazonReply {
  const { state } = req;
  if (sellerId !== state.sellerId) return spError(403, "Unauthorized", "Access to requested resource is denied.", "The seller id does not match the authorized seller.");
  if (list(req.query, "marketplaceIds").length === 0) return invalidInput("Missing required 'marketplaceIds' parameter.");
  const body = parseJson(req.body) as { productType?: unknown; patches?: unknown } | undefined;
  if (!body || typeof body.productType !== "string") return invalidInput("Request body must have 'productType' and 'patches'.");
  const issues = applyListingPatches(state, sku, body.patches);
  return {
    status: 200,
    json: { sku, status: issues.length === 0 ? "ACCEPTED" : "INVALID", submissionId: randomUUID().replaceAll("-", ""), issues },
  };
}

function listingWire(listing: AmazonListing, state: AmazonSellerState, region: string, includedData: string[]) {
  const wire: Record<string, unknown> = { sku: listing.sku };
  if (includedData.includes("summaries")) {
    wire.summaries = [
      {
        marketplaceId: state.marketplaceId,
        asin: listing.asin,
        productType: listing.productType,
        conditionType: "new_new",
        status: ["BUYABLE", "DISCOVERABLE"],
        ...(listing.fnSku ? { fnSku: listing.fnSku } : {}),
        itemName: listing.title,
        createdDate: listing.lastUpdated,
        lastUpdatedDate: listing.lastUpdated,
      },
    ];
  }
  if (includedData.includes("fulfillmentAvailability")) {
    wire.fulfillmentAvailability = [
      listing.fulfillmentChannel === "AFN"
        ? { fulfillmentChannelCode: fbaChannelCode(region), quantity: listing.quantity }
        : { fulfillmentChannelCode: "DEFAULT", quantity: listing.quantity },
    ];
  }
  if (includedData.includes("issues")) wire.issues = [];
  return wire;
}

export function getListingsItem(req: AmazonRequest, sellerId: string, sku: string, region: string): AmazonReply {
  const { state } = req;
  if (sellerId !== state.sellerId) return spError(403, "Unauthorized", "Access to requested resource is denied.", "The seller id does not match the authorized seller.");
  const listing = state.listings.get(sku);
  if (!listing) return spError(404, "NOT_FOUND", `Requested item '${sku}' not found`);
  const includedData = list(req.query, "includedData");
  return { status: 200, json: listingWire(listing, state, region, includedData.length ? includedData : ["summaries"]) };
}

/** searchListingsItems without identifiers: every SKU of the seller, pageSize ≤ 20, pageToken. */
export function searchListingsItems(req: AmazonRequest, sellerId: string, region: string): AmazonReply {
  const { state, query } = req;
  if (sellerId !== state.sellerId) return spError(403, "Unauthorized", "Access to requested resource is denied.", "The seller id does not match the authorized seller.");
  if (list(query, "marketplaceIds").length === 0) return invalidInput("Missing required 'marketplaceIds' parameter.");
  const pageSize = Number(query.get("pageSize") ?? 10);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20) return invalidInput("pageSize must be between 1 and 20.");
  const pageToken = query.get("pageToken");
  const start = pageToken ? (decodeToken<{ o: number }>(pageToken)?.o ?? -1) : 0;
  if (start < 0) return invalidInput("Invalid pageToken.");
  const identifiers = list(query, "identifiers");
  const all = [...state.listings.values()]
    .filter((listing) => identifiers.length === 0 || identifiers.includes(listing.sku))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const page = all.slice(start, start + pageSize);
  const includedData = list(query, "includedData");
  return {
    status: 200,
    json: {
      numberOfResults: all.length,
      pagination: start + pageSize < all.length ? { nextToken: encodeToken({ o: start + pageSize }) } : {},
      items: page.map((listing) => listingWire(listing, state, region, includedData.length ? includedData : ["summaries"])),
    },
  };
}

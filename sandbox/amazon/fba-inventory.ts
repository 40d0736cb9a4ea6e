import { decodeToken, encodeToken, invalidInput, list, type AmazonReply, type AmazonRequest } from "./wire.ts";

// FBA Inventory v1 getInventorySummaries: the units Amazon holds for the seller's FBA listings.
// Note the shape: `pagination` sits beside `payload`, which amazon-sp-api merges into one result.

export function getInventorySummaries(req: AmazonRequest): AmazonReply {
  const { query, state } = req;
  if (query.get("granularityType") !== "Marketplace") return invalidInput("granularityType must be 'Marketplace'.");
  const granularityId = query.get("granularityId");
  if (!granularityId) return invalidInput("Missing required 'granularityId' parameter.");
  if (!list(query, "marketplaceIds").includes(granularityId)) return invalidInput("marketplaceIds must contain the granularityId.");
  const nextToken = query.get("nextToken");
  const start = nextToken ? (decodeToken<{ o: number }>(nextToken)?.o ?? -1) : 0;
  if (start < 0) return invalidInput("Invalid nextToken.");
  const skus = list(query, "sellerSkus");
  const details = query.get("details") === "true";

  const all = [...state.listings.values()]
    .filter((listing) => listing.fulfillmentChannel === "AFN")
    .filter((listing) => skus.length === 0 || skus.includes(listing.sku))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const size = state.inventoryPageSize;
  const page = all.slice(start, start + size);

  return {
    status: 200,
    json: {
      pagination: { nextToken: start + size < all.length ? encodeToken({ o: start + size }) : null },
      payload: {
        granularity: { granularityType: "Marketplace", granularityId },
        inventorySummaries: page.map((listing) => ({
          asin: listing.asin,
          fnSku: listing.fnSku,
          sellerSku: listing.sku,
          condition: "NewItem",
          ...(details
            ? {
                inventoryDetails: {
                  fulfillableQuantity: listing.quantity,
                  inboundWorkingQuantity: 0,
                  inboundShippedQuantity: listing.inbound,
                  inboundReceivingQuantity: 0,
                  reservedQuantity: { totalReservedQuantity: listing.reserved, pendingCustomerOrderQuantity: listing.reserved, pendingTransshipmentQuantity: 0, fcProcessingQuantity: 0 },
                  unfulfillableQuantity: { totalUnfulfillableQuantity: 0 },
                },
              }
            : {}),
          lastUpdatedTime: listing.lastUpdated,
          productName: listing.title,
          totalQuantity: listing.quantity + listing.inbound + listing.reserved,
        })),
      },
    },
  };
}

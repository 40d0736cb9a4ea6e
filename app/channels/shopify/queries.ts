// Every Admin GraphQL operation the Shopify adapter sends (API version 2026-10). The sandbox validates
// each one against Shopify's published schema, so a typo here fails the tests as it would fail in
// production. Sizes are chosen under Shopify's 1,000-point single-query limit (objects cost 1, a
// connection 2 + first × one node, a list of objects its `first` × one element):
// - variants: 4 + 3 × levels per variant, so the page size is computed from the number of locations;
// - orders: 1 + (2 + 25 × 4) + 3 × (1 + 2 + 10 × 3) + (2 + 3 × (3 + 2 + 10 × 2)) = 279 per order →
//   3 orders per page (839); an order with more than 25 lines gets its remaining lines from
//   ORDER_LINES_QUERY, one with more than 3 fulfillment orders (or 10 lines in one) the rest from
//   ORDER_FULFILLMENT_ORDERS_QUERY and FULFILLMENT_ORDER_LINES_QUERY.
// Actual cost (what the bucket keeps) follows what comes back, so small orders are cheap.

export const STOCK_QUANTITY_NAMES = ["available", "on_hand"] as const;

export const LOCATIONS_QUERY = `#graphql
  query ReplenishLocations {
    locations(first: 250) {
      nodes { id name isActive fulfillsOnlineOrders }
    }
  }
`;

export const VARIANTS_QUERY = `#graphql
  query ReplenishVariants($first: Int!, $after: String, $levels: Int!) {
    productVariants(first: $first, after: $after, sortKey: ID) {
      nodes {
        id
        sku
        barcode
        displayName
        inventoryItem {
          id
          tracked
          inventoryLevels(first: $levels) {
            nodes {
              location { id }
              quantities(names: ["available", "on_hand"]) { name quantity }
            }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** VARIANTS_QUERY's own cost before its variants: the productVariants connection and its pageInfo. */
export const VARIANTS_QUERY_BASE_COST = 2;

/** Cost of one variant in VARIANTS_QUERY with `levels` levels: variant + item + levels connection. */
export function variantCost(levels: number): number {
  return 1 + 1 + 2 + levels * 3;
}

export const ORDERS_PAGE_SIZE = 3;
export const LINES_PER_ORDER = 25;

/** What the order sync reads of a fulfillment order line: where a line's units ship from. */
const FULFILLMENT_ORDER_LINE = "totalQuantity remainingQuantity lineItem { id }";

/** A fulfillment order's selection with its first `lines` lines: 3 + 2 + lines × 2 points. */
function fulfillmentOrderNode(lines: number): string {
  return `id
        assignedLocation { location { id } }
        lineItems(first: ${lines}) {
          nodes { ${FULFILLMENT_ORDER_LINE} }
          pageInfo { hasNextPage endCursor }
        }`;
}

/** Everything the order sync reads of an order; shared by the orders page and the one-order refresh. */
const ORDER_FIELDS = `
  fragment ReplenishOrderFields on Order {
    id
    name
    createdAt
    updatedAt
    cancelledAt
    currencyCode
    email
    displayFinancialStatus
    displayFulfillmentStatus
    lineItems(first: 25) {
      nodes {
        id
        sku
        quantity
        currentQuantity
        unfulfilledQuantity
        variant { id }
        originalUnitPriceSet { shopMoney { amount } }
      }
      pageInfo { hasNextPage endCursor }
    }
    refunds(first: 3) {
      createdAt
      refundLineItems(first: 10) {
        nodes { quantity restocked location { id } lineItem { id } }
      }
    }
    # Where each line is fulfilled from (Shopify's order routing, or a merchant's move): the order
    # itself does not say. displayable: true leaves out fulfillment orders closed by a move or merge,
    # whose units live on in another one.
    fulfillmentOrders(first: 3, displayable: true) {
      nodes { ${fulfillmentOrderNode(10)} }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const ORDERS_QUERY = `#graphql
  query ReplenishOrders($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { ...ReplenishOrderFields }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${ORDER_FIELDS}
`;

/**
 * The order a fulfillment order belongs to (after a fulfillment order moved: the move need not touch the
 * order's updatedAt, which the orders pull follows): 1 + 279 = 280.
 */
export const FULFILLMENT_ORDER_ORDER_QUERY = `#graphql
  query ReplenishFulfillmentOrderOrder($id: ID!) {
    fulfillmentOrder(id: $id) {
      order { ...ReplenishOrderFields }
    }
  }
  ${ORDER_FIELDS}
`;

export const ORDER_LINES_QUERY = `#graphql
  query ReplenishOrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) {
        nodes {
          id
          sku
          quantity
          currentQuantity
          unfulfilledQuantity
          variant { id }
          originalUnitPriceSet { shopMoney { amount } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** The fulfillment orders after ORDERS_QUERY's first 3: 1 + 2 + 10 × (3 + 2 + 45 × 2) = 953. */
export const ORDER_FULFILLMENT_ORDERS_QUERY = `#graphql
  query ReplenishOrderFulfillmentOrders($id: ID!, $after: String) {
    order(id: $id) {
      fulfillmentOrders(first: 10, after: $after, displayable: true) {
        nodes { ${fulfillmentOrderNode(45)} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** The rest of one fulfillment order's lines: 1 + 2 + 250 × 2 = 503. */
export const FULFILLMENT_ORDER_LINES_QUERY = `#graphql
  query ReplenishFulfillmentOrderLines($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      lineItems(first: 250, after: $after) {
        nodes { ${FULFILLMENT_ORDER_LINE} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export const SET_QUANTITIES_MUTATION = `#graphql
  mutation ReplenishSetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup {
        id
        changes(quantityNames: ["available"]) { name delta quantityAfterChange item { id } location { id } }
      }
      userErrors { field message code }
    }
  }
`;

/** Re-reads one level after a compare-and-set mismatch. */
export const LEVEL_QUERY = `#graphql
  query ReplenishLevel($itemId: ID!, $locationId: ID!) {
    inventoryItem(id: $itemId) {
      inventoryLevel(locationId: $locationId) {
        quantities(names: ["available"]) { name quantity }
      }
    }
  }
`;

/** The inner query of the bulk stock import: no page arguments; nested levels come back as child lines. */
export const BULK_STOCK_INNER_QUERY = `
  {
    productVariants {
      edges {
        node {
          id
          sku
          barcode
          displayName
          inventoryItem {
            id
            tracked
            inventoryLevels {
              edges {
                node {
                  location { id }
                  quantities(names: ["available", "on_hand"]) { name quantity }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_RUN_MUTATION = `#graphql
  mutation ReplenishBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_STATUS_QUERY = `#graphql
  query ReplenishBulkStatus($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
  }
`;

import { GraphQLError } from "graphql";
import { connection, type PageArgs } from "./connection.ts";
import { gid, numericId, shopifyTime } from "./ids.ts";
import { matchesSearch, parseSearch } from "./search.ts";
import {
  inventoryLevelGid,
  READABLE_QUANTITY_NAMES,
  type QuantityName,
  type ShopifyStore,
  type StoreFulfillmentOrder,
  type StoreInventoryItem,
  type StoreLevel,
  type StoreLineItem,
  type StoreLocation,
  type StoreOrder,
  type StoreProduct,
  type StoreRefund,
  type StoreRefundLine,
  type StoreVariant,
} from "./store.ts";

// Plain-object views of the store in the Admin API's shapes. graphql-js resolves each field by property:
// a value, or a function called with the field's arguments (how nested connections get `first`).
// A field the sandbox does not simulate resolves to null, so asking for it on a non-null field fails
// loudly instead of returning something made up.

type Args = Record<string, unknown>;

function money(amount: string, currencyCode: string) {
  const value = { amount, currencyCode };
  return { shopMoney: value, presentmentMoney: value };
}

function count(value: number) {
  return { count: value, precision: "EXACT" };
}

export class Views {
  constructor(
    private readonly store: ShopifyStore,
    /** Inside a bulk operation connections return every row. */
    private readonly bulk = false,
  ) {}

  private page<T, V>(items: T[], args: Args, keyOf: (item: T) => Array<number | string>, view: (item: T) => V) {
    return connection(items, args as PageArgs, keyOf, view, this.bulk);
  }

  shop() {
    const s = this.store.shop;
    return {
      id: gid("Shop", s.id),
      name: s.name,
      myshopifyDomain: s.domain,
      email: `owner@${s.domain}`,
      currencyCode: s.currencyCode,
      ianaTimezone: s.ianaTimezone,
      timezoneAbbreviation: "UTC",
      url: `https://${s.domain}`,
    };
  }

  location = (location: StoreLocation) => ({
    id: gid("Location", location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.isActive,
    activatable: !location.isActive,
    deactivatable: location.isActive,
    deletable: !location.isActive,
    fulfillsOnlineOrders: location.fulfillsOnlineOrders,
    hasActiveInventory: this.store.levels.size > 0,
    hasUnfulfilledOrders: false,
    isFulfillmentService: false,
    shipsInventory: true,
    addressVerified: true,
    createdAt: shopifyTime(location.createdAt),
    updatedAt: shopifyTime(location.createdAt),
    inventoryLevels: (args: Args) =>
      this.page(
        [...this.store.levels.values()].filter((level) => level.locationId === location.id),
        args,
        (level) => [level.inventoryItemId],
        this.level,
      ),
    inventoryLevel: (args: Args) => {
      const level = this.store.findLevel(numericId(args.inventoryItemId as string) ?? -1, location.id);
      return level ? this.level(level) : null;
    },
  });

  locations(args: Args) {
    const all = [...this.store.locations.values()].filter((location) => args.includeInactive === true || location.isActive);
    const terms = parseSearch(args.query as string | undefined);
    const matching = all.filter((location) => matchesSearch(location, terms, { name: (l) => l.name, id: (l) => l.id }));
    return this.page(matching, args, (location) => [location.id], this.location);
  }

  product = (product: StoreProduct) => ({
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    status: product.status,
    vendor: product.vendor,
    productType: "",
    tags: [],
    createdAt: shopifyTime(product.createdAt),
    updatedAt: shopifyTime(product.updatedAt),
    hasOnlyDefaultVariant: product.variantIds.length === 1,
    tracksInventory: true,
    totalInventory: product.variantIds.reduce((sum, id) => sum + this.inventoryQuantity(this.store.variants.get(id)!), 0),
    variantsCount: count(product.variantIds.length),
    variants: (args: Args) =>
      this.page(
        product.variantIds.map((id) => this.store.variants.get(id)!),
        args,
        (variant) => [variant.id],
        this.variant,
      ),
  });

  private inventoryQuantity(variant: StoreVariant): number {
    return this.store.levelsOfItem(variant.inventoryItemId).reduce((sum, level) => sum + level.quantities.available, 0);
  }

  variant = (variant: StoreVariant) => {
    const product = this.store.products.get(variant.productId)!;
    const item = this.store.inventoryItems.get(variant.inventoryItemId)!;
    const available = this.inventoryQuantity(variant);
    return {
      id: gid("ProductVariant", variant.id),
      legacyResourceId: String(variant.id),
      title: variant.title,
      displayName: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
      sku: variant.sku,
      barcode: variant.barcode,
      price: variant.price,
      compareAtPrice: null,
      position: variant.position,
      taxable: true,
      availableForSale: available > 0,
      inventoryPolicy: "DENY",
      inventoryQuantity: available,
      sellableOnlineQuantity: Math.max(0, available),
      selectedOptions: [{ name: "Title", value: variant.title }],
      requiresComponents: false,
      showUnitPrice: false,
      createdAt: shopifyTime(variant.createdAt),
      updatedAt: shopifyTime(variant.updatedAt),
      defaultCursor: Buffer.from(JSON.stringify({ last_id: variant.id, last_value: variant.id, keys: 1 })).toString("base64"),
      product: () => this.product(product),
      inventoryItem: () => this.inventoryItem(item),
    };
  };

  variants(args: Args) {
    const terms = parseSearch(args.query as string | undefined);
    const matching = [...this.store.variants.values()].filter((variant) =>
      matchesSearch(variant, terms, {
        sku: (v) => v.sku,
        barcode: (v) => v.barcode,
        id: (v) => v.id,
        product_id: (v) => v.productId,
        title: (v) => v.title,
        updated_at: (v) => v.updatedAt,
        created_at: (v) => v.createdAt,
      }),
    );
    const sortKey = args.sortKey as string | undefined;
    const keyOf = sortKey === "SKU" ? (v: StoreVariant) => [v.sku ?? "", v.id] : (v: StoreVariant) => [v.id];
    return this.page(matching, args, keyOf, this.variant);
  }

  inventoryItem = (item: StoreInventoryItem) => {
    const variant = this.store.variants.get(item.variantId)!;
    return {
      id: gid("InventoryItem", item.id),
      legacyResourceId: String(item.id),
      sku: variant.sku,
      tracked: item.tracked,
      requiresShipping: true,
      duplicateSkuCount: 0,
      createdAt: shopifyTime(item.createdAt),
      updatedAt: shopifyTime(item.updatedAt),
      locationsCount: count(this.store.levelsOfItem(item.id).length),
      variant: () => this.variant(variant),
      inventoryLevels: (args: Args) => this.page(this.store.levelsOfItem(item.id), args, (level) => [level.locationId], this.level),
      inventoryLevel: (args: Args) => {
        const level = this.store.findLevel(item.id, numericId(args.locationId as string) ?? -1);
        return level ? this.level(level) : null;
      },
    };
  };

  level = (level: StoreLevel) => ({
    id: inventoryLevelGid(level),
    isActive: true,
    canDeactivate: true,
    deactivationAlert: null,
    createdAt: shopifyTime(level.createdAt),
    updatedAt: shopifyTime(level.updatedAt),
    item: () => this.inventoryItem(this.store.inventoryItems.get(level.inventoryItemId)!),
    location: () => this.location(this.store.locations.get(level.locationId)!),
    quantities: (args: Args) =>
      (args.names as string[]).map((name) => {
        if (!(READABLE_QUANTITY_NAMES as readonly string[]).includes(name)) {
          throw new GraphQLError(`'${name}' is not a valid quantity name. Valid names are: ${READABLE_QUANTITY_NAMES.join(", ")}.`, { extensions: { code: "BAD_REQUEST" } });
        }
        return {
          id: `gid://shopify/InventoryQuantity/${level.locationId}?inventory_item_id=${level.inventoryItemId}&name=${name}`,
          name,
          quantity: this.store.quantity(level, name as QuantityName),
          updatedAt: shopifyTime(level.updatedAt),
        };
      }),
  });

  // ───────────── orders ─────────────

  order = (order: StoreOrder) => {
    const refunded = order.lineItems.reduce((sum, line) => sum + this.store.refundedQuantity(order, line.id), 0);
    const ordered = order.lineItems.reduce((sum, line) => sum + line.quantity, 0);
    const fulfilled = order.lineItems.reduce((sum, line) => sum + line.fulfilledQuantity, 0);
    const open = order.lineItems.reduce((sum, line) => sum + this.store.unfulfilledQuantity(order, line), 0);
    const total = order.lineItems.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0).toFixed(2);
    return {
      id: gid("Order", order.id),
      legacyResourceId: String(order.id),
      name: order.name,
      number: order.number,
      email: order.email,
      createdAt: shopifyTime(order.createdAt),
      processedAt: shopifyTime(order.createdAt),
      updatedAt: shopifyTime(order.updatedAt),
      cancelledAt: order.cancelledAt === null ? null : shopifyTime(order.cancelledAt),
      cancelReason: order.cancelReason,
      closed: order.cancelledAt !== null,
      closedAt: order.cancelledAt === null ? null : shopifyTime(order.cancelledAt),
      confirmed: true,
      test: false,
      currencyCode: order.currency,
      presentmentCurrencyCode: order.currency,
      displayFinancialStatus: refunded === 0 ? "PAID" : refunded >= ordered ? "REFUNDED" : "PARTIALLY_REFUNDED",
      displayFulfillmentStatus: fulfilled === 0 ? "UNFULFILLED" : open > 0 ? "PARTIALLY_FULFILLED" : "FULFILLED",
      subtotalLineItemsQuantity: ordered,
      currentSubtotalLineItemsQuantity: ordered - refunded,
      totalPriceSet: money(total, order.currency),
      currentTotalPriceSet: money(total, order.currency),
      tags: [],
      lineItems: (args: Args) => this.page(order.lineItems, args, (line) => [line.id], (line) => this.lineItem(order, line)),
      refunds: (args: Args) => {
        const first = typeof args.first === "number" ? args.first : undefined;
        return order.refunds.slice(0, first).map((refund) => this.refund(order, refund));
      },
      // The sandbox moves fulfillment orders whole, so none is ever hidden: `displayable` changes nothing.
      fulfillmentOrders: (args: Args) => this.page(order.fulfillmentOrders, args, (fo) => [fo.id], (fo) => this.fulfillmentOrder(order, fo)),
    };
  };

  fulfillmentOrder = (order: StoreOrder, fulfillmentOrder: StoreFulfillmentOrder) => {
    const lines = order.lineItems.filter((line) => line.fulfillmentOrderId === fulfillmentOrder.id);
    const remaining = lines.reduce((sum, line) => sum + this.store.unfulfilledQuantity(order, line), 0);
    const fulfilled = lines.reduce((sum, line) => sum + line.fulfilledQuantity, 0);
    const location = this.store.locations.get(fulfillmentOrder.locationId)!;
    return {
      id: gid("FulfillmentOrder", fulfillmentOrder.id),
      orderId: gid("Order", order.id),
      orderName: order.name,
      order: () => this.order(order),
      createdAt: shopifyTime(fulfillmentOrder.createdAt),
      updatedAt: shopifyTime(fulfillmentOrder.updatedAt),
      orderProcessedAt: shopifyTime(order.createdAt),
      status: order.cancelledAt !== null ? "CANCELLED" : remaining > 0 ? (fulfilled > 0 ? "IN_PROGRESS" : "OPEN") : "CLOSED",
      requestStatus: "UNSUBMITTED",
      assignedLocation: { name: location.name, countryCode: "US", location: () => this.location(location) },
      lineItems: (args: Args) =>
        this.page(lines, args, (line) => [line.id], (line) => ({
          id: gid("FulfillmentOrderLineItem", line.id),
          totalQuantity: this.store.currentQuantity(order, line),
          remainingQuantity: this.store.unfulfilledQuantity(order, line),
          sku: line.sku,
          productTitle: line.title,
          requiresShipping: true,
          lineItem: () => this.lineItem(order, line),
        })),
    };
  };

  lineItem = (order: StoreOrder, line: StoreLineItem) => {
    const variant = line.variantId === null ? undefined : this.store.variants.get(line.variantId);
    const current = this.store.currentQuantity(order, line);
    return {
      id: gid("LineItem", line.id),
      name: variant ? this.variant(variant).displayName : line.title,
      title: line.title,
      variantTitle: variant?.title ?? null,
      vendor: "Sandbox",
      sku: line.sku,
      quantity: line.quantity,
      currentQuantity: current,
      unfulfilledQuantity: this.store.unfulfilledQuantity(order, line),
      refundableQuantity: current,
      nonFulfillableQuantity: line.quantity - current,
      requiresShipping: true,
      taxable: true,
      restockable: true,
      isGiftCard: false,
      merchantEditable: order.cancelledAt === null,
      originalUnitPriceSet: money(line.price, order.currency),
      discountedUnitPriceSet: money(line.price, order.currency),
      originalTotalSet: money((Number(line.price) * line.quantity).toFixed(2), order.currency),
      variant: variant ? () => this.variant(variant) : null,
      product: line.productId === null ? null : () => this.product(this.store.products.get(line.productId!)!),
    };
  };

  refund = (order: StoreOrder, refund: StoreRefund) => ({
    id: gid("Refund", refund.id),
    legacyResourceId: String(refund.id),
    createdAt: shopifyTime(refund.createdAt),
    processedAt: shopifyTime(refund.createdAt),
    updatedAt: shopifyTime(refund.createdAt),
    note: refund.note,
    order: () => this.order(order),
    totalRefundedSet: money(
      refund.lines.reduce((sum, line) => sum + Number(order.lineItems.find((l) => l.id === line.lineItemId)?.price ?? 0) * line.quantity, 0).toFixed(2),
      order.currency,
    ),
    refundLineItems: (args: Args) => this.page(refund.lines, args, (line) => [line.id], (line) => this.refundLineItem(order, line)),
  });

  refundLineItem = (order: StoreOrder, line: StoreRefundLine) => {
    const lineItem = order.lineItems.find((candidate) => candidate.id === line.lineItemId)!;
    return {
      id: gid("RefundLineItem", line.id),
      quantity: line.quantity,
      restockType: line.restockType,
      restocked: line.restockType !== "NO_RESTOCK",
      lineItem: () => this.lineItem(order, lineItem),
      location: line.locationId === null ? null : () => this.location(this.store.locations.get(line.locationId!)!),
      priceSet: money(lineItem.price, order.currency),
      subtotalSet: money((Number(lineItem.price) * line.quantity).toFixed(2), order.currency),
      totalTaxSet: money("0.00", order.currency),
    };
  };

  orders(args: Args) {
    const terms = parseSearch(args.query as string | undefined);
    const matching = [...this.store.orders.values()].filter((order) =>
      matchesSearch(order, terms, {
        updated_at: (o) => o.updatedAt,
        created_at: (o) => o.createdAt,
        processed_at: (o) => o.createdAt,
        id: (o) => o.id,
        name: (o) => o.name,
        status: (o) => (o.cancelledAt === null ? "open" : "cancelled"),
      }),
    );
    const sortKey = args.sortKey as string | undefined;
    const keyOf =
      sortKey === "UPDATED_AT"
        ? (o: StoreOrder) => [o.updatedAt, o.id]
        : sortKey === "CREATED_AT" || sortKey === "PROCESSED_AT"
          ? (o: StoreOrder) => [o.createdAt, o.id]
          : (o: StoreOrder) => [o.id];
    return this.page(matching, args, keyOf, this.order);
  }

  /** Root fields that read the catalogue and orders (mutations and bulk live elsewhere). */
  queryRoot() {
    const store = this.store;
    const byId = <T>(map: Map<number, T>, id: unknown, view: (item: T) => unknown) => {
      const item = map.get(numericId(id as string) ?? -1);
      return item ? view(item) : null;
    };
    return {
      shop: () => this.shop(),
      locations: (args: Args) => this.locations(args),
      location: (args: Args) => (args.id == null ? this.location(store.defaultLocation()) : byId(store.locations, args.id, this.location)),
      productVariants: (args: Args) => this.variants(args),
      productVariant: (args: Args) => byId(store.variants, args.id, this.variant),
      products: (args: Args) => this.page([...store.products.values()], args, (product) => [product.id], this.product),
      product: (args: Args) => byId(store.products, args.id, this.product),
      inventoryItem: (args: Args) => byId(store.inventoryItems, args.id, this.inventoryItem),
      inventoryItems: (args: Args) => this.page([...store.inventoryItems.values()], args, (item) => [item.id], this.inventoryItem),
      inventoryLevel: (args: Args) => {
        const match = /InventoryLevel\/(\d+)\?inventory_item_id=(\d+)/.exec(String(args.id));
        const level = match ? store.findLevel(Number(match[2]), Number(match[1])) : undefined;
        return level ? this.level(level) : null;
      },
      orders: (args: Args) => this.orders(args),
      order: (args: Args) => byId(store.orders, args.id, this.order),
      fulfillmentOrder: (args: Args) => {
        const id = numericId(args.id as string);
        for (const order of store.orders.values()) {
          const found = order.fulfillmentOrders.find((fo) => fo.id === id);
          if (found) return this.fulfillmentOrder(order, found);
        }
        return null;
      },
    };
  }
}

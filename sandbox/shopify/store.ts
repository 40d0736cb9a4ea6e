import { gid, numericId, shopifyTime, truncateToSecond } from "./ids.ts";

// The simulated shop behind the sandbox: products, variants, inventory items, locations, inventory
// levels and orders, with the stock effects Shopify applies (an order commits stock, a cancellation or a
// restocking refund gives it back, a fulfilment takes it off hand). Tests and the demo drive it directly;
// the GraphQL resolvers read and write it. Timestamps have second precision, as Shopify prints them.

/** Quantity states Shopify tracks per (inventory item, location); on_hand is their sum (except incoming). */
export const STORED_QUANTITY_NAMES = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control", "incoming"] as const;
export type StoredQuantityName = (typeof STORED_QUANTITY_NAMES)[number];
export const READABLE_QUANTITY_NAMES = [...STORED_QUANTITY_NAMES, "on_hand"] as const;
export type QuantityName = (typeof READABLE_QUANTITY_NAMES)[number];

export type StoreLocation = { id: number; name: string; isActive: boolean; fulfillsOnlineOrders: boolean; createdAt: number };
export type StoreProduct = { id: number; title: string; status: "ACTIVE" | "DRAFT" | "ARCHIVED"; vendor: string; createdAt: number; updatedAt: number; variantIds: number[] };
export type StoreVariant = {
  id: number;
  productId: number;
  inventoryItemId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  position: number;
  createdAt: number;
  updatedAt: number;
};
export type StoreInventoryItem = { id: number; variantId: number; tracked: boolean; createdAt: number; updatedAt: number };
export type StoreLevel = { inventoryItemId: number; locationId: number; quantities: Record<StoredQuantityName, number>; createdAt: number; updatedAt: number };

export type StoreLineItem = {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  quantity: number;
  price: string;
  locationId: number | null;
  fulfilledQuantity: number;
  fulfillmentOrderId: number;
};
/** A group of lines fulfilled together from one location (Shopify's order routing picks it at checkout). */
export type StoreFulfillmentOrder = { id: number; locationId: number; createdAt: number; updatedAt: number };
export type RefundRestockType = "CANCEL" | "RETURN" | "NO_RESTOCK";
export type StoreRefundLine = { id: number; lineItemId: number; quantity: number; restockType: RefundRestockType; locationId: number | null };
export type StoreRefund = { id: number; orderId: number; createdAt: number; note: string | null; lines: StoreRefundLine[] };
export type StoreOrder = {
  id: number;
  number: number;
  name: string;
  email: string | null;
  currency: string;
  createdAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  cancelReason: string | null;
  lineItems: StoreLineItem[];
  refunds: StoreRefund[];
  fulfillmentOrders: StoreFulfillmentOrder[];
};

/** The REST payload Shopify sends as the inventory_levels/update webhook. */
export type InventoryLevelWebhookPayload = {
  inventory_item_id: number;
  location_id: number;
  available: number;
  updated_at: string;
  admin_graphql_api_id: string;
};

export type CreateOrderInput = {
  /** A line's own locationId routes it to another location than the order's (a split order). */
  lineItems: Array<{ variantId?: number | string; sku?: string; quantity: number; price?: string; title?: string; locationId?: number | string }>;
  locationId?: number | string;
  email?: string | null;
  currency?: string;
  /** Backdate (demo replay); defaults to the store clock. */
  createdAt?: Date | string | number;
};

export type StoreOptions = {
  shopName?: string;
  shopDomain?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  /** The sandbox's idea of "now" (the demo runs an accelerated clock). */
  clock?: () => number;
};

export class ShopifyStore {
  readonly shop: { id: number; name: string; domain: string; currencyCode: string; ianaTimezone: string };
  readonly locations = new Map<number, StoreLocation>();
  readonly products = new Map<number, StoreProduct>();
  readonly variants = new Map<number, StoreVariant>();
  readonly inventoryItems = new Map<number, StoreInventoryItem>();
  readonly levels = new Map<string, StoreLevel>();
  readonly orders = new Map<number, StoreOrder>();
  private readonly clock: () => number;
  private nextId = 1000;
  private nextOrderNumber = 1001;

  constructor(options: StoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.shop = {
      id: 1,
      name: options.shopName ?? "Sandbox Shop",
      domain: options.shopDomain ?? "sandbox-shop.myshopify.com",
      currencyCode: options.currencyCode ?? "USD",
      ianaTimezone: options.ianaTimezone ?? "UTC",
    };
  }

  now(): number {
    return truncateToSecond(this.clock());
  }

  private id(): number {
    return this.nextId++;
  }

  /**
   * Continues the id and order-number sequences after what an earlier run of this store handed out. The
   * sandbox keeps nothing between runs, but a real store never reuses an id: an app that already holds
   * order 1330 takes a new order 1330 for an edit of the old one, and the sale's stock change is lost.
   */
  resumeAfter(input: { ids?: Iterable<number | string>; orderNames?: Iterable<string> }): void {
    for (const value of input.ids ?? []) {
      const id = numericId(value);
      if (id !== null && id >= this.nextId) this.nextId = id + 1;
    }
    for (const name of input.orderNames ?? []) {
      const match = /^#?(\d+)$/.exec(name);
      const number = match ? Number(match[1]) : NaN;
      if (Number.isSafeInteger(number) && number >= this.nextOrderNumber) this.nextOrderNumber = number + 1;
    }
  }

  // ───────────── catalogue ─────────────

  addLocation(input: { name: string; isActive?: boolean; fulfillsOnlineOrders?: boolean }): StoreLocation {
    const location = { id: this.id(), name: input.name, isActive: input.isActive ?? true, fulfillsOnlineOrders: input.fulfillsOnlineOrders ?? true, createdAt: this.now() };
    this.locations.set(location.id, location);
    return location;
  }

  /** The first active location: where orders commit stock unless told otherwise. */
  defaultLocation(): StoreLocation {
    for (const location of this.locations.values()) if (location.isActive) return location;
    return this.addLocation({ name: "Shop location" });
  }

  addProduct(input: {
    title: string;
    status?: StoreProduct["status"];
    vendor?: string;
    variants: Array<{ title?: string; sku?: string | null; barcode?: string | null; price?: string; tracked?: boolean; available?: number | Record<number, number> }>;
  }): { product: StoreProduct; variants: StoreVariant[] } {
    const now = this.now();
    const product: StoreProduct = { id: this.id(), title: input.title, status: input.status ?? "ACTIVE", vendor: input.vendor ?? "Sandbox", createdAt: now, updatedAt: now, variantIds: [] };
    this.products.set(product.id, product);
    const variants = input.variants.map((spec, index) => {
      const variant: StoreVariant = {
        id: this.id(),
        productId: product.id,
        inventoryItemId: this.id(),
        title: spec.title ?? (input.variants.length === 1 ? "Default Title" : `Variant ${index + 1}`),
        sku: spec.sku ?? null,
        barcode: spec.barcode ?? null,
        price: spec.price ?? "10.00",
        position: index + 1,
        createdAt: now,
        updatedAt: now,
      };
      this.variants.set(variant.id, variant);
      this.inventoryItems.set(variant.inventoryItemId, { id: variant.inventoryItemId, variantId: variant.id, tracked: spec.tracked ?? true, createdAt: now, updatedAt: now });
      product.variantIds.push(variant.id);
      const stock = typeof spec.available === "number" ? { [this.defaultLocation().id]: spec.available } : (spec.available ?? { [this.defaultLocation().id]: 0 });
      for (const [locationId, available] of Object.entries(stock)) this.level(variant.inventoryItemId, Number(locationId), true).quantities.available = available;
      return variant;
    });
    return { product, variants };
  }

  /**
   * A large catalogue in one call (the 5,000-variant import test): `variants` variants, `perProduct` to a
   * product, SKUs SKU-00001…, barcodes, and stock at every active location (`locations` are added first
   * when fewer exist).
   */
  seed(input: { variants: number; perProduct?: number; locations?: number; available?: (index: number, locationIndex: number) => number }): StoreVariant[] {
    const wantedLocations = input.locations ?? Math.max(1, this.locations.size);
    while (this.locations.size < wantedLocations) this.addLocation({ name: `Warehouse ${this.locations.size + 1}` });
    const locations = [...this.locations.values()].filter((location) => location.isActive);
    const perProduct = input.perProduct ?? 3;
    const available = input.available ?? ((index: number, locationIndex: number) => (index * 7 + locationIndex * 3) % 50);
    const created: StoreVariant[] = [];
    for (let start = 0; start < input.variants; start += perProduct) {
      const count = Math.min(perProduct, input.variants - start);
      const { variants } = this.addProduct({
        title: `Product ${Math.floor(start / perProduct) + 1}`,
        variants: Array.from({ length: count }, (_, offset) => {
          const index = start + offset;
          return {
            title: `Size ${offset + 1}`,
            sku: `SKU-${String(index + 1).padStart(5, "0")}`,
            barcode: String(400000000000 + index),
            price: `${(5 + (index % 20)).toFixed(2)}`,
            available: Object.fromEntries(locations.map((location, locationIndex) => [location.id, available(index, locationIndex)])),
          };
        }),
      });
      created.push(...variants);
    }
    return created;
  }

  findVariant(ref: { variantId?: number | string; sku?: string; inventoryItemId?: number | string }): StoreVariant {
    if (ref.variantId !== undefined) {
      const variant = this.variants.get(numericId(ref.variantId) ?? -1);
      if (variant) return variant;
    }
    if (ref.inventoryItemId !== undefined) {
      const item = this.inventoryItems.get(numericId(ref.inventoryItemId) ?? -1);
      const variant = item && this.variants.get(item.variantId);
      if (variant) return variant;
    }
    if (ref.sku !== undefined) {
      for (const variant of this.variants.values()) if (variant.sku === ref.sku) return variant;
    }
    throw new Error(`sandbox store: no variant for ${JSON.stringify(ref)}`);
  }

  // ───────────── inventory ─────────────

  level(inventoryItemId: number, locationId: number, create = false): StoreLevel {
    const key = `${inventoryItemId}:${locationId}`;
    let level = this.levels.get(key);
    if (!level) {
      if (!create) throw new Error(`sandbox store: item ${inventoryItemId} is not stocked at location ${locationId}`);
      const now = this.now();
      level = { inventoryItemId, locationId, quantities: { available: 0, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 }, createdAt: now, updatedAt: now };
      this.levels.set(key, level);
    }
    return level;
  }

  findLevel(inventoryItemId: number, locationId: number): StoreLevel | undefined {
    return this.levels.get(`${inventoryItemId}:${locationId}`);
  }

  levelsOfItem(inventoryItemId: number): StoreLevel[] {
    return [...this.locations.keys()].flatMap((locationId) => this.findLevel(inventoryItemId, locationId) ?? []);
  }

  quantity(level: StoreLevel, name: QuantityName): number {
    if (name !== "on_hand") return level.quantities[name];
    const q = level.quantities;
    return q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
  }

  /** Applies a signed change to one quantity; "on_hand" changes land on "available" (Shopify's rule). */
  applyDelta(level: StoreLevel, name: QuantityName, delta: number): void {
    const stored: StoredQuantityName = name === "on_hand" ? "available" : name;
    level.quantities[stored] += delta;
    level.updatedAt = this.now();
  }

  /**
   * A change made in the Shopify admin (a merchant editing stock). Returns the inventory_levels/update
   * webhook payload Shopify would send for it.
   */
  setQuantity(input: { inventoryItemId?: number | string; variantId?: number | string; sku?: string; locationId?: number | string; name?: "available" | "on_hand"; quantity: number }): InventoryLevelWebhookPayload {
    const variant = this.findVariant(input);
    const locationId = numericId(input.locationId ?? null) ?? this.defaultLocation().id;
    const level = this.level(variant.inventoryItemId, locationId, true);
    const name = input.name ?? "available";
    this.applyDelta(level, name, input.quantity - this.quantity(level, name));
    return this.inventoryLevelPayload(level);
  }

  inventoryLevelPayload(level: StoreLevel): InventoryLevelWebhookPayload {
    return {
      inventory_item_id: level.inventoryItemId,
      location_id: level.locationId,
      available: level.quantities.available,
      updated_at: shopifyTime(level.updatedAt),
      admin_graphql_api_id: inventoryLevelGid(level),
    };
  }

  // ───────────── orders ─────────────

  /**
   * A new order: commits stock at each line's location (available → committed), as checkout does, with
   * one fulfillment order per location.
   */
  createOrder(input: CreateOrderInput): StoreOrder {
    const createdAt = input.createdAt === undefined ? this.now() : truncateToSecond(new Date(input.createdAt).getTime());
    const orderLocationId = numericId(input.locationId ?? null) ?? this.defaultLocation().id;
    const number = this.nextOrderNumber++;
    const order: StoreOrder = {
      id: this.id(),
      number,
      name: `#${number}`,
      email: input.email ?? null,
      currency: input.currency ?? this.shop.currencyCode,
      createdAt,
      updatedAt: Math.max(createdAt, this.now()),
      cancelledAt: null,
      cancelReason: null,
      lineItems: [],
      refunds: [],
      fulfillmentOrders: [],
    };
    for (const line of input.lineItems) {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new Error(`sandbox store: line quantity must be a positive integer, got ${line.quantity}`);
      const locationId = numericId(line.locationId ?? null) ?? orderLocationId;
      if (!this.locations.has(locationId)) throw new Error(`sandbox store: no location ${locationId}`);
      let fulfillmentOrder = order.fulfillmentOrders.find((candidate) => candidate.locationId === locationId);
      if (!fulfillmentOrder) {
        fulfillmentOrder = { id: this.id(), locationId, createdAt, updatedAt: order.updatedAt };
        order.fulfillmentOrders.push(fulfillmentOrder);
      }
      const variant = line.variantId !== undefined || line.sku !== undefined ? this.findVariant(line) : null;
      const product = variant ? this.products.get(variant.productId) : undefined;
      order.lineItems.push({
        id: this.id(),
        variantId: variant?.id ?? null,
        productId: variant?.productId ?? null,
        sku: variant?.sku ?? line.sku ?? null,
        title: line.title ?? product?.title ?? "Custom item",
        quantity: line.quantity,
        price: line.price ?? variant?.price ?? "0.00",
        locationId,
        fulfilledQuantity: 0,
        fulfillmentOrderId: fulfillmentOrder.id,
      });
      if (variant) this.moveStock(variant.inventoryItemId, locationId, "available", "committed", line.quantity);
    }
    this.orders.set(order.id, order);
    return order;
  }

  /** Cancels the order; by default restocks what was not shipped (committed → available). */
  cancelOrder(orderId: number | string, options: { restock?: boolean; reason?: string } = {}): StoreOrder {
    const order = this.order(orderId);
    if (order.cancelledAt !== null) return order;
    const lines = order.lineItems
      .map((line) => ({ line, open: this.unfulfilledQuantity(order, line) }))
      .filter(({ open }) => open > 0)
      .map(({ line, open }) => ({ lineItemId: line.id, quantity: open, restockType: options.restock === false ? ("NO_RESTOCK" as const) : ("CANCEL" as const) }));
    if (lines.length > 0) this.refund(order.id, lines);
    order.cancelledAt = this.now();
    order.cancelReason = options.reason ?? "CUSTOMER";
    order.updatedAt = this.now();
    return order;
  }

  /**
   * A refund of line quantities. CANCEL (not yet shipped) and NO_RESTOCK release the commitment; CANCEL
   * puts the units back to available. RETURN (shipped, came back) adds them to available.
   */
  refund(orderId: number | string, lines: Array<{ lineItemId: number | string; quantity: number; restockType?: RefundRestockType; locationId?: number | string }>, note: string | null = null): StoreRefund {
    const order = this.order(orderId);
    const refund: StoreRefund = { id: this.id(), orderId: order.id, createdAt: this.now(), note, lines: [] };
    for (const spec of lines) {
      const line = order.lineItems.find((candidate) => candidate.id === numericId(spec.lineItemId));
      if (!line) throw new Error(`sandbox store: order ${order.id} has no line item ${spec.lineItemId}`);
      const refundable = line.quantity - this.refundedQuantity(order, line.id);
      if (spec.quantity <= 0 || spec.quantity > refundable) throw new Error(`sandbox store: cannot refund ${spec.quantity} of line ${line.id} (refundable ${refundable})`);
      const restockType = spec.restockType ?? (line.fulfilledQuantity > 0 ? "RETURN" : "CANCEL");
      const locationId = numericId(spec.locationId ?? null) ?? line.locationId;
      refund.lines.push({ id: this.id(), lineItemId: line.id, quantity: spec.quantity, restockType, locationId });
      const variant = line.variantId === null ? undefined : this.variants.get(line.variantId);
      if (variant && locationId !== null) {
        const level = this.level(variant.inventoryItemId, locationId, true);
        if (restockType === "CANCEL") this.moveStock(variant.inventoryItemId, locationId, "committed", "available", spec.quantity);
        else if (restockType === "NO_RESTOCK" && line.fulfilledQuantity === 0) this.applyDelta(level, "committed", -spec.quantity);
        else if (restockType === "RETURN") this.applyDelta(level, "available", spec.quantity);
      }
    }
    order.refunds.push(refund);
    order.updatedAt = this.now();
    return refund;
  }

  /** Ships every open unit: committed stock leaves the building (on hand goes down). */
  fulfillOrder(orderId: number | string): StoreOrder {
    const order = this.order(orderId);
    for (const line of order.lineItems) {
      const open = this.unfulfilledQuantity(order, line);
      if (open <= 0) continue;
      line.fulfilledQuantity += open;
      const variant = line.variantId === null ? undefined : this.variants.get(line.variantId);
      if (variant && line.locationId !== null) this.applyDelta(this.level(variant.inventoryItemId, line.locationId, true), "committed", -open);
    }
    order.updatedAt = this.now();
    return order;
  }

  /**
   * The merchant (or an app) moves a fulfillment order to another location: its committed stock goes
   * with it. Like Shopify's first move scenario, only a fulfillment order with nothing fulfilled yet moves
   * whole. Shopify does not document that a move changes the order's updatedAt, so the sandbox leaves it.
   */
  moveFulfillmentOrder(fulfillmentOrderId: number | string, newLocationId: number | string): StoreFulfillmentOrder {
    const id = numericId(fulfillmentOrderId);
    const order = [...this.orders.values()].find((candidate) => candidate.fulfillmentOrders.some((fo) => fo.id === id));
    const fulfillmentOrder = order?.fulfillmentOrders.find((fo) => fo.id === id);
    if (!order || !fulfillmentOrder) throw new Error(`sandbox store: no fulfillment order ${fulfillmentOrderId}`);
    const to = numericId(newLocationId);
    if (to === null || !this.locations.has(to)) throw new Error(`sandbox store: no location ${newLocationId}`);
    const lines = order.lineItems.filter((line) => line.fulfillmentOrderId === fulfillmentOrder.id);
    if (order.cancelledAt !== null || lines.some((line) => line.fulfilledQuantity > 0)) throw new Error(`sandbox store: fulfillment order ${fulfillmentOrder.id} is not open with nothing fulfilled`);
    for (const line of lines) {
      const open = this.unfulfilledQuantity(order, line);
      const variant = line.variantId === null ? undefined : this.variants.get(line.variantId);
      if (variant && open > 0) {
        this.moveStock(variant.inventoryItemId, fulfillmentOrder.locationId, "committed", "available", open);
        this.moveStock(variant.inventoryItemId, to, "available", "committed", open);
      }
      line.locationId = to;
    }
    fulfillmentOrder.locationId = to;
    fulfillmentOrder.updatedAt = this.now();
    return fulfillmentOrder;
  }

  order(orderId: number | string): StoreOrder {
    const order = this.orders.get(numericId(orderId) ?? -1);
    if (!order) throw new Error(`sandbox store: no order ${orderId}`);
    return order;
  }

  refundedQuantity(order: StoreOrder, lineItemId: number): number {
    return order.refunds.reduce((sum, refund) => sum + refund.lines.filter((line) => line.lineItemId === lineItemId).reduce((s, line) => s + line.quantity, 0), 0);
  }

  /** Shopify's LineItem.currentQuantity: ordered minus refunded/removed. */
  currentQuantity(order: StoreOrder, line: StoreLineItem): number {
    return line.quantity - this.refundedQuantity(order, line.id);
  }

  unfulfilledQuantity(order: StoreOrder, line: StoreLineItem): number {
    return Math.max(0, this.currentQuantity(order, line) - line.fulfilledQuantity);
  }

  private moveStock(inventoryItemId: number, locationId: number, from: StoredQuantityName, to: StoredQuantityName, quantity: number): void {
    const level = this.level(inventoryItemId, locationId, true);
    this.applyDelta(level, from, -quantity);
    this.applyDelta(level, to, quantity);
  }
}

export function inventoryLevelGid(level: { inventoryItemId: number; locationId: number }): string {
  return `${gid("InventoryLevel", level.locationId)}?inventory_item_id=${level.inventoryItemId}`;
}

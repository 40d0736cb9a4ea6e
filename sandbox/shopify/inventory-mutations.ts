import { valueFromASTUntyped, type GraphQLResolveInfo } from "graphql";
import { gid, numericId } from "./ids.ts";
import type { QuantityName, ShopifyStore, StoreLevel } from "./store.ts";
import type { Views } from "./views.ts";

// inventorySetQuantities and inventoryAdjustQuantities as 2026-10 behaves:
// - the @idempotent(key:) directive is required (since 2026-04); the same key with the same arguments
//   replays the first result and applies nothing, the same key with other arguments is refused;
// - every quantity must carry changeFromQuantity explicitly (an Int to compare-and-set, or null to skip);
//   a mismatch refuses the whole request with CHANGE_FROM_QUANTITY_STALE and changes nothing;
// - all inputs are validated before anything changes (a request applies entirely or not at all).

/** A failure Shopify reports as a top-level error (no data), not as userErrors. */
export class RequestLevelError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export const IDEMPOTENT_MUTATIONS = new Set(["inventorySetQuantities", "inventoryAdjustQuantities", "inventoryMoveQuantities", "refundCreate"]);

const REASONS = new Set([
  "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated", "movement_received", "movement_canceled",
  "other", "promotion", "quality_control", "received", "reservation_created", "reservation_deleted", "reservation_updated", "restock",
  "safety_stock", "shrinkage",
]);
const SET_NAMES = new Set(["available", "on_hand"]);
const ADJUST_NAMES = new Set(["available", "on_hand", "damaged", "incoming", "quality_control", "reserved", "safety_stock"]);
const MAX_QUANTITY = 1_000_000_000;

type UserError = { field: string[]; message: string; code: string };
type Change = { inventoryItemId: number; locationId: number; name: QuantityName; delta: number; quantityAfterChange: number };
type Payload = { inventoryAdjustmentGroup: unknown; userErrors: UserError[] };
type Args = Record<string, unknown>;

export class InventoryMutations {
  private readonly idempotency = new Map<string, { fingerprint: string; payload: Payload }>();
  private groupIds = 1;

  constructor(
    private readonly store: ShopifyStore,
    private readonly views: Views,
  ) {}

  resolvers() {
    return {
      inventorySetQuantities: (args: Args, _ctx: unknown, info: GraphQLResolveInfo) => this.idempotent(info, args, () => this.set(args.input as SetInput)),
      inventoryAdjustQuantities: (args: Args, _ctx: unknown, info: GraphQLResolveInfo) => this.idempotent(info, args, () => this.adjust(args.input as AdjustInput)),
    };
  }

  private idempotent(info: GraphQLResolveInfo, args: Args, run: () => Payload): Payload {
    const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === "idempotent");
    const keyNode = directive?.arguments?.find((a) => a.name.value === "key");
    const key = keyNode ? valueFromASTUntyped(keyNode.value, info.variableValues) : undefined;
    if (typeof key !== "string" || key.length === 0) {
      throw new RequestLevelError("The @idempotent directive is required for this mutation but was not provided.", "BAD_REQUEST");
    }
    this.requireChangeFromQuantity(info.fieldName, args);
    const fingerprint = JSON.stringify([info.fieldName, args]);
    const previous = this.idempotency.get(key);
    if (previous) {
      if (previous.fingerprint === fingerprint) return previous.payload;
      return {
        inventoryAdjustmentGroup: null,
        userErrors: [{ field: ["input"], message: "The same idempotency key cannot be used with different operation parameters.", code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }],
      };
    }
    const payload = run();
    this.idempotency.set(key, { fingerprint, payload });
    return payload;
  }

  /** Coerced input objects only hold the fields the client sent, so an omitted field is absent. */
  private requireChangeFromQuantity(fieldName: string, args: Args): void {
    const input = args.input as { quantities?: object[]; changes?: object[] };
    const rows = fieldName === "inventorySetQuantities" ? input.quantities : input.changes;
    const typeName = fieldName === "inventorySetQuantities" ? "InventoryQuantityInput" : "InventoryChangeInput";
    if ((rows ?? []).some((row) => !Object.hasOwn(row, "changeFromQuantity"))) {
      throw new RequestLevelError(`${typeName} must include the following argument: changeFromQuantity`, "INVALID_FIELD_ARGUMENTS");
    }
  }

  private set(input: SetInput): Payload {
    const errors: UserError[] = [];
    if (!SET_NAMES.has(input.name)) errors.push({ field: ["input", "name"], message: "The quantity name must be either 'available' or 'on_hand'.", code: "INVALID_NAME" });
    if (!REASONS.has(input.reason)) errors.push({ field: ["input", "reason"], message: "The specified reason is invalid.", code: "INVALID_REASON" });
    const name = input.name as QuantityName;
    const changes: Change[] = [];
    const seen = new Set<string>();
    input.quantities.forEach((row, index) => {
      const at = ["input", "quantities", String(index)];
      const level = this.resolveLevel(row.inventoryItemId, row.locationId, at, errors);
      if (!level) return;
      const pair = `${level.inventoryItemId}:${level.locationId}`;
      if (seen.has(pair)) errors.push({ field: at, message: "The combination of inventoryItemId and locationId must be unique.", code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR" });
      seen.add(pair);
      if (row.quantity > MAX_QUANTITY) errors.push({ field: [...at, "quantity"], message: "The quantity can't be higher than 1,000,000,000.", code: "INVALID_QUANTITY_TOO_HIGH" });
      if (name === "on_hand" && row.quantity < 0) errors.push({ field: [...at, "quantity"], message: "The quantity can't be negative.", code: "INVALID_QUANTITY_NEGATIVE" });
      if (!SET_NAMES.has(input.name)) return;
      const current = this.store.quantity(level, name);
      if (row.changeFromQuantity !== null && row.changeFromQuantity !== undefined && row.changeFromQuantity !== current) {
        errors.push({ field: [...at, "changeFromQuantity"], message: "The changeFromQuantity value does not match persisted value.", code: "CHANGE_FROM_QUANTITY_STALE" });
        return;
      }
      changes.push({ inventoryItemId: level.inventoryItemId, locationId: level.locationId, name, delta: row.quantity - current, quantityAfterChange: row.quantity });
    });
    return this.apply(errors, changes, input.reason, input.referenceDocumentUri ?? null);
  }

  private adjust(input: AdjustInput): Payload {
    const errors: UserError[] = [];
    if (!ADJUST_NAMES.has(input.name)) errors.push({ field: ["input", "name"], message: `'${input.name}' is not a valid quantity name.`, code: "INVALID_QUANTITY_NAME" });
    if (!REASONS.has(input.reason)) errors.push({ field: ["input", "reason"], message: "The specified reason is invalid.", code: "INVALID_REASON" });
    const name = input.name as QuantityName;
    const changes: Change[] = [];
    input.changes.forEach((row, index) => {
      const at = ["input", "changes", String(index)];
      const level = this.resolveLevel(row.inventoryItemId, row.locationId, at, errors);
      if (!level || !ADJUST_NAMES.has(input.name)) return;
      const current = this.store.quantity(level, name);
      if (row.changeFromQuantity !== null && row.changeFromQuantity !== undefined && row.changeFromQuantity !== current) {
        errors.push({ field: [...at, "changeFromQuantity"], message: "The changeFromQuantity value does not match persisted value.", code: "CHANGE_FROM_QUANTITY_STALE" });
        return;
      }
      if (current + row.delta > MAX_QUANTITY) errors.push({ field: [...at, "delta"], message: "The quantity can't be higher than 1,000,000,000.", code: "INVALID_QUANTITY_TOO_HIGH" });
      changes.push({ inventoryItemId: level.inventoryItemId, locationId: level.locationId, name, delta: row.delta, quantityAfterChange: current + row.delta });
    });
    return this.apply(errors, changes, input.reason, input.referenceDocumentUri ?? null);
  }

  private resolveLevel(itemRef: string, locationRef: string, at: string[], errors: UserError[]): StoreLevel | undefined {
    const item = this.store.inventoryItems.get(numericId(itemRef) ?? -1);
    const location = this.store.locations.get(numericId(locationRef) ?? -1);
    if (!item) errors.push({ field: [...at, "inventoryItemId"], message: "The specified inventory item could not be found.", code: "INVALID_INVENTORY_ITEM" });
    if (!location) errors.push({ field: [...at, "locationId"], message: "The specified location could not be found.", code: "INVALID_LOCATION" });
    if (!item || !location) return undefined;
    // Setting stock at a location the item is not stocked at yet activates it there.
    return this.store.level(item.id, location.id, true);
  }

  private apply(errors: UserError[], changes: Change[], reason: string, referenceDocumentUri: string | null): Payload {
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const effective = changes.filter((change) => change.delta !== 0);
    const recorded: Change[] = [];
    for (const change of effective) {
      const level = this.store.level(change.inventoryItemId, change.locationId);
      this.store.applyDelta(level, change.name, change.delta);
      recorded.push({ ...change, quantityAfterChange: this.store.quantity(level, change.name) });
      // Available and on hand move together (the units are physically there or not).
      const companion: QuantityName | null = change.name === "available" ? "on_hand" : change.name === "on_hand" ? "available" : null;
      if (companion) recorded.push({ ...change, name: companion, quantityAfterChange: this.store.quantity(level, companion) });
    }
    if (recorded.length === 0) return { inventoryAdjustmentGroup: null, userErrors: [] };
    const createdAt = new Date(this.store.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const group = {
      id: gid("InventoryAdjustmentGroup", this.groupIds++),
      createdAt,
      reason,
      referenceDocumentUri,
      app: null,
      staffMember: null,
      changes: (args: { inventoryItemIds?: string[]; locationIds?: string[]; quantityNames?: string[] }) =>
        recorded
          .filter((change) => !args.inventoryItemIds || args.inventoryItemIds.some((id) => numericId(id) === change.inventoryItemId))
          .filter((change) => !args.locationIds || args.locationIds.some((id) => numericId(id) === change.locationId))
          .filter((change) => !args.quantityNames || args.quantityNames.includes(change.name))
          .map((change) => ({
            name: change.name,
            delta: change.delta,
            quantityAfterChange: change.quantityAfterChange,
            ledgerDocumentUri: null,
            item: () => this.views.inventoryItem(this.store.inventoryItems.get(change.inventoryItemId)!),
            location: () => this.views.location(this.store.locations.get(change.locationId)!),
          })),
    };
    return { inventoryAdjustmentGroup: group, userErrors: [] };
  }
}

type SetInput = { name: string; reason: string; referenceDocumentUri?: string | null; quantities: Array<{ inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity?: number | null }> };
type AdjustInput = { name: string; reason: string; referenceDocumentUri?: string | null; changes: Array<{ inventoryItemId: string; locationId: string; delta: number; changeFromQuantity?: number | null }> };

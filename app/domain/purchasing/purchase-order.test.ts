import type { $Enums } from "@prisma/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  PO_STATUS_GROUPS,
  PO_TRANSITIONS,
  PURCHASE_ORDER_EVENT_NAMES,
  PURCHASE_ORDER_STATUSES,
  statusGroup,
  transition,
  type ActorType,
  type PurchaseOrderEventName,
  type PurchaseOrderState,
  type PurchaseOrderStatus,
} from "./purchase-order.ts";

const APPROVED = new Date("2026-03-01T10:00:00Z");
const ACTORS: ActorType[] = ["MERCHANT", "SUPPLIER", "SYSTEM"];

function po(status: PurchaseOrderStatus, approved = true, extra: Partial<PurchaseOrderState> = {}): PurchaseOrderState {
  return { status, approvedAt: approved ? APPROVED : null, acknowledgedAt: null, firstReceivedAt: null, ...extra };
}

describe("statuses and groups", () => {
  it("mirror the Prisma enum exactly", () => {
    expectTypeOf<PurchaseOrderStatus>().toEqualTypeOf<$Enums.PurchaseOrderStatus>();
  });

  it("put every status in exactly one group", () => {
    const grouped = [...PO_STATUS_GROUPS.OPEN, ...PO_STATUS_GROUPS.COMPLETE, ...PO_STATUS_GROUPS.FAILED];
    expect([...grouped].sort()).toEqual([...PURCHASE_ORDER_STATUSES].sort());
    expect(statusGroup("COUNTERED")).toBe("OPEN");
    expect(statusGroup("CLOSED")).toBe("COMPLETE");
    expect(statusGroup("CANCELLED")).toBe("FAILED");
  });
});

// Every legal move, written out by hand (not derived from the table it checks).
const LEGAL: [PurchaseOrderStatus, PurchaseOrderEventName, ActorType, PurchaseOrderStatus][] = [
  ["DRAFT", "submit", "MERCHANT", "AWAITING_APPROVAL"],
  ["DRAFT", "submit", "SYSTEM", "AWAITING_APPROVAL"],
  ["DRAFT", "approve", "MERCHANT", "DRAFT"],
  ["AWAITING_APPROVAL", "approve", "MERCHANT", "AWAITING_APPROVAL"],
  ["DRAFT", "auto-approve", "SYSTEM", "DRAFT"],
  ["AWAITING_APPROVAL", "auto-approve", "SYSTEM", "AWAITING_APPROVAL"],
  ["DRAFT", "send", "MERCHANT", "SENT"],
  ["DRAFT", "send", "SYSTEM", "SENT"],
  ["AWAITING_APPROVAL", "send", "MERCHANT", "SENT"],
  ["AWAITING_APPROVAL", "send", "SYSTEM", "SENT"],
  ["SENT", "acknowledge", "SUPPLIER", "ACKNOWLEDGED"],
  ["SENT", "counter", "SUPPLIER", "COUNTERED"],
  ["ACKNOWLEDGED", "counter", "SUPPLIER", "COUNTERED"],
  ["COUNTERED", "counter", "SUPPLIER", "COUNTERED"],
  ["COUNTERED", "counter-back", "MERCHANT", "COUNTERED"],
  ["SENT", "accept", "SUPPLIER", "CONFIRMED"],
  ["ACKNOWLEDGED", "accept", "SUPPLIER", "CONFIRMED"],
  ["COUNTERED", "accept", "SUPPLIER", "CONFIRMED"],
  ["COUNTERED", "accept-counter", "MERCHANT", "CONFIRMED"],
  ["CONFIRMED", "ship", "SUPPLIER", "SHIPPED"],
  ["SHIPPED", "mark-arriving", "SYSTEM", "ARRIVING"],
  ...(["SENT", "ACKNOWLEDGED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"] as const).flatMap(
    (from) =>
      [
        [from, "receive-partial", "SYSTEM", "PARTIALLY_RECEIVED"],
        [from, "receive-complete", "SYSTEM", "RECEIVED"],
      ] as [PurchaseOrderStatus, PurchaseOrderEventName, ActorType, PurchaseOrderStatus][],
  ),
  ["RECEIVED", "close", "MERCHANT", "CLOSED"],
  ["PARTIALLY_RECEIVED", "close", "MERCHANT", "CLOSED"],
  ["PARTIALLY_RECEIVED", "unreceive", "MERCHANT", "PARTIALLY_RECEIVED"],
  ["RECEIVED", "unreceive", "MERCHANT", "PARTIALLY_RECEIVED"],
  ["CLOSED", "unreceive", "MERCHANT", "PARTIALLY_RECEIVED"],
  ...(["DRAFT", "AWAITING_APPROVAL", "SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING"] as const).map(
    (from) => [from, "cancel", "MERCHANT", "CANCELLED"] as [PurchaseOrderStatus, PurchaseOrderEventName, ActorType, PurchaseOrderStatus],
  ),
];

function approvalFor(event: PurchaseOrderEventName): boolean {
  // approve/auto-approve need an unapproved PO; everything else is tried on an approved one.
  return event !== "approve" && event !== "auto-approve";
}

describe("transition: every legal move", () => {
  it.each(LEGAL)("%s --%s by %s--> %s", (from, event, actor, to) => {
    const result = transition(po(from, approvalFor(event)), event, { type: actor, name: "Ana" });
    expect(result).toMatchObject({ ok: true, value: { to, record: { type: "STATUS_CHANGE", event, actorType: actor, actorName: "Ana", fromStatus: from, toStatus: to } } });
  });

  it("the hand-written list is the whole table: no legal move is untested, none is invented", () => {
    const fromTable = new Set<string>();
    for (const event of PURCHASE_ORDER_EVENT_NAMES) {
      const rule = PO_TRANSITIONS[event];
      for (const from of rule.from) for (const actor of rule.actors) fromTable.add(`${from} ${event} ${actor}`);
    }
    expect(new Set(LEGAL.map(([from, event, actor]) => `${from} ${event} ${actor}`))).toEqual(fromTable);
  });

  it("is exactly the set of (status, event, actor) the machine accepts", () => {
    const legal = new Set(LEGAL.map(([from, event, actor]) => `${from} ${event} ${actor}`));
    for (const status of PURCHASE_ORDER_STATUSES) {
      for (const event of PURCHASE_ORDER_EVENT_NAMES) {
        for (const actor of ACTORS) {
          const result = transition(po(status, approvalFor(event)), event, { type: actor });
          expect(result.ok, `${status} ${event} ${actor}`).toBe(legal.has(`${status} ${event} ${actor}`));
        }
      }
    }
  });
});

describe("transition: timestamps", () => {
  it.each([
    ["approve", "DRAFT", false, ["approvedAt"]],
    ["send", "AWAITING_APPROVAL", true, ["sentAt"]],
    ["acknowledge", "SENT", true, ["acknowledgedAt"]],
    ["accept", "SENT", true, ["confirmedAt", "acknowledgedAt"]],
    ["counter", "SENT", true, ["acknowledgedAt"]],
    ["accept-counter", "COUNTERED", true, ["confirmedAt"]],
    ["ship", "CONFIRMED", true, ["shippedAt"]],
    ["mark-arriving", "SHIPPED", true, ["deliveredAt"]],
    ["receive-partial", "ARRIVING", true, ["firstReceivedAt"]],
    ["receive-complete", "ARRIVING", true, ["receivedAt", "firstReceivedAt"]],
    ["close", "RECEIVED", true, ["closedAt"]],
    ["cancel", "SENT", true, ["cancelledAt"]],
  ] as const)("%s from %s stamps %j", (event, from, approved, stamps) => {
    const actor = PO_TRANSITIONS[event].actors[0];
    const result = transition(po(from, approved), event, { type: actor });
    expect(result.ok && result.value.stamp).toEqual(stamps);
  });

  it("keeps the first acknowledgment and the first receipt", () => {
    const later = transition(po("ACKNOWLEDGED", true, { acknowledgedAt: APPROVED }), "accept", { type: "SUPPLIER" });
    expect(later.ok && later.value.stamp).toEqual(["confirmedAt"]);
    const second = transition(po("PARTIALLY_RECEIVED", true, { firstReceivedAt: APPROVED }), "receive-complete", { type: "SYSTEM" });
    expect(second.ok && second.value.stamp).toEqual(["receivedAt"]);
  });

  it("describes the move in the record", () => {
    const result = transition(po("SENT", true, { number: "PO-2026-0001" }), "acknowledge", { type: "SUPPLIER", name: "Acme" });
    expect(result.ok && result.value.record.message).toBe("Acknowledged by the supplier (Acme): sent → acknowledged");
  });

  it("names the actor once and says in words when the status does not move", () => {
    const result = transition(po("DRAFT", false), "auto-approve", { type: "SYSTEM", name: "approval policy" });
    expect(result.ok && result.value.record.message).toBe("Approved by the shop's approval policy; status stays draft");
  });
});

describe("transition: illegal moves are refused with a clear error", () => {
  it.each([
    ["DRAFT", "ship", "SUPPLIER", true, "illegal_from_status", "Cannot ship PO-1: it is draft (allowed from: confirmed)"],
    ["SENT", "submit", "MERCHANT", true, "illegal_from_status", "Cannot submit PO-1: it is sent"],
    ["CLOSED", "cancel", "MERCHANT", true, "illegal_from_status", "Cannot cancel PO-1: it is closed"],
    ["CANCELLED", "send", "MERCHANT", true, "illegal_from_status", "Cannot send PO-1: it is cancelled"],
    ["RECEIVED", "receive-partial", "SYSTEM", true, "illegal_from_status", "it is received"],
    ["COUNTERED", "receive-partial", "SYSTEM", true, "illegal_from_status", "it is countered"],
    ["PARTIALLY_RECEIVED", "cancel", "MERCHANT", true, "illegal_from_status", "it is partially received"],
    ["CONFIRMED", "counter", "SUPPLIER", true, "illegal_from_status", "Cannot counter PO-1"],
    ["SHIPPED", "close", "MERCHANT", true, "illegal_from_status", "Cannot close PO-1"],
    ["AWAITING_APPROVAL", "approve", "SUPPLIER", false, "actor_not_allowed", "Only the merchant can approve a purchase order, not the supplier"],
    ["AWAITING_APPROVAL", "auto-approve", "MERCHANT", false, "actor_not_allowed", "Only the system can auto-approve"],
    ["SENT", "acknowledge", "MERCHANT", true, "actor_not_allowed", "Only the supplier can acknowledge"],
    ["COUNTERED", "accept-counter", "SUPPLIER", true, "actor_not_allowed", "Only the merchant can accept-counter"],
    ["SENT", "cancel", "SUPPLIER", true, "actor_not_allowed", "Only the merchant can cancel"],
    ["RECEIVED", "close", "SYSTEM", true, "actor_not_allowed", "Only the merchant can close"],
    ["AWAITING_APPROVAL", "send", "MERCHANT", false, "not_approved", "Cannot send PO-1: it has not been approved"],
    ["DRAFT", "send", "SYSTEM", false, "not_approved", "has not been approved"],
    ["AWAITING_APPROVAL", "approve", "MERCHANT", true, "already_approved", "Cannot approve PO-1: it is already approved"],
    ["DRAFT", "auto-approve", "SYSTEM", true, "already_approved", "already approved"],
  ] as const)("%s --%s by %s--> refused", (from, event, actor, approved, code, message) => {
    const result = transition(po(from, approved, { number: "PO-1" }), event, { type: actor });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });

  it("refuses an event it does not know, including Object.prototype names", () => {
    for (const name of ["teleport", "toString", "constructor", "__proto__"]) {
      const result = transition(po("DRAFT"), name, { type: "MERCHANT" });
      expect(result).toMatchObject({ ok: false, error: { code: "unknown_event" } });
    }
  });
});

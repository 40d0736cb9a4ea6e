/**
 * The purchase-order lifecycle as an explicit state machine (issue 5, item 1). Pure: the service locks
 * the row, asks `transition` what an event does, and persists what it returns.
 *
 *   DRAFT ─submit→ AWAITING_APPROVAL ─send→ SENT ─acknowledge→ ACKNOWLEDGED ─counter→ COUNTERED
 *   COUNTERED ─counter / counter-back→ COUNTERED (any number of rounds) ─accept / accept-counter→ CONFIRMED
 *   CONFIRMED ─ship→ SHIPPED ─mark-arriving→ ARRIVING ─receive-partial→ PARTIALLY_RECEIVED ─receive-complete→ RECEIVED ─close→ CLOSED
 *   any open state except PARTIALLY_RECEIVED ─cancel→ CANCELLED
 *
 * Decisions (why, where the issue left room):
 * - The schema has no APPROVED status: approval is recorded (approvedAt/approvedBy) by `approve` /
 *   `auto-approve` without changing the status, and `send` requires it. An approved, manually sent PO
 *   therefore waits in DRAFT or AWAITING_APPROVAL with approvedAt set until someone presses Send. A
 *   second approval is refused, which is what makes two concurrent approvals end with exactly one winner.
 * - A supplier may accept or counter straight from SENT (the portal offers "accept as is" without a
 *   separate acknowledge click); accepting stamps acknowledgedAt too when it was never set.
 * - Goods may be received from SENT onwards (suppliers ship without confirming more often than not),
 *   but not while a counter-offer is open: the terms being received against are not agreed.
 * - A PARTIALLY_RECEIVED PO cannot be cancelled (its received stock would be orphaned); it is closed
 *   short with `close` instead, and the shortfall is written off separately.
 * - Whose turn it is inside a negotiation (the supplier should not accept their own counter) is not
 *   tracked here: it lives in the OFFER thread, which the portal work builds on top of this.
 */
import { err, ok, type Result } from "../shared/result.ts";

export const PURCHASE_ORDER_STATUSES = [
  "DRAFT",
  "AWAITING_APPROVAL",
  "SENT",
  "ACKNOWLEDGED",
  "COUNTERED",
  "CONFIRMED",
  "SHIPPED",
  "ARRIVING",
  "PARTIALLY_RECEIVED",
  "RECEIVED",
  "CLOSED",
  "CANCELLED",
] as const;

/** Mirrors Prisma's PurchaseOrderStatus (the domain may not import Prisma); a type test keeps them equal. */
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

/** InvenTree-style groups: the admin filters and "open PO" queries use these, never ad-hoc lists. */
export const PO_STATUS_GROUPS = {
  OPEN: ["DRAFT", "AWAITING_APPROVAL", "SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"],
  COMPLETE: ["RECEIVED", "CLOSED"],
  FAILED: ["CANCELLED"],
} as const satisfies Record<string, readonly PurchaseOrderStatus[]>;

export type PoStatusGroup = keyof typeof PO_STATUS_GROUPS;

export function statusGroup(status: PurchaseOrderStatus): PoStatusGroup {
  for (const group of ["OPEN", "COMPLETE", "FAILED"] as const) {
    if ((PO_STATUS_GROUPS[group] as readonly PurchaseOrderStatus[]).includes(status)) return group;
  }
  // Unreachable while the groups cover every status (a unit test checks they do).
  throw new RangeError(`status ${status} is in no group`);
}

export function isOpenStatus(status: PurchaseOrderStatus): boolean {
  return statusGroup(status) === "OPEN";
}

export type ActorType = "MERCHANT" | "SUPPLIER" | "SYSTEM";

export interface Actor {
  type: ActorType;
  /** Who exactly: a staff member's name or email, the supplier contact, or the job ("reorder run"). */
  name?: string | null;
}

/** Timestamp columns a transition sets; the service writes its own clock into them. */
export type TimestampField =
  | "approvedAt"
  | "sentAt"
  | "acknowledgedAt"
  | "confirmedAt"
  | "shippedAt"
  | "deliveredAt"
  | "firstReceivedAt"
  | "receivedAt"
  | "closedAt"
  | "cancelledAt";

/** Columns that keep the first occurrence; PurchaseOrderState carries their current values. */
type FirstTimeField = "acknowledgedAt" | "firstReceivedAt";

interface TransitionRule {
  from: readonly PurchaseOrderStatus[];
  /** `null`: the status stays (approval, a further negotiation round). */
  to: PurchaseOrderStatus | null;
  actors: readonly ActorType[];
  stamps: readonly TimestampField[];
  /** Stamped only when not set yet (the first time it happened). */
  stampsIfUnset?: readonly FirstTimeField[];
  requiresApproval?: boolean;
  refusesApproved?: boolean;
  describe: string;
}

const OPEN = PO_STATUS_GROUPS.OPEN;
const RECEIVABLE = ["SENT", "ACKNOWLEDGED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"] as const;

/** Every legal move. Anything not listed here is refused. */
export const PO_TRANSITIONS = {
  submit: { from: ["DRAFT"], to: "AWAITING_APPROVAL", actors: ["MERCHANT", "SYSTEM"], stamps: [], describe: "submitted for approval" },
  approve: {
    from: ["DRAFT", "AWAITING_APPROVAL"], to: null, actors: ["MERCHANT"], stamps: ["approvedAt"], refusesApproved: true, describe: "approved",
  },
  "auto-approve": {
    from: ["DRAFT", "AWAITING_APPROVAL"], to: null, actors: ["SYSTEM"], stamps: ["approvedAt"], refusesApproved: true,
    describe: "approved by the shop's approval policy",
  },
  // SYSTEM sends for suppliers with auto-send (the dispatch job); a person sends the others.
  send: {
    from: ["DRAFT", "AWAITING_APPROVAL"], to: "SENT", actors: ["MERCHANT", "SYSTEM"], stamps: ["sentAt"], requiresApproval: true,
    describe: "sent to the supplier",
  },
  acknowledge: { from: ["SENT"], to: "ACKNOWLEDGED", actors: ["SUPPLIER"], stamps: ["acknowledgedAt"], describe: "acknowledged by the supplier" },
  counter: {
    from: ["SENT", "ACKNOWLEDGED", "COUNTERED"], to: "COUNTERED", actors: ["SUPPLIER"], stamps: [], stampsIfUnset: ["acknowledgedAt"],
    describe: "countered by the supplier",
  },
  "counter-back": { from: ["COUNTERED"], to: "COUNTERED", actors: ["MERCHANT"], stamps: [], describe: "countered back by the merchant" },
  accept: {
    from: ["SENT", "ACKNOWLEDGED", "COUNTERED"], to: "CONFIRMED", actors: ["SUPPLIER"], stamps: ["confirmedAt"], stampsIfUnset: ["acknowledgedAt"],
    describe: "accepted by the supplier",
  },
  "accept-counter": {
    from: ["COUNTERED"], to: "CONFIRMED", actors: ["MERCHANT"], stamps: ["confirmedAt"], describe: "supplier's counter-offer accepted by the merchant",
  },
  ship: { from: ["CONFIRMED"], to: "SHIPPED", actors: ["SUPPLIER"], stamps: ["shippedAt"], describe: "shipped by the supplier" },
  // The carrier reports delivery; the goods are at the dock but not counted yet.
  "mark-arriving": { from: ["SHIPPED"], to: "ARRIVING", actors: ["SYSTEM"], stamps: ["deliveredAt"], describe: "delivered by the carrier" },
  "receive-partial": {
    from: RECEIVABLE, to: "PARTIALLY_RECEIVED", actors: ["SYSTEM"], stamps: [], stampsIfUnset: ["firstReceivedAt"], describe: "partly received",
  },
  "receive-complete": {
    from: RECEIVABLE, to: "RECEIVED", actors: ["SYSTEM"], stamps: ["receivedAt"], stampsIfUnset: ["firstReceivedAt"], describe: "fully received",
  },
  // Un-receive (a receipt reversed with compensating movements): the goods are counted as not here
  // again, so a received or closed PO reopens for receiving; the service clears receivedAt/closedAt.
  unreceive: {
    from: ["PARTIALLY_RECEIVED", "RECEIVED", "CLOSED"], to: "PARTIALLY_RECEIVED", actors: ["MERCHANT"], stamps: [],
    describe: "receipt reversed (un-received)",
  },
  // From PARTIALLY_RECEIVED: closed short, the rest will not come.
  close: { from: ["RECEIVED", "PARTIALLY_RECEIVED"], to: "CLOSED", actors: ["MERCHANT"], stamps: ["closedAt"], describe: "closed" },
  cancel: {
    from: OPEN.filter((s) => s !== "PARTIALLY_RECEIVED"), to: "CANCELLED", actors: ["MERCHANT"], stamps: ["cancelledAt"], describe: "cancelled",
  },
} as const satisfies Record<string, TransitionRule>;

export type PurchaseOrderEventName = keyof typeof PO_TRANSITIONS;

export const PURCHASE_ORDER_EVENT_NAMES = Object.keys(PO_TRANSITIONS) as PurchaseOrderEventName[];

export function isPurchaseOrderEventName(value: string): value is PurchaseOrderEventName {
  return Object.hasOwn(PO_TRANSITIONS, value);
}

/** What the machine needs to know about a PO. */
export interface PurchaseOrderState {
  status: PurchaseOrderStatus;
  approvedAt: Date | null;
  acknowledgedAt?: Date | null;
  firstReceivedAt?: Date | null;
  /** For messages only. */
  number?: string;
}

/** The row to append to the PO's event log. */
export interface StatusChangeRecord {
  type: "STATUS_CHANGE";
  event: PurchaseOrderEventName;
  actorType: ActorType;
  actorName: string | null;
  fromStatus: PurchaseOrderStatus;
  toStatus: PurchaseOrderStatus;
  message: string;
}

export interface TransitionOutcome {
  to: PurchaseOrderStatus;
  /** Columns to set to "now"; `approvedAt` goes with approvedBy = actor name. */
  stamp: TimestampField[];
  record: StatusChangeRecord;
}

export type TransitionErrorCode = "unknown_event" | "actor_not_allowed" | "illegal_from_status" | "not_approved" | "already_approved";

export interface TransitionError {
  code: TransitionErrorCode;
  message: string;
}

const ACTOR_WORD: Record<ActorType, string> = { MERCHANT: "the merchant", SUPPLIER: "the supplier", SYSTEM: "the system" };

function label(status: PurchaseOrderStatus): string {
  return status.toLowerCase().replace(/_/g, " ");
}

export function transition(po: PurchaseOrderState, event: string, actor: Actor): Result<TransitionOutcome, TransitionError> {
  const subject = po.number ?? "this purchase order";
  if (!isPurchaseOrderEventName(event)) {
    return err({ code: "unknown_event", message: `"${event}" is not a purchase-order event` });
  }
  const rule: TransitionRule = PO_TRANSITIONS[event];
  if (!rule.actors.includes(actor.type)) {
    const allowed = rule.actors.map((a) => ACTOR_WORD[a]).join(" or ");
    return err({ code: "actor_not_allowed", message: `Only ${allowed} can ${event} a purchase order, not ${ACTOR_WORD[actor.type]}` });
  }
  if (!rule.from.includes(po.status)) {
    const from = rule.from.map(label).join(", ");
    return err({ code: "illegal_from_status", message: `Cannot ${event} ${subject}: it is ${label(po.status)} (allowed from: ${from})` });
  }
  if (rule.requiresApproval && po.approvedAt === null) {
    return err({ code: "not_approved", message: `Cannot ${event} ${subject}: it has not been approved` });
  }
  if (rule.refusesApproved && po.approvedAt !== null) {
    return err({ code: "already_approved", message: `Cannot ${event} ${subject}: it is already approved` });
  }
  const to = rule.to ?? po.status;
  const stamp: TimestampField[] = [...rule.stamps];
  for (const field of rule.stampsIfUnset ?? []) {
    if (po[field] == null) stamp.push(field);
  }
  // "Approved by the shop's approval policy (approval policy)" said its actor twice: name it only when new.
  const by = actor.name && !rule.describe.toLowerCase().includes(actor.name.toLowerCase()) ? ` (${actor.name})` : "";
  const change = to === po.status ? `; status stays ${label(to)}` : `: ${label(po.status)} → ${label(to)}`;
  return ok({
    to,
    stamp,
    record: {
      type: "STATUS_CHANGE",
      event,
      actorType: actor.type,
      actorName: actor.name ?? null,
      fromStatus: po.status,
      toStatus: to,
      message: `${rule.describe.charAt(0).toUpperCase()}${rule.describe.slice(1)}${by}${change}`,
    },
  });
}

import { Badge, type BadgeProps } from "@shopify/polaris";
import type { PurchaseOrderStatus, RunStatus, SkuStatus } from "@prisma/client";

// Badge wording and colour per status, in one place so every page shows a status the same way.
// (`import type` only: the Prisma enums are erased, nothing from Prisma reaches the browser.)

type BadgeLook = { label: string; tone?: BadgeProps["tone"]; progress?: BadgeProps["progress"] };

const PO_STATUS: Record<PurchaseOrderStatus, BadgeLook> = {
  DRAFT: { label: "Draft", progress: "incomplete" },
  AWAITING_APPROVAL: { label: "Awaiting approval", tone: "attention", progress: "incomplete" },
  SENT: { label: "Sent", tone: "info", progress: "partiallyComplete" },
  ACKNOWLEDGED: { label: "Acknowledged", tone: "info", progress: "partiallyComplete" },
  COUNTERED: { label: "Countered", tone: "warning", progress: "partiallyComplete" },
  CONFIRMED: { label: "Confirmed", tone: "info", progress: "partiallyComplete" },
  SHIPPED: { label: "Shipped", tone: "info", progress: "partiallyComplete" },
  ARRIVING: { label: "Arriving", tone: "info", progress: "partiallyComplete" },
  PARTIALLY_RECEIVED: { label: "Partially received", tone: "attention", progress: "partiallyComplete" },
  RECEIVED: { label: "Received", tone: "success", progress: "complete" },
  CLOSED: { label: "Closed", progress: "complete" },
  CANCELLED: { label: "Cancelled", tone: "critical", progress: "complete" },
};

export function poStatusLabel(status: PurchaseOrderStatus): string {
  return PO_STATUS[status].label;
}

export function PoStatusBadge({ status }: { status: PurchaseOrderStatus }) {
  const look = PO_STATUS[status];
  return (
    <Badge tone={look.tone} progress={look.progress}>
      {look.label}
    </Badge>
  );
}

const SKU_STATUS: Record<SkuStatus, BadgeLook> = {
  ACTIVE: { label: "Active", tone: "success" },
  SEASONAL: { label: "Seasonal", tone: "info" },
  DISCONTINUED: { label: "Discontinued" },
  END_OF_LIFE: { label: "End of life", tone: "warning" },
};

export function SkuStatusBadge({ status }: { status: SkuStatus }) {
  const look = SKU_STATUS[status];
  return <Badge tone={look.tone}>{look.label}</Badge>;
}

const RUN_STATUS: Record<RunStatus, BadgeLook> = {
  RUNNING: { label: "Running", tone: "info", progress: "partiallyComplete" },
  COMPLETED: { label: "Completed", tone: "success", progress: "complete" },
  FAILED: { label: "Failed", tone: "critical", progress: "complete" },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const look = RUN_STATUS[status];
  return (
    <Badge tone={look.tone} progress={look.progress}>
      {look.label}
    </Badge>
  );
}

/** Shopify before the install's offline session exists (`isAwaitingInstall`): neither healthy nor an error. */
export function NotConnectedYetBadge() {
  return <Badge tone="attention">Not connected yet</Badge>;
}

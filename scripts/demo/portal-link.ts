import type { PrismaClient } from "@prisma/client";
import { DEMO_NEGOTIATION_MARKER } from "../../prisma/seed/purchasing-demo.ts";

/**
 * The supplier-portal address of one open PO of the demo shop, for the start-up output: the seeded
 * negotiation (waiting for the merchant), else the latest PO still with the supplier. A fresh signed
 * link each start (the links expire); null when the shop has no open PO.
 */
export async function demoPortalUrl(prisma: PrismaClient, shopId: string, appUrl: string): Promise<string | null> {
  const po =
    (await prisma.purchaseOrder.findFirst({ where: { shopId, notes: DEMO_NEGOTIATION_MARKER, status: "COUNTERED" }, select: { id: true } })) ??
    (await prisma.purchaseOrder.findFirst({ where: { shopId, status: { in: ["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED"] } }, orderBy: { sentAt: "desc" }, select: { id: true } }));
  if (!po) return null;
  const { issueSupplierPortalToken } = await import("../../app/services/purchase-orders.server.ts");
  return `${appUrl}/portal/${encodeURIComponent(await issueSupplierPortalToken(shopId, po.id))}`;
}

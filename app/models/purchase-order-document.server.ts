import type { Prisma } from "@prisma/client";
import { buildPoDocument, isoDay, type PoDocument } from "../domain/purchasing/po-document.ts";
import { forShop } from "./scoped-db.server.ts";

// Loads what a PO document shows (PDF, CSV, the supplier's API payload). The line's own
// supplierPartNumber wins; otherwise the supplier catalogue's, so POs drafted before a part number was
// entered still print it.

/** Location.address holds Shopify's address shape ({address1, city, zip, …}) or a list of lines. */
export function addressLines(address: Prisma.JsonValue | null): string[] {
  if (!address) return [];
  if (Array.isArray(address)) return address.filter((l): l is string => typeof l === "string" && l.trim().length > 0);
  if (typeof address === "string") return address.split("\n").map((l) => l.trim()).filter(Boolean);
  if (typeof address !== "object") return [];
  const a = address as Record<string, unknown>;
  const text = (key: string) => (typeof a[key] === "string" ? (a[key] as string).trim() : "");
  const cityLine = [text("city"), text("provinceCode") || text("province"), text("zip")].filter(Boolean).join(" ");
  return [text("company"), text("address1"), text("address2"), cityLine, text("countryCode") || text("country")].filter(Boolean);
}

export interface LoadedPoDocument {
  document: PoDocument;
  purchaseOrderId: string;
  supplierId: string;
  documentFormat: "PDF" | "CSV";
  delivery: "EMAIL" | "PORTAL" | "API";
}

export async function loadPoDocument(shopId: string, purchaseOrderId: string): Promise<LoadedPoDocument | null> {
  const po = await forShop(shopId).purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    select: {
      id: true, number: true, currency: true, shippingCost: true, createdAt: true, sentAt: true, notes: true,
      expectedShipDate: true, expectedArrivalDate: true, shipMethod: true,
      shop: { select: { name: true } },
      location: { select: { name: true, address: true } },
      supplier: {
        select: { id: true, name: true, contactName: true, orderEmail: true, documentFormat: true, poDelivery: true, products: { select: { skuId: true, supplierPartNumber: true } } },
      },
      lines: {
        select: {
          skuId: true, quantityOrdered: true, unitCost: true, expectedDate: true, supplierPartNumber: true,
          sku: { select: { code: true, title: true, variantTitle: true, barcode: true } },
        },
      },
    },
  });
  if (!po) return null;
  const partNumbers = new Map(po.supplier.products.map((p) => [p.skuId, p.supplierPartNumber]));
  const document = buildPoDocument({
    number: po.number,
    issuedOn: isoDay(po.sentAt ?? po.createdAt) ?? "",
    currency: po.currency,
    buyer: { name: po.shop.name },
    supplier: { name: po.supplier.name, contactName: po.supplier.contactName, email: po.supplier.orderEmail },
    shipTo: { name: po.location.name, addressLines: addressLines(po.location.address) },
    expectedShipDate: isoDay(po.expectedShipDate),
    expectedArrivalDate: isoDay(po.expectedArrivalDate),
    shipMethod: po.shipMethod,
    notes: po.notes,
    shipping: po.shippingCost.toString(),
    lines: po.lines.map((l) => ({
      skuCode: l.sku.code,
      title: l.sku.title,
      variantTitle: l.sku.variantTitle,
      barcode: l.sku.barcode,
      supplierPartNumber: l.supplierPartNumber ?? partNumbers.get(l.skuId) ?? null,
      quantity: l.quantityOrdered,
      unitCost: l.unitCost.toString(),
      expectedDate: l.expectedDate,
    })),
  });
  return { document, purchaseOrderId: po.id, supplierId: po.supplier.id, documentFormat: po.supplier.documentFormat, delivery: po.supplier.poDelivery };
}

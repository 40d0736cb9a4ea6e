import { MAX_LEAD_TIME_DAYS } from "../domain/reorder/supplier-parameters.ts";
import { toPriceUnits, type PriceUnits } from "../domain/shared/money.ts";
import { AppError } from "../lib/app-error.ts";
import { forShop } from "./scoped-db.server.ts";

/**
 * A SKU's supplier offers as the SKU page shows them, with the lead time the engine will use for each:
 * the SKU's override when set, else the supplier's configured lead time (the engine prefers PO history
 * over the configured value, and this SKU's own PO history over the override).
 */
export type SkuOffer = {
  id: string;
  supplierId: string;
  supplierName: string;
  unitCost: PriceUnits;
  moq: number;
  casePack: number;
  supplierLeadTimeDays: number;
  leadTimeDaysOverride: number | null;
};


export async function listSkuOffers(shopId: string, skuId: string): Promise<SkuOffer[]> {
  const rows = await forShop(shopId).supplierProduct.findMany({
    where: { skuId },
    select: { id: true, supplierId: true, unitCost: true, moq: true, casePack: true, leadTimeDaysOverride: true, supplier: { select: { name: true, leadTimeDays: true } } },
    orderBy: [{ supplier: { name: "asc" } }, { id: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    supplierId: r.supplierId,
    supplierName: r.supplier.name,
    unitCost: toPriceUnits(r.unitCost.toString()),
    moq: r.moq,
    casePack: r.casePack,
    supplierLeadTimeDays: r.supplier.leadTimeDays,
    leadTimeDaysOverride: r.leadTimeDaysOverride,
  }));
}

/** Sets (or clears, with null) one offer's lead-time override; the offer must belong to the shop and SKU. */
export async function setLeadTimeOverride(shopId: string, skuId: string, supplierProductId: string, days: number | null): Promise<void> {
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_LEAD_TIME_DAYS)) {
    throw new AppError("invalid", `Lead time must be a whole number of days from 1 to ${MAX_LEAD_TIME_DAYS}`);
  }
  const { count } = await forShop(shopId).supplierProduct.updateMany({ where: { id: supplierProductId, skuId }, data: { leadTimeDaysOverride: days } });
  if (count === 0) throw new AppError("not_found", "Supplier offer not found");
}

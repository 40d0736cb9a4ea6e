import type { PoDelivery } from "@prisma/client";
import { forShop } from "./scoped-db.server.ts";

export type SupplierListRow = {
  id: string;
  name: string;
  orderEmail: string | null;
  poDelivery: PoDelivery;
  leadTimeDays: number;
  productCount: number;
  autoSend: boolean;
};

/** Every supplier of the shop by name; a shop works with tens of suppliers, so one page holds them all. */
export async function listSuppliers(shopId: string, limit = 500): Promise<SupplierListRow[]> {
  const rows = await forShop(shopId).supplier.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      name: true,
      orderEmail: true,
      poDelivery: true,
      leadTimeDays: true,
      autoSend: true,
      _count: { select: { products: true } },
    },
  });
  return rows.map(({ _count, ...row }) => ({ ...row, productCount: _count.products }));
}

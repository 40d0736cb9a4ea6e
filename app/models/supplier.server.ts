import { Prisma, type DocumentFormat, type PoDelivery } from "@prisma/client";
import { AppError } from "../lib/app-error.ts";
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

// ─── One supplier: details page, creation, update ───

export type SupplierProductRow = {
  id: string;
  skuId: string;
  skuCode: string;
  title: string;
  variantTitle: string | null;
  supplierPartNumber: string | null;
  /** Unit cost as stored (decimal string, up to 4 places). */
  unitCost: string;
  moq: number;
  casePack: number;
};

/** Contact, ordering and engine settings a merchant edits on the supplier page. */
export type SupplierSettingsInput = {
  name: string;
  contactName: string | null;
  orderEmail: string | null;
  ccEmails: string[];
  phone: string | null;
  poDelivery: PoDelivery;
  documentFormat: DocumentFormat;
  currency: string;
  paymentTermsDays: number;
  /** Fraction paid up front, 0..1. */
  depositPct: number;
  leadTimeDays: number;
  defaultShipMethod: string | null;
  /** The lead time runs to the supplier's ship date: the engine adds the ship method's transit days. */
  quotesShipDate: boolean;
  autoSend: boolean;
  /** Fraction of received units found defective, 0..1. */
  defectRate: number;
  /** 0..1: how far below its MOQ the supplier accepts orders. */
  moqFlexibility: number;
  qualityDisputeOpen: boolean;
  /**
   * The engine parameters this supplier overrides (camelCase names, money in cents). Only overrides are
   * stored, so a supplier follows any later change of an engine default it never touched.
   */
  reorderParameters: Record<string, number | string | null>;
};

export type SupplierDetails = Omit<SupplierSettingsInput, "depositPct" | "defectRate" | "moqFlexibility" | "reorderParameters"> & {
  id: string;
  depositPct: number;
  defectRate: number;
  moqFlexibility: number;
  reorderParameters: Record<string, unknown>;
  updatedAt: Date;
  productCount: number;
  products: SupplierProductRow[];
};

/** Products shown on the page; a supplier with more is summarised by its count. */
export const SUPPLIER_PAGE_PRODUCTS = 250;

/** The supplier with its products, or a not_found AppError (also for another shop's id). */
export async function getSupplierDetails(shopId: string, supplierId: string): Promise<SupplierDetails> {
  const db = forShop(shopId);
  const row = await db.supplier.findUnique({
    where: { id: supplierId },
    include: {
      _count: { select: { products: true } },
      products: {
        take: SUPPLIER_PAGE_PRODUCTS,
        orderBy: [{ sku: { code: "asc" } }, { id: "asc" }],
        include: { sku: { select: { code: true, title: true, variantTitle: true } } },
      },
    },
  });
  if (!row) throw new AppError("not_found", "Supplier not found");
  const overrides = typeof row.reorderParameters === "object" && row.reorderParameters !== null && !Array.isArray(row.reorderParameters)
    ? (row.reorderParameters as Record<string, unknown>)
    : {};
  return {
    id: row.id,
    name: row.name,
    contactName: row.contactName,
    orderEmail: row.orderEmail,
    ccEmails: row.ccEmails,
    phone: row.phone,
    poDelivery: row.poDelivery,
    documentFormat: row.documentFormat,
    currency: row.currency,
    paymentTermsDays: row.paymentTermsDays,
    depositPct: Number(row.depositPct.toString()),
    leadTimeDays: row.leadTimeDays,
    defaultShipMethod: row.defaultShipMethod,
    quotesShipDate: row.quotesShipDate,
    autoSend: row.autoSend,
    defectRate: Number(row.defectRate.toString()),
    moqFlexibility: Number(row.moqFlexibility.toString()),
    qualityDisputeOpen: row.qualityDisputeOpen,
    reorderParameters: overrides,
    updatedAt: row.updatedAt,
    productCount: row._count.products,
    products: row.products.map((p) => ({
      id: p.id,
      skuId: p.skuId,
      skuCode: p.sku.code,
      title: p.sku.title,
      variantTitle: p.sku.variantTitle,
      supplierPartNumber: p.supplierPartNumber,
      unitCost: p.unitCost.toString(),
      moq: p.moq,
      casePack: p.casePack,
    })),
  };
}

function settingsData(input: SupplierSettingsInput) {
  return {
    ...input,
    depositPct: input.depositPct.toFixed(4),
    defectRate: input.defectRate.toFixed(4),
    moqFlexibility: input.moqFlexibility.toFixed(4),
    reorderParameters: input.reorderParameters as Prisma.InputJsonObject,
  };
}

/** Supplier names are unique per shop: a clash is a `conflict` the form shows on the name field. */
function nameConflict(error: unknown): AppError | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    return new AppError("conflict", "Another supplier already has this name", { cause: error });
  }
  return null;
}

export async function createSupplier(shopId: string, input: SupplierSettingsInput): Promise<{ id: string }> {
  try {
    return await forShop(shopId).supplier.create({ data: { ...settingsData(input), shopId }, select: { id: true } });
  } catch (error) {
    throw nameConflict(error) ?? error;
  }
}

/** Replaces the supplier's settings, overrides included (a field reset to its default is removed). */
export async function updateSupplier(shopId: string, supplierId: string, input: SupplierSettingsInput): Promise<void> {
  const db = forShop(shopId);
  try {
    const { count } = await db.supplier.updateMany({ where: { id: supplierId }, data: settingsData(input) });
    if (count === 0) throw new AppError("not_found", "Supplier not found");
  } catch (error) {
    throw nameConflict(error) ?? error;
  }
}

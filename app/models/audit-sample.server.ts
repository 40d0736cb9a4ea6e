import type { Prisma } from "@prisma/client";
import { forShop } from "#app/models/scoped-db.server.ts";

/** The audit sample's population (recent engine-made POs) and each drawn PO with its lines' explanations. */

export const AUDIT_WINDOW_DAYS = 180;

/** POs a reorder run made in the window; when the engine made none yet, every PO of the window. */
export async function listAuditPopulation(shopId: string, now: Date): Promise<{ ids: string[]; engineMade: boolean }> {
  const since = new Date(now.getTime() - AUDIT_WINDOW_DAYS * 86_400_000);
  const db = forShop(shopId);
  const engine = await db.purchaseOrder.findMany({ where: { reorderRunId: { not: null }, createdAt: { gte: since }, status: { not: "CANCELLED" } }, select: { id: true } });
  if (engine.length > 0) return { ids: engine.map((p) => p.id), engineMade: true };
  const any = await db.purchaseOrder.findMany({ where: { OR: [{ createdAt: { gte: since } }, { sentAt: { gte: since } }], status: { not: "CANCELLED" } }, select: { id: true } });
  return { ids: any.map((p) => p.id), engineMade: false };
}

export interface AuditLine {
  skuCode: string;
  skuTitle: string;
  quantity: number;
  unitCost: number;
  explanation: {
    text: string;
    numbers: Prisma.JsonValue;
    dailyForecast: number;
    safetyStock: number;
    reorderPoint: number;
    targetStock: number;
    stockPosition: number;
    abcClass: string | null;
    flags: string[];
    runAsOf: Date;
  } | null;
}

export interface AuditPurchaseOrder {
  id: string;
  number: string;
  supplier: string;
  location: string;
  status: string;
  total: number;
  currency: string;
  createdAt: Date;
  flags: string[];
  lines: AuditLine[];
}

export async function loadAuditPurchaseOrders(shopId: string, ids: readonly string[]): Promise<AuditPurchaseOrder[]> {
  const db = forShop(shopId);
  const pos = await db.purchaseOrder.findMany({
    where: { id: { in: [...ids] } },
    select: {
      id: true, number: true, status: true, total: true, currency: true, createdAt: true, flags: true,
      supplier: { select: { name: true } }, location: { select: { name: true } },
      lines: { select: { quantityOrdered: true, unitCost: true, suggestionId: true, sku: { select: { code: true, title: true } } }, orderBy: { sku: { code: "asc" } } },
    },
  });
  const suggestionIds = pos.flatMap((p) => p.lines.map((l) => l.suggestionId).filter((id): id is string => id !== null));
  const suggestions = await db.reorderSuggestion.findMany({
    where: { id: { in: suggestionIds } },
    select: {
      id: true, explanationText: true, explanation: true, dailyForecast: true, safetyStock: true, reorderPoint: true, targetStock: true, stockPosition: true,
      abcClass: true, flags: true, run: { select: { asOf: true } },
    },
  });
  const byId = new Map(suggestions.map((s) => [s.id, s]));
  const order = new Map(ids.map((id, i) => [id, i]));
  return pos
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((p) => ({
      id: p.id, number: p.number, supplier: p.supplier.name, location: p.location.name, status: p.status, total: Number(p.total), currency: p.currency, createdAt: p.createdAt, flags: p.flags,
      lines: p.lines.map((l) => {
        const s = l.suggestionId ? byId.get(l.suggestionId) : undefined;
        return {
          skuCode: l.sku.code, skuTitle: l.sku.title, quantity: l.quantityOrdered, unitCost: Number(l.unitCost),
          explanation: s
            ? {
                text: s.explanationText, numbers: s.explanation, dailyForecast: Number(s.dailyForecast), safetyStock: Number(s.safetyStock), reorderPoint: Number(s.reorderPoint),
                targetStock: Number(s.targetStock), stockPosition: s.stockPosition, abcClass: s.abcClass, flags: s.flags, runAsOf: s.run.asOf,
              }
            : null,
        };
      }),
    }));
}

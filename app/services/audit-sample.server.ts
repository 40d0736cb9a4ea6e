import { randomInt } from "node:crypto";
import { AUDIT_SAMPLE_SIZE, drawSample } from "#app/domain/reports/audit-sample.ts";
import { listAuditPopulation, loadAuditPurchaseOrders, type AuditPurchaseOrder } from "#app/models/audit-sample.server.ts";

/** Draws the audit sample for a seed (the page keeps the seed in its URL, so a sample can be reopened). */
export async function auditSample(shopId: string, seed: number, now: Date): Promise<{ seed: number; population: number; engineMade: boolean; purchaseOrders: AuditPurchaseOrder[] }> {
  const { ids, engineMade } = await listAuditPopulation(shopId, now);
  const drawn = drawSample(ids, AUDIT_SAMPLE_SIZE, seed);
  return { seed, population: ids.length, engineMade, purchaseOrders: await loadAuditPurchaseOrders(shopId, drawn) };
}

/** A fresh seed for "draw a sample": unpredictable, so nobody can steer which POs get checked. */
export function newAuditSeed(): number {
  return randomInt(0, 2 ** 31);
}

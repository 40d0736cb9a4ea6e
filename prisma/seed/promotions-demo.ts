/**
 * `seedPromotionsDemo(prisma, shopId, { asOf })`: the demo's promotions, one past, one running and one
 * coming, dated from the demo's today. The Promotions calendar has something on it at first sight, and the
 * first reorder run's explanations show the uplift on the SKUs a promotion covers ("× promotions 1.12").
 * Idempotent: a shop that already has promotions keeps them.
 */
import type { PrismaClient } from "@prisma/client";
import { addDays, type IsoDay } from "#app/domain/shared/day.ts";

const PROMOTIONS = [
  { name: "Autumn clearance", from: -40, to: -27, upliftPct: "20", every: 5, offset: 1 },
  { name: "Gift guide feature", from: -3, to: 11, upliftPct: "35", every: 4, offset: 0 },
  { name: "Weekend flash sale", from: 18, to: 20, upliftPct: "60", every: 3, offset: 2 },
] as const;

export async function seedPromotionsDemo(prisma: PrismaClient, shopId: string, options: { asOf: IsoDay }): Promise<number> {
  if ((await prisma.promotion.count({ where: { shopId } })) > 0) return 0;
  const skus = await prisma.sku.findMany({ where: { shopId }, orderBy: { code: "asc" }, select: { id: true } });
  const day = (offset: number) => new Date(`${addDays(options.asOf, offset)}T00:00:00.000Z`);
  for (const p of PROMOTIONS) {
    // A spread of SKUs per promotion (every n-th by code), never the whole catalogue: a promotion on everything
    // would lift every suggestion of the first run and hide what the others show.
    const skuIds = skus.filter((_, i) => i % p.every === p.offset).slice(0, 12).map((s) => s.id).sort();
    if (skuIds.length === 0) continue;
    await prisma.promotion.create({ data: { shopId, name: p.name, startsOn: day(p.from), endsOn: day(p.to), upliftPct: p.upliftPct, skuIds } });
  }
  return prisma.promotion.count({ where: { shopId } });
}

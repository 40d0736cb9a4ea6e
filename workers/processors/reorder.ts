import type { RunTrigger } from "@prisma/client";
import { AppError } from "#app/lib/app-error.ts";
import type { JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/**
 * `reorder/run-reorder`: records a ReorderRun (RUNNING → COMPLETED/FAILED) around one call of the
 * reorder engine. The engine itself (app/domain/reorder + the replenishment service) is injected as
 * `planForShop`; this processor only orchestrates (ARCHITECTURE principle 10).
 */

export interface PlanForShopInput {
  shopId: string;
  /** The ReorderRun row the plan's suggestions belong to. */
  runId: string;
  /** The shop's local calendar day the plan is for (UTC midnight of that day). */
  asOf: Date;
  trigger: RunTrigger;
  /** Only these SKUs (a stock change); all of the shop's SKUs when absent. */
  skuIds?: string[];
}

export interface PlanForShopResult {
  suggestionCount: number;
  /** SKUs the engine looked at; defaults to the SKUs in scope. */
  skuCount?: number;
}

export type PlanForShop = (input: PlanForShopInput, deps: Pick<ProcessorDeps, "db" | "logger" | "now">) => Promise<PlanForShopResult>;

/** Used only when nothing was injected: fails loudly (and retryably) instead of pretending to plan. */
export const planForShopNotWired: PlanForShop = async () => {
  throw new AppError("unavailable", "reorder engine not wired yet");
};

export type RunReorderResult =
  | { status: "COMPLETED"; runId: string; skuCount: number; suggestionCount: number }
  | { status: "SKIPPED"; reason: string };

/** The calendar day `at` falls on in `timeZone`, as UTC midnight of that day (what a `@db.Date` column stores). */
export function localDay(at: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return new Date(`${part("year")}-${part("month")}-${part("day")}T00:00:00.000Z`);
}

export async function runReorder(data: JobData<"reorder", "run-reorder">, deps: ProcessorDeps): Promise<RunReorderResult> {
  const { db, logger, now } = deps;
  const shop = await db.shop.findUnique({ where: { id: data.shopId }, select: { id: true, status: true, timezone: true } });
  if (!shop) throw new AppError("not_found", `shop ${data.shopId} not found`);
  // A job queued before an uninstall may still arrive; an uninstalled shop gets no more plans.
  if (shop.status !== "ACTIVE") {
    logger.info({ shopId: shop.id }, "shop is not active, reorder skipped");
    return { status: "SKIPPED", reason: "shop is not active" };
  }

  const skuCount = await db.sku.count({ where: { shopId: shop.id, ...(data.skuIds ? { id: { in: data.skuIds } } : {}) } });
  const asOf = localDay(now(), shop.timezone);
  const run = await db.reorderRun.create({
    data: { shopId: shop.id, asOf, trigger: data.trigger, status: "RUNNING", skuCount, startedAt: now() },
  });

  try {
    const result = await deps.planForShop(
      { shopId: shop.id, runId: run.id, asOf, trigger: data.trigger, ...(data.skuIds ? { skuIds: data.skuIds } : {}) },
      { db, logger, now },
    );
    const finalSkuCount = result.skuCount ?? skuCount;
    await db.reorderRun.update({
      where: { id: run.id },
      data: { status: "COMPLETED", skuCount: finalSkuCount, suggestionCount: result.suggestionCount, finishedAt: now() },
    });
    logger.info({ shopId: shop.id, runId: run.id, skuCount: finalSkuCount, suggestionCount: result.suggestionCount }, "reorder run completed");
    return { status: "COMPLETED", runId: run.id, skuCount: finalSkuCount, suggestionCount: result.suggestionCount };
  } catch (error) {
    // The run row tells the merchant (and the next engineer) what happened; the job retries separately.
    await db.reorderRun.update({
      where: { id: run.id },
      data: { status: "FAILED", error: error instanceof Error ? error.message : String(error), finishedAt: now() },
    });
    throw error;
  }
}

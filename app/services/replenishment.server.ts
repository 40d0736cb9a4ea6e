import { createHash, randomUUID } from "node:crypto";
import { Prisma, type PurchaseOrderStatus, type RunTrigger } from "@prisma/client";
import {
  detectPurchaseOrderAnomalies,
  explainSuggestion,
  lineTotalCents,
  planReplenishment,
  resolvePolicy,
  toPriceUnits,
  type Cents,
  type Flag,
  type IsoDay,
  type PriceUnits,
  type ReorderSuggestion,
  type ReplenishmentPlan,
  type SupplierParameters,
} from "#app/domain/reorder/index.ts";
import { addDays, fromDayNumber, toDayNumber } from "#app/domain/shared/day.ts";
import { AppError } from "#app/lib/app-error.ts";
import { enqueue as enqueueFromWeb, type QueueRegistry } from "#app/lib/queue.server.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import {
  loadReorderSnapshot,
  REPLACEABLE_DRAFT_PO_WHERE,
  REPLACEABLE_DRAFT_TRANSFER_WHERE,
  supplierParametersOf,
  type ReorderSnapshot,
} from "#app/models/reorder-snapshot.server.ts";
import { pruneStockChangeRuns } from "#app/models/reorder-run-retention.server.ts";
import { latestSuggestionsForSupplier } from "#app/models/reorder-suggestion.server.ts";
import { forShop, type ShopScopedClient } from "#app/models/scoped-db.server.ts";
import { jobId } from "#workers/queues.ts";

/**
 * The reorder use case (ARCHITECTURE principle 2): load the shop's snapshot → plan (pure engine) → write,
 * in ONE transaction, the run's suggestions, draft purchase orders per supplier, draft transfers and
 * review-queue items.
 *
 * Re-run rule for drafts. A draft the engine made is the engine's until someone acts on it: a PO stays
 * replaceable while it was made by a run, is DRAFT or AWAITING_APPROVAL, was never approved or sent, and
 * carries no MERCHANT or SUPPLIER event (see REPLACEABLE_DRAFT_PO_WHERE; draft transfers made by a run
 * likewise while DRAFT). Each run rewrites those drafts in place, keyed by supplier × ship-to location
 * (a PO has one ship-to, so a multi-location shop gets one PO per supplier per location): same row, same
 * number, lines replaced; a draft the new plan no longer wants is CANCELLED (numbers are never reused or
 * deleted). So running twice on a day changes nothing the second time, and a nightly run never piles a
 * second draft next to yesterday's. Replaceable drafts are not counted as incoming stock by the loader
 * (they are about to be replaced); drafts a person owns are, so the engine never orders twice.
 * A stock-change run sees only its SKUs: it rewrites just those SKUs' lines inside the existing drafts
 * and leaves the other lines alone.
 */

/** Interactive transactions default to 5 s; a catalogue of thousands of SKUs writes for longer. */
const TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 30_000 };
const SYSTEM_ACTOR = "Replenish";
/** Stock changes within this window become one run, started when the window closes. */
export const STOCK_CHANGE_COALESCE_MS = 60_000;

type ScopedTx = Omit<ShopScopedClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends" | "$use">;

type LoggerLike = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export interface PlanForShopServiceInput {
  shopId: string;
  runId: string;
  /** The shop's local day, as UTC midnight (what ReorderRun.asOf stores). */
  asOf: Date;
  trigger: RunTrigger;
  skuIds?: string[];
}

export interface PlanForShopServiceResult {
  suggestionCount: number;
  skuCount: number;
  purchaseOrderIds: string[];
  transferIds: string[];
}

/**
 * Plans one shop (or some of its SKUs) for `asOf` and stores the result under `runId`. Matches the worker's
 * `PlanForShop`, so `runReorder` calls it directly.
 */
export async function planForShop(
  input: PlanForShopServiceInput,
  deps: { logger?: LoggerLike; now?: () => Date } = {},
): Promise<PlanForShopServiceResult> {
  const now = deps.now ?? (() => new Date());
  const snapshot = await loadReorderSnapshot(input.shopId, input.asOf, input.skuIds ? { skuIds: input.skuIds } : {});
  for (const warning of snapshot.warnings) deps.logger?.warn({ shopId: input.shopId, runId: input.runId }, warning);
  const plan = planReplenishment(snapshot.input, snapshot.asOf);
  const written = await forShop(input.shopId).$transaction(
    (tx) => writePlan(tx, { shopId: input.shopId, runId: input.runId, trigger: input.trigger, snapshot, plan, at: now() }),
    TRANSACTION_OPTIONS,
  );
  deps.logger?.info(
    { shopId: input.shopId, runId: input.runId, suggestions: plan.suggestions.length, purchaseOrders: written.purchaseOrderIds.length, transfers: written.transferIds.length },
    "replenishment plan stored",
  );
  // The nightly plan is also the day's housekeeping point: the single-SKU runs it supersedes are pruned once
  // old and unreferenced. Housekeeping never fails a plan that is already stored.
  if (input.trigger === "NIGHTLY" && !input.skuIds) {
    try {
      const pruned = await pruneStockChangeRuns(input.shopId, now());
      if (pruned > 0) deps.logger?.info({ shopId: input.shopId, runId: input.runId, pruned }, "superseded stock-change runs pruned");
    } catch (error) {
      deps.logger?.warn({ shopId: input.shopId, runId: input.runId, err: error }, "pruning superseded stock-change runs failed");
    }
  }
  return { suggestionCount: plan.suggestions.length, skuCount: plan.summary.skus, ...written };
}

// ───────────────────────────── writing a plan ─────────────────────────────

interface WriteContext {
  shopId: string;
  runId: string;
  trigger: RunTrigger;
  snapshot: ReorderSnapshot;
  plan: ReplenishmentPlan;
  at: Date;
}

interface PlannedLine {
  skuId: string;
  quantity: number;
  unitPrice: PriceUnits;
  expectedDate: IsoDay | null;
  suggestionId: string | null;
  flags: readonly Flag[];
}

const pairKey = (a: string, b: string) => `${a}|${b}`;
const yearOf = (day: IsoDay): number => Number(day.slice(0, 4));
const dateOf = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);
const dec = (x: number, places: number, max = 1e10): Prisma.Decimal =>
  new Prisma.Decimal(Number.isFinite(x) ? Math.max(-max, Math.min(max, x)).toFixed(places) : "0");
const priceDecimal = (p: PriceUnits) => new Prisma.Decimal(p).dividedBy(10_000);
const centsDecimal = (c: Cents) => new Prisma.Decimal(c).dividedBy(100);

/** Serialises other runs of the same shop (nightly + manual + stock change) for the length of the write. */
async function lockShopPlan(tx: ScopedTx, shopId: string): Promise<void> {
  await tx.$queryRaw(Prisma.sql`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`replenishment-${shopId}`}))`);
}

async function writePlan(tx: ScopedTx, ctx: WriteContext): Promise<{ purchaseOrderIds: string[]; transferIds: string[] }> {
  const { shopId, runId, snapshot, plan } = ctx;
  await lockShopPlan(tx, shopId);
  const policy = resolvePolicy(snapshot.input.shop);
  const suppliers = new Map(snapshot.input.suppliers.map((s) => [s.supplierId, s]));
  const scope = snapshot.skuIds ? new Set(snapshot.skuIds) : null;

  const suggestionIds = new Map<string, string>();
  for (const s of plan.suggestions) suggestionIds.set(pairKey(s.skuId, s.locationId), randomUUID());
  const suggestionByPair = new Map(plan.suggestions.map((s) => [pairKey(s.skuId, s.locationId), s]));

  // ── purchase orders: one per supplier × ship-to location ──
  const wanted = new Map<string, { supplierId: string; locationId: string; lines: PlannedLine[]; proposed: boolean }>();
  for (const po of plan.purchaseOrders) {
    for (const line of po.lines) {
      const key = pairKey(po.supplierId, line.locationId);
      const s = suggestionByPair.get(pairKey(line.skuId, line.locationId));
      const entry = wanted.get(key) ?? { supplierId: po.supplierId, locationId: line.locationId, lines: [], proposed: po.status === "proposed" };
      entry.lines.push({
        skuId: line.skuId,
        quantity: line.quantity,
        unitPrice: s?.orderQuantity.unitPrice ?? 0,
        expectedDate: addDays(plan.asOf, Math.ceil(s?.leadTime.meanDays ?? 0)),
        suggestionId: suggestionIds.get(pairKey(line.skuId, line.locationId)) ?? null,
        flags: line.flags,
      });
      wanted.set(key, entry);
    }
  }
  // Lock the candidate drafts before reading them. Approving a PO takes the same row lock
  // (purchase-order-lifecycle.server.ts), so an approval either committed first — and the query below,
  // a fresh snapshot under READ COMMITTED, no longer counts that PO as replaceable — or waits for this run.
  await tx.$queryRaw(
    Prisma.sql`SELECT "id" FROM "PurchaseOrder" WHERE "shopId" = ${shopId} AND "reorderRunId" IS NOT NULL AND "status" IN ('DRAFT', 'AWAITING_APPROVAL') FOR UPDATE`,
  );
  const drafts = await tx.purchaseOrder.findMany({
    where: REPLACEABLE_DRAFT_PO_WHERE,
    select: { id: true, number: true, supplierId: true, locationId: true, status: true, lines: { select: { skuId: true, quantityOrdered: true, unitCost: true, expectedDate: true, suggestionId: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const keptFlags = await flagsOfSuggestions(tx, drafts.flatMap((d) => d.lines.filter((l) => scope && !scope.has(l.skuId)).map((l) => l.suggestionId)));
  const draftByKey = new Map<string, (typeof drafts)[number]>();
  const extraDrafts: (typeof drafts)[number][] = [];
  for (const d of drafts) {
    const key = pairKey(d.supplierId, d.locationId);
    if (draftByKey.has(key)) extraDrafts.push(d);
    else draftByKey.set(key, d);
  }

  const purchaseOrderIds: string[] = [];
  const poLines: Prisma.PurchaseOrderLineCreateManyInput[] = [];
  const poBySuggestion = new Map<string, string>();
  const flaggedPos: { id: string; number: string; supplierId: string; flags: Flag[] }[] = [];
  const keys = [...new Set([...draftByKey.keys(), ...wanted.keys()])].sort();
  for (const key of keys) {
    const draft = draftByKey.get(key);
    const target = wanted.get(key);
    // A "waiting" proposal (under order_min) makes no new PO, but tops up a draft that already exists.
    const incoming = target && (target.proposed || draft) ? target.lines : [];
    const kept: PlannedLine[] = scope && draft
      ? draft.lines.filter((l) => !scope.has(l.skuId)).map((l) => ({
          skuId: l.skuId, quantity: l.quantityOrdered, unitPrice: toPriceUnits(l.unitCost.toString()),
          expectedDate: l.expectedDate ? fromDayNumber(toDayNumber(l.expectedDate)) : null, suggestionId: l.suggestionId,
          flags: (l.suggestionId && keptFlags.get(l.suggestionId)) || [],
        }))
      : [];
    const lines = [...kept, ...incoming];
    const supplierId = draft?.supplierId ?? target?.supplierId;
    const locationId = draft?.locationId ?? target?.locationId;
    if (!supplierId || !locationId) continue;
    if (lines.length === 0) {
      if (draft) await cancelDraftPurchaseOrder(tx, draft, ctx, "the latest plan orders nothing from this supplier for this location");
      continue;
    }
    const supplier = suppliers.get(supplierId);
    const written = await upsertDraftPurchaseOrder(tx, {
      shopId, runId, at: ctx.at, trigger: ctx.trigger, documentYear: yearOf(plan.asOf), existing: draft ?? null, supplierId, locationId, lines,
      currency: snapshot.suppliers.get(supplierId)?.currency ?? snapshot.currency,
      approvalThreshold: policy.approvalThreshold, orderAlert: supplier?.parameters.orderAlert ?? null, disputeOpen: supplier?.disputeOpen ?? false,
      partNumbers: (skuId) => snapshot.skus.get(skuId)?.supplierPartNumbers.get(supplierId) ?? null,
      actor: { type: "SYSTEM", name: SYSTEM_ACTOR },
    });
    purchaseOrderIds.push(written.id);
    poLines.push(...written.lines);
    for (const l of incoming) if (l.suggestionId) poBySuggestion.set(l.suggestionId, written.id);
    if (written.flags.length > 0) flaggedPos.push({ id: written.id, number: written.number, supplierId, flags: written.flags });
  }
  // Duplicates from before this rule existed: their lines belong in the kept draft, so they go.
  if (!scope) for (const d of extraDrafts) await cancelDraftPurchaseOrder(tx, d, ctx, "superseded by another draft for the same supplier and location");

  // ── suggestions (after the POs, so each knows its PO) ──
  const transferFrom = new Map<string, string>();
  for (const t of [...plan.transfers].sort((a, b) => a.quantity - b.quantity)) transferFrom.set(pairKey(t.skuId, t.toLocationId), t.fromLocationId);
  const rows = plan.suggestions.map((s) => {
    const id = suggestionIds.get(pairKey(s.skuId, s.locationId)) as string;
    const from = transferFrom.get(pairKey(s.skuId, s.locationId)) ?? null;
    return suggestionRow(s, { id, shopId, runId, purchaseOrderId: poBySuggestion.get(id) ?? null, transferFromLocationId: from, snapshot, currency: policy.currency });
  });
  await insertRows(tx, "ReorderSuggestion", rows.map((r) => ({ ...r, createdAt: ctx.at })));
  // PO lines point at their suggestion: written now that the suggestions exist.
  await insertPurchaseOrderLines(tx, poLines);

  // ── transfers: one draft per origin × destination ──
  const transferIds = await writeTransfers(tx, ctx, scope);

  // ── review queue ──
  await writeReviewItems(tx, ctx, flaggedPos, poBySuggestion, suggestionIds);

  await tx.reorderRun.update({
    where: { id: runId },
    data: {
      parameters: toJson({
        policy,
        historyDays: snapshot.input.skus[0]?.history.units.length ?? null,
        scope: snapshot.skuIds,
        warnings: snapshot.warnings,
        summary: plan.summary,
        nextRunOn: plan.nextRunOn,
        // Read back by the stock-change runs until the next whole-shop run (loadReorderSnapshot).
        catalogue: plan.catalogue,
        purchaseOrders: plan.purchaseOrders.map((po) => ({
          supplierId: po.supplierId, status: po.status, reason: po.reason, total: po.total, lines: po.lines.length,
          deferredLines: po.deferredLines.length, needsReview: po.needsReview, autoSend: po.autoSend, flags: po.flags.map((f) => f.code),
        })),
      }),
    },
  });
  return { purchaseOrderIds, transferIds };
}

async function insertPurchaseOrderLines(tx: ScopedTx, lines: Prisma.PurchaseOrderLineCreateManyInput[]): Promise<void> {
  await insertRows(tx, "PurchaseOrderLine", lines.map((l) => ({ id: randomUUID(), quantityReceived: 0, quantityDamaged: 0, ...l })));
}

/**
 * Bulk insert of complete rows as ONE JSON parameter (json_populate_recordset). Prisma's createMany sends
 * each value as its own bind parameter, which made writing a few thousand suggestions (with their
 * explanation JSON) take seconds; this takes milliseconds. Rows must carry every NOT NULL column (defaults
 * do not apply) and their own shopId: raw SQL is outside forShop's reach, so the shop is checked here.
 */
async function insertRows(tx: ScopedTx, table: "ReorderSuggestion" | "PurchaseOrderLine", rows: readonly { shopId: string }[]): Promise<void> {
  const shopIds = new Set(rows.map((r) => r.shopId));
  if (shopIds.size > 1) throw new Error(`insertRows(${table}): rows of several shops in one write`);
  const identifier = Prisma.raw(`"${table}"`);
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5_000));
    await tx.$executeRaw(Prisma.sql`INSERT INTO ${identifier} SELECT * FROM json_populate_recordset(NULL::${identifier}, ${chunk}::json)`);
  }
}

async function flagsOfSuggestions(tx: ScopedTx, ids: (string | null)[]): Promise<Map<string, Flag[]>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  // The codes column, not the explanation JSON: a stock-change run keeps thousands of other lines and only
  // needs their codes for the PO's flags (the sentences are in their own runs' review items already).
  const rows = await tx.reorderSuggestion.findMany({ where: { id: { in: wanted } }, select: { id: true, flags: true } });
  return new Map(rows.map((r) => [r.id, r.flags.map((code) => ({ code, message: code.replace(/_/g, " ") }) as Flag)]));
}

interface UpsertPoInput {
  shopId: string;
  runId: string;
  at: Date;
  trigger: RunTrigger | "SUPPLIER_PAGE";
  /** Year of a new document's number: the shop's local year of the plan. */
  documentYear: number;
  existing: { id: string; number: string; status: PurchaseOrderStatus; lines: { skuId: string; quantityOrdered: number; unitCost: Prisma.Decimal }[] } | null;
  supplierId: string;
  locationId: string;
  lines: PlannedLine[];
  currency: string;
  approvalThreshold: Cents | null;
  orderAlert: Cents | null;
  disputeOpen: boolean;
  partNumbers: (skuId: string) => string | null;
  actor: { type: "SYSTEM" | "MERCHANT"; name: string };
}

/**
 * Creates the draft or rewrites an existing one in place. PO-level checks (approval threshold, order_alert,
 * dispute) are made on the PO's final total with the engine's own rule, so a draft merged from several runs
 * is judged as a whole. Flagged → AWAITING_APPROVAL (what approval then requires is purchasing's policy).
 * Events are written only when something changed, so an identical re-run leaves no trace but the new run id.
 */
async function upsertDraftPurchaseOrder(
  tx: ScopedTx,
  input: UpsertPoInput,
): Promise<{ id: string; number: string; flags: Flag[]; lines: Prisma.PurchaseOrderLineCreateManyInput[] }> {
  const totalCents = input.lines.reduce((sum, l) => sum + lineTotalCents(l.quantity, l.unitPrice), 0);
  const poFlags = detectPurchaseOrderAnomalies({ total: totalCents, approvalThreshold: input.approvalThreshold, orderAlert: input.orderAlert, supplierDisputeOpen: input.disputeOpen, currency: input.currency });
  const flags = uniqueFlags([...poFlags, ...input.lines.flatMap((l) => l.flags)]);
  const status: PurchaseOrderStatus = flags.length > 0 ? "AWAITING_APPROVAL" : "DRAFT";
  const total = centsDecimal(totalCents);
  const header = {
    status, currency: input.currency, subtotal: total, total, flags: flags.map((f) => f.code), reorderRunId: input.runId,
  };
  const eventData = { runId: input.runId, trigger: input.trigger, flags: flags.map((f) => f.code) };

  let id: string;
  let number: string;
  if (!input.existing) {
    number = await nextDocumentNumber(tx, input.shopId, "PO", input.documentYear);
    const created = await tx.purchaseOrder.create({ data: { ...header, shopId: input.shopId, number, supplierId: input.supplierId, locationId: input.locationId }, select: { id: true } });
    id = created.id;
    await tx.purchaseOrderEvent.create({
      data: {
        shopId: input.shopId, purchaseOrderId: id, type: "STATUS_CHANGE", actorType: input.actor.type, actorName: input.actor.name, toStatus: status,
        message: (input.trigger === "SUPPLIER_PAGE" ? "Drafted from the latest suggestions" : "Drafted by reorder run") + (status === "AWAITING_APPROVAL" ? `; needs review: ${flags.map((f) => f.message).join("; ")}` : ""),
        data: toJson(eventData),
      },
    });
  } else {
    ({ id, number } = input.existing);
    const before = input.existing.lines.map((l) => `${l.skuId}:${l.quantityOrdered}:${toPriceUnits(l.unitCost.toString())}`).sort().join(",");
    const after = input.lines.map((l) => `${l.skuId}:${l.quantity}:${l.unitPrice}`).sort().join(",");
    await tx.purchaseOrder.update({ where: { id }, data: header });
    await tx.purchaseOrderLine.deleteMany({ where: { purchaseOrderId: id } });
    // The button always leaves a trace (the merchant asked); a run only when the lines changed.
    if (before !== after || input.trigger === "SUPPLIER_PAGE") {
      const message =
        input.trigger !== "SUPPLIER_PAGE" ? "Lines replaced by reorder run"
        : input.actor.type === "MERCHANT" ? "The latest suggestions added to the lines"
        : "Lines replaced by the latest suggestions";
      await tx.purchaseOrderEvent.create({
        data: { shopId: input.shopId, purchaseOrderId: id, type: "LINES_EDITED", actorType: input.actor.type, actorName: input.actor.name, message, data: toJson({ ...eventData, before, after }) },
      });
    }
    if (input.existing.status !== status) {
      await tx.purchaseOrderEvent.create({
        data: {
          shopId: input.shopId, purchaseOrderId: id, type: "STATUS_CHANGE", actorType: input.actor.type, actorName: input.actor.name, fromStatus: input.existing.status, toStatus: status,
          message: status === "AWAITING_APPROVAL" ? `Needs review: ${flags.map((f) => f.message).join("; ")}` : "No longer flagged", data: toJson(eventData),
        },
      });
    }
  }
  // Lines are returned, not written: the caller inserts them once the suggestions they point at exist.
  const lines = input.lines.map((l) => ({
    shopId: input.shopId, purchaseOrderId: id, skuId: l.skuId, supplierPartNumber: input.partNumbers(l.skuId), quantityOrdered: l.quantity,
    unitCost: priceDecimal(l.unitPrice), expectedDate: l.expectedDate ? dateOf(l.expectedDate) : null, suggestionId: l.suggestionId,
  }));
  return { id, number, flags, lines };
}

async function cancelDraftPurchaseOrder(
  tx: ScopedTx,
  draft: { id: string; status: PurchaseOrderStatus },
  ctx: { shopId: string; runId: string; at: Date; trigger: RunTrigger },
  reason: string,
): Promise<void> {
  await tx.purchaseOrder.update({ where: { id: draft.id }, data: { status: "CANCELLED", cancelledAt: ctx.at, reorderRunId: ctx.runId } });
  await tx.purchaseOrderEvent.create({
    data: {
      shopId: ctx.shopId, purchaseOrderId: draft.id, type: "STATUS_CHANGE", actorType: "SYSTEM", actorName: SYSTEM_ACTOR, fromStatus: draft.status, toStatus: "CANCELLED",
      message: `Cancelled: ${reason}`, data: toJson({ runId: ctx.runId, trigger: ctx.trigger }),
    },
  });
}

function uniqueFlags(flags: readonly Flag[]): Flag[] {
  const seen = new Map<string, Flag>();
  for (const f of flags) if (!seen.has(f.code)) seen.set(f.code, f);
  return [...seen.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
}

function suggestionRow(
  s: ReorderSuggestion,
  o: { id: string; shopId: string; runId: string; purchaseOrderId: string | null; transferFromLocationId: string | null; snapshot: ReorderSnapshot; currency: string },
): Prisma.ReorderSuggestionCreateManyInput {
  const sku = o.snapshot.skus.get(s.skuId);
  const supplierName = s.supplierId ? (o.snapshot.suppliers.get(s.supplierId)?.name ?? s.supplierId) : null;
  const locationName = o.snapshot.locations.get(s.locationId) ?? s.locationId;
  const named = (id: string) => o.snapshot.suppliers.get(id)?.name ?? id;
  // The engine's paragraph names ids; the merchant reads names. Same function, same numbers.
  const text = explainSuggestion(
    { ...s, skuId: sku ? `${sku.code} (${sku.title})` : s.skuId, locationId: locationName, supplierId: supplierName, supplierScores: s.supplierScores.map((x) => ({ ...x, supplierId: named(x.supplierId) })) },
    o.currency,
  );
  const { explanation: _engineText, ...numbers } = s;
  const action = s.orderQuantity.quantity > 0 && s.supplierId ? "PURCHASE" : s.transferIn > 0 ? "TRANSFER" : "NONE";
  return {
    id: o.id,
    shopId: o.shopId,
    runId: o.runId,
    skuId: s.skuId,
    locationId: s.locationId,
    action,
    supplierId: s.supplierId,
    transferFromLocationId: action === "TRANSFER" ? o.transferFromLocationId : null,
    quantity: action === "PURCHASE" ? s.orderQuantity.quantity : action === "TRANSFER" ? Math.round(s.transferIn) : 0,
    rawQuantity: dec(s.orderQuantity.raw, 4),
    unitCost: s.supplierId ? priceDecimal(s.orderQuantity.unitPrice) : null,
    dailyForecast: dec(s.forecast.dailyRate, 4),
    safetyStock: dec(s.safetyStock.units, 4),
    reorderPoint: dec(s.reorderPoint, 4),
    targetStock: dec(s.target.target, 4),
    stockPosition: Math.round(s.position.position),
    daysLeft: s.daysLeft === null ? null : dec(s.daysLeft, 2, 99_999_999),
    stockoutDate: s.stockOutDate ? dateOf(s.stockOutDate) : null,
    abcClass: s.abcClass,
    flags: s.flags.map((f) => f.code),
    explanation: toJson({ ...numbers, names: { sku: sku?.code ?? null, location: locationName, supplier: supplierName }, currency: o.currency }),
    explanationText: text,
    purchaseOrderId: o.purchaseOrderId,
  };
}

async function writeTransfers(tx: ScopedTx, ctx: WriteContext, scope: Set<string> | null): Promise<string[]> {
  const { plan, shopId, runId } = ctx;
  const wanted = new Map<string, { from: string; to: string; lines: Map<string, number> }>();
  for (const t of plan.transfers) {
    const key = pairKey(t.fromLocationId, t.toLocationId);
    const entry = wanted.get(key) ?? { from: t.fromLocationId, to: t.toLocationId, lines: new Map<string, number>() };
    entry.lines.set(t.skuId, (entry.lines.get(t.skuId) ?? 0) + t.quantity);
    wanted.set(key, entry);
  }
  const drafts = await tx.transfer.findMany({
    where: REPLACEABLE_DRAFT_TRANSFER_WHERE,
    select: { id: true, fromLocationId: true, toLocationId: true, lines: { select: { skuId: true, quantity: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const draftByKey = new Map<string, (typeof drafts)[number]>();
  for (const d of drafts) {
    const key = pairKey(d.fromLocationId, d.toLocationId);
    if (!draftByKey.has(key)) draftByKey.set(key, d);
    else if (!scope) await tx.transfer.update({ where: { id: d.id }, data: { status: "CANCELLED", reorderRunId: runId } });
  }
  const ids: string[] = [];
  for (const key of [...new Set([...draftByKey.keys(), ...wanted.keys()])].sort()) {
    const draft = draftByKey.get(key);
    const target = wanted.get(key);
    const lines = new Map<string, number>();
    if (scope && draft) for (const l of draft.lines) if (!scope.has(l.skuId)) lines.set(l.skuId, l.quantity);
    for (const [skuId, q] of target?.lines ?? []) lines.set(skuId, q);
    if (lines.size === 0) {
      if (draft) await tx.transfer.update({ where: { id: draft.id }, data: { status: "CANCELLED", reorderRunId: runId } });
      continue;
    }
    let id: string;
    if (draft) {
      id = draft.id;
      await tx.transfer.update({ where: { id }, data: { reorderRunId: runId } });
      await tx.transferLine.deleteMany({ where: { transferId: id } });
    } else {
      const from = target?.from as string;
      const to = target?.to as string;
      const number = await nextDocumentNumber(tx, shopId, "TRANSFER", yearOf(plan.asOf));
      id = (await tx.transfer.create({ data: { shopId, number, fromLocationId: from, toLocationId: to, status: "DRAFT", reorderRunId: runId }, select: { id: true } })).id;
    }
    await tx.transferLine.createMany({ data: [...lines].sort(([a], [b]) => (a < b ? -1 : 1)).map(([skuId, quantity]) => ({ shopId, transferId: id, skuId, quantity })) });
    ids.push(id);
  }
  return ids;
}

/**
 * Review queue. One open item per cause: the dedupe key names the subject and the sorted flag codes, so a
 * re-run with the same flags finds its item (refreshed while open, left alone once a person dismissed or
 * resolved it), and a new reason opens a new item. Open items of this run's POs whose cause is gone are
 * resolved by the system.
 */
async function writeReviewItems(
  tx: ScopedTx,
  ctx: WriteContext,
  flaggedPos: { id: string; number: string; supplierId: string; flags: Flag[] }[],
  poBySuggestion: ReadonlyMap<string, string>,
  suggestionIds: ReadonlyMap<string, string>,
): Promise<void> {
  const { snapshot, plan, runId, at } = ctx;
  const items: { subjectType: string; subjectId: string; dedupeKey: string; reason: string; details: Record<string, unknown> }[] = [];
  for (const po of flaggedPos) {
    const codes = po.flags.map((f) => f.code).join(",");
    items.push({
      subjectType: "PURCHASE_ORDER", subjectId: po.id, dedupeKey: `flagged-po-${po.id}-${codes}`,
      reason: `${po.number} (${snapshot.suppliers.get(po.supplierId)?.name ?? po.supplierId}) needs review: ${po.flags.map((f) => f.message).join("; ")}`,
      details: { runId, purchaseOrderId: po.id, number: po.number, flags: po.flags },
    });
  }
  // Flagged suggestions no draft carries (no supplier, waiting under order_min, deferred by order_max).
  for (const s of plan.suggestions) {
    if (s.flags.length === 0) continue;
    const id = suggestionIds.get(pairKey(s.skuId, s.locationId));
    if (!id || poBySuggestion.has(id)) continue;
    if (s.orderQuantity.quantity <= 0 && !s.flags.some((f) => f.code === "no_supplier")) continue;
    const codes = uniqueFlags(s.flags).map((f) => f.code).join(",");
    const sku = snapshot.skus.get(s.skuId);
    items.push({
      subjectType: "SKU", subjectId: s.skuId, dedupeKey: `flagged-sku-${s.skuId}-${s.locationId}-${codes}`,
      reason: `${sku?.code ?? s.skuId} at ${snapshot.locations.get(s.locationId) ?? s.locationId} needs review: ${s.flags.map((f) => f.message).join("; ")}`,
      details: { runId, suggestionId: id, skuId: s.skuId, locationId: s.locationId, quantity: s.orderQuantity.quantity, flags: s.flags },
    });
  }
  for (const item of items) {
    const existing = await tx.reviewItem.findUnique({ where: { shopId_dedupeKey: { shopId: ctx.shopId, dedupeKey: item.dedupeKey } }, select: { id: true, status: true } });
    if (!existing) await tx.reviewItem.create({ data: { shopId: ctx.shopId, kind: "FLAGGED_PO", ...item, details: toJson(item.details) } });
    else if (existing.status === "OPEN") await tx.reviewItem.update({ where: { id: existing.id }, data: { reason: item.reason, details: toJson(item.details) } });
  }
  // Causes that went away: this run's POs no longer flagged that way, SKUs of this run no longer flagged.
  const current = new Set(items.map((i) => i.dedupeKey));
  const subjects = [...new Set([...flaggedPos.map((p) => p.id), ...(await tx.purchaseOrder.findMany({ where: { reorderRunId: runId }, select: { id: true } })).map((p) => p.id), ...plan.suggestions.map((s) => s.skuId)])];
  if (subjects.length === 0) return;
  const open = await tx.reviewItem.findMany({
    where: { kind: "FLAGGED_PO", status: "OPEN", subjectId: { in: subjects } },
    select: { id: true, dedupeKey: true, subjectType: true, subjectId: true, details: true },
  });
  const planned = new Set(plan.suggestions.map((s) => pairKey(s.skuId, s.locationId)));
  const stale = open.filter((o) => {
    if (current.has(o.dedupeKey)) return false;
    if (o.subjectType === "SKU") {
      const d = o.details;
      const locationId = typeof d === "object" && d !== null && !Array.isArray(d) && typeof d.locationId === "string" ? d.locationId : null;
      return locationId !== null && planned.has(pairKey(o.subjectId, locationId));
    }
    return o.subjectType === "PURCHASE_ORDER";
  });
  if (stale.length > 0) {
    await tx.reviewItem.updateMany({ where: { id: { in: stale.map((s) => s.id) } }, data: { status: "RESOLVED", resolvedAt: at, resolvedBy: `system: reorder run ${runId}` } });
  }
}

function toJson(value: unknown): Prisma.InputJsonValue {
  // NaN/Infinity become null and undefined keys disappear, as JSON has no place for them.
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

// ───────────────────────────── Reorder by supplier: create/refresh one supplier's draft ─────────────────────────────

export interface SupplierDraftResult {
  purchaseOrders: { id: string; number: string; status: PurchaseOrderStatus; locationId: string }[];
}

/**
 * The merchant asked for this supplier's PO now (the "Create PO" button): builds it from the latest
 * suggestion of every SKU × location that chose this supplier, even when the engine would have waited
 * (under order_min) — a person decided. An unapproved draft made from suggestions is refreshed in place.
 *
 * The draft stays the engine's: asking for it is not editing it, so the next run rewrites it in place
 * with its newer numbers (a run tops up an existing draft even under order_min) and never counts it as
 * stock on order. When this made the draft the merchant's, the next run counted the unsent draft as on
 * order and opened a second draft beside it for what was left, and a second click replaced the first
 * draft's lines with those leftovers. A draft the merchant did edit (a MERCHANT event) is theirs and is
 * already counted as on order, so the suggestions are what is needed on top: they are added to its
 * lines instead of replacing them.
 */
export async function createSupplierDraftFromSuggestions(shopId: string, supplierId: string, options: { now?: Date; actorName?: string } = {}): Promise<SupplierDraftResult> {
  const at = options.now ?? new Date();
  const db = forShop(shopId);
  const supplier = await db.supplier.findUnique({
    where: { id: supplierId },
    select: { id: true, name: true, currency: true, leadTimeDays: true, autoSend: true, reorderParameters: true, qualityDisputeOpen: true },
  });
  if (!supplier) throw new AppError("not_found", "Supplier not found");
  const lines = await latestSuggestionsForSupplier(shopId, supplierId);
  const ordering = lines.filter((l) => l.action === "PURCHASE" && l.quantity > 0 && l.unitCost !== null);
  if (ordering.length === 0) throw new AppError("conflict", `The latest reorder run suggests nothing to order from ${supplier.name}`);
  const settings = await db.shopSettings.findUnique({ where: { shopId }, select: { approvalThreshold: true } });
  const parameters: SupplierParameters = supplierParametersOf(supplier, []);
  const parts = await db.supplierProduct.findMany({ where: { supplierId, skuId: { in: ordering.map((l) => l.skuId) } }, select: { skuId: true, supplierPartNumber: true } });
  const partBySku = new Map(parts.map((p) => [p.skuId, p.supplierPartNumber]));

  const byLocation = new Map<string, typeof ordering>();
  for (const l of ordering) byLocation.set(l.locationId, [...(byLocation.get(l.locationId) ?? []), l]);
  return db.$transaction(async (tx) => {
    await lockShopPlan(tx, shopId);
    const out: SupplierDraftResult["purchaseOrders"] = [];
    for (const [locationId, group] of [...byLocation].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // The engine's draft first (the suggestions assume it is not on order); else the merchant's own.
      const select = { id: true, number: true, status: true, lines: { select: { skuId: true, quantityOrdered: true, unitCost: true, expectedDate: true, suggestionId: true } } } as const;
      const enginesDraft = await tx.purchaseOrder.findFirst({ where: { supplierId, locationId, ...REPLACEABLE_DRAFT_PO_WHERE }, select, orderBy: { createdAt: "desc" } });
      const existing = enginesDraft ?? (await tx.purchaseOrder.findFirst({
        where: { supplierId, locationId, reorderRunId: { not: null }, status: { in: ["DRAFT", "AWAITING_APPROVAL"] }, approvedAt: null, sentAt: null },
        select,
        orderBy: { createdAt: "desc" },
      }));
      const runId = group.map((l) => l.runId).sort().at(-1) as string;
      const suggested: PlannedLine[] = group.map((l) => ({
        skuId: l.skuId, quantity: l.quantity, unitPrice: toPriceUnits((l.unitCost as Prisma.Decimal).toString()),
        // The lead time the plan used (a SKU's override included), as a run's own draft dates its lines.
        expectedDate: fromDayNumber(toDayNumber(at) + Math.ceil(l.leadTimeDays ?? supplier.leadTimeDays)), suggestionId: l.id, flags: l.flags,
      }));
      const merchantsOwn = existing !== null && enginesDraft === null;
      const written = await upsertDraftPurchaseOrder(tx, {
        shopId, runId, at, trigger: "SUPPLIER_PAGE", documentYear: at.getUTCFullYear(), existing, supplierId, locationId,
        lines: merchantsOwn && existing ? addToLines(existing.lines, suggested) : suggested,
        currency: supplier.currency, approvalThreshold: settings ? toCentsFromDecimal(settings.approvalThreshold) : null,
        orderAlert: parameters.orderAlert, disputeOpen: supplier.qualityDisputeOpen, partNumbers: (skuId) => partBySku.get(skuId) ?? null,
        actor: merchantsOwn
          ? { type: "MERCHANT", name: options.actorName ?? "Reorder by supplier" }
          : { type: "SYSTEM", name: options.actorName ? `Reorder by supplier, asked by ${options.actorName}` : "Reorder by supplier" },
      });
      await insertPurchaseOrderLines(tx, written.lines);
      await tx.reorderSuggestion.updateMany({ where: { id: { in: group.map((l) => l.id) } }, data: { purchaseOrderId: written.id } });
      if (written.flags.length > 0) {
        const dedupeKey = `flagged-po-${written.id}-${written.flags.map((f) => f.code).join(",")}`;
        const found = await tx.reviewItem.findUnique({ where: { shopId_dedupeKey: { shopId, dedupeKey } }, select: { id: true } });
        if (!found) {
          await tx.reviewItem.create({
            data: {
              shopId, kind: "FLAGGED_PO", subjectType: "PURCHASE_ORDER", subjectId: written.id, dedupeKey,
              reason: `${written.number} (${supplier.name}) needs review: ${written.flags.map((f) => f.message).join("; ")}`,
              details: toJson({ purchaseOrderId: written.id, number: written.number, flags: written.flags }),
            },
          });
        }
      }
      const status: PurchaseOrderStatus = written.flags.length > 0 ? "AWAITING_APPROVAL" : "DRAFT";
      out.push({ id: written.id, number: written.number, status, locationId });
    }
    return { purchaseOrders: out };
  }, TRANSACTION_OPTIONS);
}

/** A merchant's draft plus the latest suggestions, which were planned with that draft counted as on order. */
function addToLines(
  lines: readonly { skuId: string; quantityOrdered: number; unitCost: Prisma.Decimal; expectedDate: Date | null; suggestionId: string | null }[],
  suggested: readonly PlannedLine[],
): PlannedLine[] {
  const bySku = new Map(suggested.map((l) => [l.skuId, l]));
  const merged: PlannedLine[] = lines.map((l) => {
    const more = bySku.get(l.skuId);
    bySku.delete(l.skuId);
    return more
      ? { ...more, quantity: l.quantityOrdered + more.quantity }
      : { skuId: l.skuId, quantity: l.quantityOrdered, unitPrice: toPriceUnits(l.unitCost.toString()), expectedDate: l.expectedDate ? fromDayNumber(toDayNumber(l.expectedDate)) : null, suggestionId: l.suggestionId, flags: [] };
  });
  return [...merged, ...bySku.values()];
}

function toCentsFromDecimal(d: Prisma.Decimal): Cents {
  return d.times(100).toDecimalPlaces(0, Prisma.Decimal.ROUND_HALF_UP).toNumber();
}

// ───────────────────────────── requesting runs ─────────────────────────────

type Enqueuer = Pick<QueueRegistry, "enqueue">;

/**
 * For the ledger's writers: "these SKUs' stock moved, re-plan them". Bursts coalesce: every request for
 * the same SKU set inside one window (a minute) maps to one job id, and that job is delayed to the end of
 * the window, so it starts after the burst and reads the stock as the burst left it. A request after the
 * window opens the next one. Returns the job id.
 */
export async function requestReorderForSkus(
  shopId: string,
  skuIds: readonly string[],
  options: { queues?: Enqueuer; now?: Date } = {},
): Promise<string | null> {
  const unique = [...new Set(skuIds)].sort();
  if (unique.length === 0) return null;
  const at = (options.now ?? new Date()).getTime();
  const window = Math.floor(at / STOCK_CHANGE_COALESCE_MS);
  const delay = (window + 1) * STOCK_CHANGE_COALESCE_MS - at;
  const key = unique.length === 1 ? (unique[0] as string) : createHash("sha256").update(unique.join(",")).digest("hex").slice(0, 24);
  const id = jobId("reorder-stock", shopId, `${window}-${key}`);
  const add = options.queues?.enqueue.bind(options.queues) ?? enqueueFromWeb;
  return add("reorder", "run-reorder", { shopId, trigger: "STOCK_CHANGE", skuIds: unique }, { jobId: id, delay });
}

/** "Run reorder now": a MANUAL run; repeated clicks within a minute are one job. */
export async function requestManualReorder(shopId: string, options: { queues?: Enqueuer; now?: Date } = {}): Promise<string> {
  const at = (options.now ?? new Date()).getTime();
  const id = jobId("reorder-manual", shopId, Math.floor(at / 60_000));
  const add = options.queues?.enqueue.bind(options.queues) ?? enqueueFromWeb;
  return add("reorder", "run-reorder", { shopId, trigger: "MANUAL" }, { jobId: id });
}


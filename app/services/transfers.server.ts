import type { Prisma, TransferStatus } from "@prisma/client";
import { transferTransition, validateTransferDraft, type TransferEvent } from "#app/domain/receiving/transfer.ts";
import { AppError } from "#app/lib/app-error.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { stockKey } from "#app/domain/ledger/stock-ledger.ts";
import { appendMovements, lockInventoryLevels } from "#app/models/ledger.server.ts";
import { lockTransfer } from "#app/models/receipt.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { requestReorderForSkus } from "./replenishment.server.ts";
import { requestStockPush } from "./stock-sync.server.ts";

// Transfers between locations (issue 5, item 7): proposed by the engine (drafts with a reorder run)
// or made by hand; draft → approved → shipped (TRANSFER_OUT leaves the source through the ledger) →
// received (TRANSFER_IN at the destination through the receiving service and screen).

const TRANSACTION = { timeout: 20_000, maxWait: 20_000 };

export interface TransferRow {
  id: string;
  number: string;
  status: TransferStatus;
  fromName: string;
  toName: string;
  origin: "ENGINE" | "MANUAL";
  units: number;
  unitsReceived: number;
  lineCount: number;
  createdAt: Date;
  shippedAt: Date | null;
  receivedAt: Date | null;
}

/** The Transfers page's tabs: what still needs a person (the default), what arrived, what was dropped. */
export const TRANSFER_STATUS_GROUPS = {
  OPEN: ["DRAFT", "APPROVED", "SHIPPED"],
  RECEIVED: ["RECEIVED"],
  CANCELLED: ["CANCELLED"],
} as const satisfies Record<string, readonly TransferStatus[]>;
export type TransferStatusGroup = keyof typeof TRANSFER_STATUS_GROUPS | "ALL";

export async function listTransfers(shopId: string, limit = 200, group: TransferStatusGroup = "ALL"): Promise<TransferRow[]> {
  const rows = await forShop(shopId).transfer.findMany({
    ...(group === "ALL" ? {} : { where: { status: { in: [...TRANSFER_STATUS_GROUPS[group]] } } }),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { fromLocation: { select: { name: true } }, toLocation: { select: { name: true } }, lines: { select: { quantity: true, quantityReceived: true } } },
  });
  return rows.map(toTransferRow);
}

type TransferForRow = {
  id: string;
  number: string;
  status: TransferStatus;
  reorderRunId: string | null;
  createdAt: Date;
  shippedAt: Date | null;
  receivedAt: Date | null;
  fromLocation: { name: string };
  toLocation: { name: string };
  lines: readonly { quantity: number; quantityReceived: number }[];
};

/** One list row: the same totals on the list and at the top of a transfer's own page. */
function toTransferRow(t: TransferForRow): TransferRow {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    fromName: t.fromLocation.name,
    toName: t.toLocation.name,
    origin: t.reorderRunId ? "ENGINE" : "MANUAL",
    units: t.lines.reduce((sum, l) => sum + l.quantity, 0),
    unitsReceived: t.lines.reduce((sum, l) => sum + l.quantityReceived, 0),
    lineCount: t.lines.length,
    createdAt: t.createdAt,
    shippedAt: t.shippedAt,
    receivedAt: t.receivedAt,
  };
}

/**
 * The lines `fromLocationId` cannot cover from what it has on hand now: the rule Ship applies (under a lock)
 * when stock actually leaves, checked earlier so a draft that could never ship is refused when it is made.
 */
async function shortLines(
  tx: Prisma.TransactionClient,
  fromLocationId: string,
  lines: readonly { skuId: string; quantity: number }[],
): Promise<{ skuId: string; quantity: number; held: number }[]> {
  const levels = await tx.inventoryLevel.findMany({ where: { locationId: fromLocationId, skuId: { in: lines.map((l) => l.skuId) } }, select: { skuId: true, onHand: true } });
  const held = new Map(levels.map((l) => [l.skuId, l.onHand]));
  return lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, held: Math.max(0, held.get(l.skuId) ?? 0) })).filter((l) => l.held < l.quantity);
}

/** "Main warehouse holds 498 of MUG-BLUE, not the 99,999 asked" (one clause per short SKU). */
function notEnoughMessage(locationName: string, short: readonly { skuId: string; quantity: number; held: number }[], codeOf: ReadonlyMap<string, string>): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return `${locationName} holds ${short.map((l) => `${count(l.held)} of ${codeOf.get(l.skuId) ?? l.skuId}, not the ${count(l.quantity)} asked`).join("; ")}`;
}

export interface TransferDetails extends TransferRow {
  lines: { skuId: string; skuCode: string; title: string; quantity: number; quantityReceived: number; reason: string | null }[];
}

/**
 * One transfer with its lines, for the page behind the list's transfer number. An engine proposal's line
 * carries the engine's paragraph for that SKU from the run that last wrote the draft (null for a hand-made
 * transfer, or a line an earlier run left in place).
 */
export async function getTransfer(shopId: string, transferId: string): Promise<TransferDetails> {
  const db = forShop(shopId);
  const t = await db.transfer.findFirst({
    where: { id: transferId },
    include: {
      fromLocation: { select: { name: true } },
      toLocation: { select: { name: true } },
      lines: { select: { skuId: true, quantity: true, quantityReceived: true, sku: { select: { code: true, title: true } } }, orderBy: { sku: { code: "asc" } } },
    },
  });
  if (!t) throw new AppError("not_found", "Transfer not found");
  const reasons = t.reorderRunId
    ? await db.reorderSuggestion.findMany({
        where: { runId: t.reorderRunId, action: "TRANSFER", locationId: t.toLocationId, transferFromLocationId: t.fromLocationId, skuId: { in: t.lines.map((l) => l.skuId) } },
        select: { skuId: true, explanationText: true },
      })
    : [];
  const reasonOf = new Map(reasons.map((r) => [r.skuId, r.explanationText]));
  return {
    ...toTransferRow(t),
    lines: t.lines.map((l) => ({ skuId: l.skuId, skuCode: l.sku.code, title: l.sku.title, quantity: l.quantity, quantityReceived: l.quantityReceived, reason: reasonOf.get(l.skuId) ?? null })),
  };
}

export interface NewTransferInput {
  fromLocationId: string;
  toLocationId: string;
  lines: { skuCode: string; quantity: number }[];
}

/** A hand-made draft; SKUs by code. Numbered TR-YYYY-NNNN from the shop's gapless sequence. */
export async function createTransfer(shopId: string, input: NewTransferInput, options: { now?: Date } = {}): Promise<{ id: string; number: string }> {
  const now = options.now ?? new Date();
  return forShop(shopId).$transaction(async (tx) => {
    const codes = [...new Set(input.lines.map((l) => l.skuCode.trim()))];
    const skus = await tx.sku.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const idOf = new Map(skus.map((s) => [s.code, s.id]));
    const unknown = codes.filter((c) => !idOf.has(c));
    if (unknown.length > 0) throw new AppError("invalid", `Unknown SKU${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}`);
    const checked = validateTransferDraft(input.fromLocationId, input.toLocationId, input.lines.map((l) => ({ skuId: idOf.get(l.skuCode.trim()) as string, quantity: l.quantity })));
    if (!checked.ok) throw new AppError("invalid", checked.error);
    const locations = await tx.location.findMany({ where: { id: { in: [input.fromLocationId, input.toLocationId] } }, select: { id: true, name: true } });
    if (locations.length !== 2) throw new AppError("invalid", "Choose two of the shop's locations");
    const fromName = locations.find((l) => l.id === input.fromLocationId)?.name ?? "The source";
    const short = await shortLines(tx as unknown as Prisma.TransactionClient, input.fromLocationId, checked.value);
    if (short.length > 0) throw new AppError("invalid", notEnoughMessage(fromName, short, new Map(skus.map((s) => [s.id, s.code]))));
    const number = await nextDocumentNumber(tx, shopId, "TRANSFER", now.getUTCFullYear());
    const created = await tx.transfer.create({
      data: { shopId, number, fromLocationId: input.fromLocationId, toLocationId: input.toLocationId, status: "DRAFT", lines: { create: checked.value.map((l) => ({ shopId, skuId: l.skuId, quantity: l.quantity })) } },
      select: { id: true, number: true },
    });
    return created;
  }, TRANSACTION);
}

/**
 * approve / cancel change only the status; ship posts TRANSFER_OUT for every line at the source (refused
 * when the source does not hold enough). Receiving is confirmReceipt({ transferId }).
 */
export async function advanceTransfer(
  shopId: string,
  transferId: string,
  event: Exclude<TransferEvent, "receive" | "unreceive">,
  options: { now?: Date; queues?: Pick<QueueRegistry, "enqueue"> } = {},
): Promise<{ status: TransferStatus; number: string }> {
  const now = options.now ?? new Date();
  const result = await forShop(shopId).$transaction(async (tx) => {
    if (!(await lockTransfer(tx, shopId, transferId))) throw new AppError("not_found", "Transfer not found");
    const transfer = await tx.transfer.findFirstOrThrow({ where: { id: transferId }, include: { lines: { include: { sku: { select: { code: true } } } }, fromLocation: { select: { name: true } } } });
    const next = transferTransition(transfer.status, event, transfer.number);
    if (!next.ok) throw new AppError("conflict", next.error);
    let skuIds: string[] = [];
    if (event === "approve") {
      // Approving says "this can go": a draft the source cannot cover (an engine proposal from stock that has
      // since sold, a typo) is refused now, with what the source holds, instead of when someone tries to ship it.
      const short = await shortLines(tx as unknown as Prisma.TransactionClient, transfer.fromLocationId, transfer.lines);
      if (short.length > 0) throw new AppError("conflict", notEnoughMessage(transfer.fromLocation.name, short, new Map(transfer.lines.map((l) => [l.skuId, l.sku.code]))));
    }
    if (event === "ship") {
      // Locked before the check (the transfer row is already ours, the documents-then-levels order of
      // receiving): a concurrent write-off, sale or other shipment of these levels waits and then sees
      // what this one took, so two of them cannot both spend the same units.
      const locked = await lockInventoryLevels(tx as unknown as Prisma.TransactionClient, shopId, transfer.lines.map((l) => ({ skuId: l.skuId, locationId: transfer.fromLocationId })));
      const onHand = new Map(transfer.lines.map((l) => [l.skuId, locked.get(stockKey(l.skuId, transfer.fromLocationId)) ?? 0]));
      const short = transfer.lines.filter((l) => (onHand.get(l.skuId) ?? 0) < l.quantity);
      if (short.length > 0) {
        throw new AppError("conflict", `${transfer.fromLocation.name} does not hold enough to ship ${transfer.number}: ${short.map((l) => `${l.sku.code} ${onHand.get(l.skuId) ?? 0} of ${l.quantity}`).join(", ")}`);
      }
      await appendMovements(
        shopId,
        transfer.lines.map((l) => ({
          skuId: l.skuId, locationId: transfer.fromLocationId, kind: "TRANSFER_OUT" as const, quantity: -l.quantity, sourceType: "TRANSFER", sourceId: transfer.id,
          idempotencyKey: `transfer:${transfer.id}:out:${l.skuId}`, occurredAt: now, note: `${transfer.number} shipped`,
        })),
        tx as unknown as Prisma.TransactionClient,
      );
      skuIds = transfer.lines.map((l) => l.skuId);
    }
    await tx.transfer.update({ where: { id: transfer.id }, data: { status: next.value, ...(event === "ship" ? { shippedAt: now } : {}) } });
    return { status: next.value, number: transfer.number, skuIds };
  }, TRANSACTION);
  if (result.skuIds.length > 0) {
    const queues = options.queues;
    await requestReorderForSkus(shopId, result.skuIds, { now, ...(queues ? { queues } : {}) });
    await requestStockPush(shopId, result.skuIds, queues ? { queues: queues as QueueRegistry } : {});
  }
  return { status: result.status, number: result.number };
}

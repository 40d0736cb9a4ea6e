import type { PoDelivery, Prisma } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { getEnv } from "#app/env.server.ts";
import { decryptCredentials, encryptCredentials } from "#app/channels/credentials.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { renderPurchaseOrderPdf } from "#app/lib/pdf.server.ts";
import { renderPurchaseOrderCsv } from "#app/lib/purchase-order-csv.server.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { postSignedWebhook, type WebhookAttemptOptions } from "#app/lib/supplier-webhook.server.ts";
import { money, type PoDocument } from "#app/domain/purchasing/po-document.ts";
import { lockPurchaseOrder } from "#app/models/purchase-order-lifecycle.server.ts";
import { loadPoDocument } from "#app/models/purchase-order-document.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { jobId } from "#workers/queues.ts";
import { scheduleDeposit } from "./accounting.server.ts";
import { dispatchNotifications, queueNotifications, type NotificationInput } from "./notification-outbox.server.ts";
import { applyPurchaseOrderEventInTransaction, approveByPolicy, issueSupplierPortalToken } from "./purchase-orders.server.ts";

/**
 * Sending a PO to its supplier (issue 5, item 3): the `purchasing/dispatch-po` job's three steps.
 *
 *   render  → the document (PDF or CSV, per supplier) is stored as the PO's SYSTEM attachment
 *   send    → EMAIL/PORTAL: the email(s) go into the notifications outbox; API: the signed JSON POST
 *   record  → status SENT (state machine `send`) and the EMAIL_SENT event
 *
 * Every step can run again without doing anything twice, which is what makes a retried job safe:
 * - render writes the same bytes (the PDF is deterministic) over the same attachment row;
 * - for email, send and record are one transaction: the outbox rows (unique dedupe key per PO and
 *   round) and the status change commit together, and the outbox delivers after commit. A retry after
 *   that commit finds the dedupe key taken and the PO already SENT, and does nothing;
 * - for API, the POST carries a delivery id that stays the same across retries, so the supplier can
 *   drop a repeat; once the SENT record for that delivery exists the POST is not made again.
 *
 * `round` counts deliveries of one PO: 1 is the first send, a merchant's "Resend" is round 2, 3, …
 * A round's email is sent once, ever.
 */

export type DispatchStep = "render" | "send" | "record";

export interface DispatchInput {
  shopId: string;
  purchaseOrderId: string;
  step?: DispatchStep;
  round?: number;
}

export interface DispatchDeps {
  queues: QueueRegistry;
  now: () => Date;
  /** For API delivery; tests pass a fetch bound to a local server or zero delays. */
  webhook?: WebhookAttemptOptions;
}

export type DispatchResult =
  | { status: "SENT"; delivery: PoDelivery; round: number; notificationIds: string[]; alreadyDone: boolean }
  | { status: "SKIPPED"; reason: string };

const TRANSACTION = { timeout: 20_000, maxWait: 20_000 };
const SYSTEM_DISPATCH = { type: "SYSTEM", name: "PO dispatch" } as const;

/** The shop-scoped transaction as the outbox's transaction type (same delegate, narrower extension typing). */
export function outboxTx(tx: unknown): Parameters<typeof queueNotifications>[0] {
  return tx as Parameters<typeof queueNotifications>[0];
}

export function documentFileName(number: string, format: "PDF" | "CSV"): string {
  return `${number}.${format === "PDF" ? "pdf" : "csv"}`;
}

export async function renderDocument(doc: PoDocument, format: "PDF" | "CSV"): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  if (format === "CSV") return { fileName: documentFileName(doc.number, "CSV"), contentType: "text/csv; charset=utf-8", content: Buffer.from(renderPurchaseOrderCsv(doc), "utf8") };
  return { fileName: documentFileName(doc.number, "PDF"), contentType: "application/pdf", content: await renderPurchaseOrderPdf(doc) };
}

/** The portal address a supplier opens (the route is app/routes/portal.$token*). */
export function portalUrl(token: string): string {
  return new URL(`/portal/${encodeURIComponent(token)}`, getEnv().SHOPIFY_APP_URL).toString();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function supplierEmail(doc: PoDocument, link: string, round: number): Pick<NotificationInput, "subject" | "bodyText" | "bodyHtml"> {
  const again = round > 1 ? " (sent again)" : "";
  const subject = `Purchase order ${doc.number} from ${doc.buyer.name}${again}`;
  const lines = doc.lines.map((l) => `- ${l.quantity} × ${l.skuCode}${l.supplierPartNumber ? ` (your part ${l.supplierPartNumber})` : ""} ${l.title}`);
  const bodyText = [
    `Hello${doc.supplier.contactName ? ` ${doc.supplier.contactName}` : ""},`,
    "",
    `Please find purchase order ${doc.number} attached (${doc.lines.length} line${doc.lines.length === 1 ? "" : "s"}, total ${money(doc, doc.total)}).`,
    "",
    ...lines,
    "",
    `Ship to: ${[doc.shipTo.name, ...doc.shipTo.addressLines].join(", ")}`,
    doc.expectedArrivalDate ? `Requested arrival: ${doc.expectedArrivalDate}` : "",
    "",
    "Accept the order, propose changes, or set the ship date and tracking here:",
    link,
    "",
    "Please put the packing slip (the last page of the PDF) in the shipment so we can scan it on arrival.",
    "",
    doc.buyer.name,
  ]
    .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
    .join("\n");
  const bodyHtml = [
    `<p>Hello${doc.supplier.contactName ? ` ${escapeHtml(doc.supplier.contactName)}` : ""},</p>`,
    `<p>Please find purchase order <strong>${escapeHtml(doc.number)}</strong> attached (total ${escapeHtml(money(doc, doc.total))}).</p>`,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l.slice(2))}</li>`).join("")}</ul>`,
    `<p><a href="${escapeHtml(link)}">Accept, propose changes, or set the ship date and tracking</a></p>`,
    `<p>Please put the packing slip (the last page of the PDF) in the shipment so we can scan it on arrival.</p>`,
    `<p>${escapeHtml(doc.buyer.name)}</p>`,
  ].join("\n");
  return { subject, bodyText, bodyHtml };
}

/** The API payload (documented in docs/supplier-api.md). */
export function apiPayload(doc: PoDocument, link: string, round: number, sentAt: Date) {
  return {
    event: "purchase_order.sent",
    round,
    sentAt: sentAt.toISOString(),
    portalUrl: link,
    purchaseOrder: {
      number: doc.number,
      issuedOn: doc.issuedOn,
      currency: doc.currency,
      buyer: doc.buyer,
      shipTo: doc.shipTo,
      expectedShipDate: doc.expectedShipDate,
      expectedArrivalDate: doc.expectedArrivalDate,
      shipMethod: doc.shipMethod,
      lines: doc.lines.map((l) => ({
        sku: l.skuCode,
        supplierPartNumber: l.supplierPartNumber,
        description: l.variantTitle ? `${l.title} — ${l.variantTitle}` : l.title,
        quantity: l.quantity,
        unitCost: (l.unitCost / 10_000).toFixed(4),
        lineTotal: (l.lineTotal / 100).toFixed(2),
        expectedDate: l.expectedDate,
      })),
      subtotal: (doc.subtotal / 100).toFixed(2),
      shipping: (doc.shipping / 100).toFixed(2),
      total: (doc.total / 100).toFixed(2),
    },
  };
}

export function supplierApiSecretContext(shopId: string, supplierId: string): string {
  return `${shopId}:supplier-api:${supplierId}`;
}

/** Stores a supplier's webhook secret encrypted (AES-GCM bound to this shop and supplier). */
export async function setSupplierApiSettings(shopId: string, supplierId: string, input: { endpoint: string; secret: string }): Promise<void> {
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    throw new AppError("invalid", "Enter the supplier's endpoint as a full URL, like https://orders.example.com/po");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("invalid", "The supplier's endpoint must be an http(s) URL");
  if (input.secret.length < 16) throw new AppError("invalid", "The signing secret must be at least 16 characters");
  const exists = await forShop(shopId).supplier.findUnique({ where: { id: supplierId }, select: { id: true } });
  if (!exists) throw new AppError("not_found", "Supplier not found");
  await forShop(shopId).supplier.update({
    where: { id: supplierId },
    data: { apiEndpoint: url.toString(), encryptedApiSecret: encryptCredentials({ secret: input.secret }, supplierApiSecretContext(shopId, supplierId)) },
  });
}

/** What the API settings page shows: the endpoint, and only whether a secret is set. */
export async function getSupplierApiSettings(shopId: string, supplierId: string): Promise<{ id: string; name: string; poDelivery: PoDelivery; apiEndpoint: string; hasSecret: boolean }> {
  const supplier = await forShop(shopId).supplier.findUnique({
    where: { id: supplierId },
    select: { id: true, name: true, poDelivery: true, apiEndpoint: true, encryptedApiSecret: true },
  });
  if (!supplier) throw new AppError("not_found", "Supplier not found");
  return { id: supplier.id, name: supplier.name, poDelivery: supplier.poDelivery, apiEndpoint: supplier.apiEndpoint ?? "", hasSecret: supplier.encryptedApiSecret !== null };
}

async function storeRenderedDocument(shopId: string, purchaseOrderId: string, file: { fileName: string; contentType: string; content: Buffer }): Promise<void> {
  const db = forShop(shopId);
  const existing = await db.purchaseOrderAttachment.findFirst({
    where: { purchaseOrderId, fileName: file.fileName, uploadedBy: "SYSTEM" },
    select: { id: true, content: true },
  });
  const content = new Uint8Array(file.content);
  if (existing && Buffer.from(existing.content).equals(file.content)) return;
  if (existing) {
    await db.purchaseOrderAttachment.update({ where: { id: existing.id }, data: { content, sizeBytes: file.content.length, contentType: file.contentType } });
  } else {
    await db.purchaseOrderAttachment.create({
      data: { shopId, purchaseOrderId, fileName: file.fileName, contentType: file.contentType, sizeBytes: file.content.length, content, uploadedBy: "SYSTEM" },
    });
  }
}

async function hasSentRecord(shopId: string, purchaseOrderId: string, round: number): Promise<boolean> {
  const events = await forShop(shopId).purchaseOrderEvent.findMany({
    where: { purchaseOrderId, type: "EMAIL_SENT" },
    select: { data: true },
  });
  return events.some((e) => (e.data as { round?: unknown } | null)?.round === round);
}

/** Runs the job: every step from `step` on, each one a no-op when its work is already done. */
export async function dispatchPurchaseOrder(input: DispatchInput, deps: DispatchDeps): Promise<DispatchResult> {
  const { shopId, purchaseOrderId } = input;
  const round = input.round ?? 1;
  const now = deps.now();
  const po = await forShop(shopId).purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    select: {
      number: true, status: true, approvedAt: true, sentAt: true,
      shop: { select: { status: true } },
      supplier: { select: { id: true, name: true, poDelivery: true, documentFormat: true, orderEmail: true, ccEmails: true, apiEndpoint: true, encryptedApiSecret: true } },
    },
  });
  if (!po) throw new AppError("not_found", "Purchase order not found");
  if (po.shop.status !== "ACTIVE") return { status: "SKIPPED", reason: "shop is not active" };
  if (po.status === "CANCELLED") return { status: "SKIPPED", reason: `${po.number} is cancelled` };
  if (po.approvedAt === null) throw new AppError("invalid", `${po.number} is not approved: it cannot be sent`);
  const delivery = po.supplier.poDelivery;

  if (await hasSentRecord(shopId, purchaseOrderId, round)) {
    return { status: "SENT", delivery, round, notificationIds: [], alreadyDone: true };
  }
  // A first send only from the unsent states; resends only of a PO that went out.
  const unsent = po.status === "DRAFT" || po.status === "AWAITING_APPROVAL";
  if (round === 1 && !unsent) return { status: "SKIPPED", reason: `${po.number} is already ${po.status.toLowerCase().replace(/_/g, " ")}` };
  if (round > 1 && unsent) throw new AppError("invalid", `${po.number} has not been sent yet: send it before resending`);

  const loaded = await loadPoDocument(shopId, purchaseOrderId);
  if (!loaded) throw new AppError("not_found", "Purchase order not found");
  const doc = loaded.document;
  if (doc.lines.length === 0) throw new AppError("invalid", `${po.number} has no lines`);

  // ── render ──
  const file = await renderDocument(doc, po.supplier.documentFormat);
  if ((input.step ?? "render") === "render") await storeRenderedDocument(shopId, purchaseOrderId, file);

  const token = await issueSupplierPortalToken(shopId, purchaseOrderId, { now });
  const link = portalUrl(token);

  // ── send (API) ──
  let apiStatus: number | null = null;
  const deliveryId = `${purchaseOrderId}-${round}`;
  if (delivery === "API") {
    if (!po.supplier.apiEndpoint || !po.supplier.encryptedApiSecret) {
      throw new AppError("invalid", `${po.supplier.name} receives POs by API but has no endpoint or signing secret set`);
    }
    const { secret } = decryptCredentials<{ secret: string }>(po.supplier.encryptedApiSecret, supplierApiSecretContext(shopId, po.supplier.id));
    const result = await postSignedWebhook(
      { url: po.supplier.apiEndpoint, secret, event: "purchase_order.sent", deliveryId, payload: apiPayload(doc, link, round, now), now },
      deps.webhook,
    );
    apiStatus = result.status;
  } else if (delivery === "EMAIL" && !po.supplier.orderEmail) {
    throw new AppError("invalid", `${po.supplier.name} has no order email address: add one on the supplier page, then send again`);
  }

  // ── send (email) + record, atomically ──
  const recipients = delivery === "API" ? [] : [po.supplier.orderEmail, ...po.supplier.ccEmails].filter((r): r is string => Boolean(r));
  if (delivery === "PORTAL" && recipients.length === 0) {
    throw new AppError("invalid", `${po.supplier.name} has no email address to send the portal link to`);
  }
  const email = supplierEmail(doc, link, round);
  const attachments = delivery === "EMAIL" ? [{ filename: file.fileName, contentType: file.contentType, contentBase64: file.content.toString("base64") }] : [];

  const outcome = await forShop(shopId).$transaction(async (tx) => {
    const locked = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!locked) throw new AppError("not_found", "Purchase order not found");
    const queued = await queueNotifications(
      outboxTx(tx),
      shopId,
      recipients.map((recipient, i) => ({
        channel: "EMAIL" as const,
        kind: "PURCHASE_ORDER",
        recipient,
        ...email,
        dedupeKey: `po-send-${purchaseOrderId}-r${round}-${i}`,
        payload: { purchaseOrderId, round },
        scheduledAt: now,
        attachments,
      })),
    );
    const already = await tx.purchaseOrderEvent.findFirst({ where: { purchaseOrderId, type: "EMAIL_SENT", data: { path: ["round"], equals: round } }, select: { id: true } });
    if (already) return { ids: queued.ids, alreadyDone: true };
    if (locked.status === "DRAFT" || locked.status === "AWAITING_APPROVAL") {
      await applyPurchaseOrderEventInTransaction(tx, shopId, purchaseOrderId, "send", SYSTEM_DISPATCH, {
        now,
        message: delivery === "API" ? "posted to the supplier's API" : `emailed to ${recipients.join(", ")}`,
        data: { round, delivery },
      });
    }
    const data: Prisma.InputJsonObject = {
      round, delivery, recipients, attachment: delivery === "EMAIL" ? file.fileName : null, notificationIds: queued.ids,
      ...(apiStatus === null ? {} : { deliveryId, httpStatus: apiStatus }),
    };
    await tx.purchaseOrderEvent.create({
      data: {
        shopId, purchaseOrderId, type: "EMAIL_SENT", actorType: "SYSTEM", actorName: SYSTEM_DISPATCH.name, createdAt: now, data,
        message:
          delivery === "API"
            ? `${po.number} posted to ${po.supplier.name}'s API (HTTP ${apiStatus})${round > 1 ? `, round ${round}` : ""}`
            : `${po.number} emailed to ${recipients.join(", ")}${attachments.length ? ` with ${file.fileName}` : " with the portal link"}${round > 1 ? `, round ${round}` : ""}`,
      },
    });
    return { ids: queued.ids, alreadyDone: false };
  }, TRANSACTION);

  await dispatchNotifications(shopId, outcome.ids, { queues: deps.queues, now });
  // A placed PO owes the supplier's up-front deposit (depositPct of the total) from the day it was sent.
  // Idempotent (one payable per PO), so a retried job that got this far books it once.
  await scheduleDeposit(shopId, purchaseOrderId, { now });
  return { status: "SENT", delivery, round, notificationIds: outcome.ids, alreadyDone: outcome.alreadyDone };
}

/** How many rounds a PO has been delivered in (for the next resend's round number). */
export async function sentRounds(shopId: string, purchaseOrderId: string): Promise<number> {
  const events = await forShop(shopId).purchaseOrderEvent.findMany({ where: { purchaseOrderId, type: "EMAIL_SENT" }, select: { data: true } });
  return events.reduce((max, e) => Math.max(max, Number((e.data as { round?: unknown } | null)?.round ?? 0)), 0);
}

/** Enqueues the dispatch job; the job id makes a double click (or a retried caller) one job. */
export async function enqueueDispatch(queues: QueueRegistry, shopId: string, purchaseOrderId: string, round = 1): Promise<string> {
  return queues.enqueue(
    "purchasing",
    "dispatch-po",
    { shopId, purchaseOrderId, step: "render", ...(round > 1 ? { round } : {}) },
    { jobId: jobId("dispatch-po", shopId, `${purchaseOrderId}-r${round}`) },
  );
}

/**
 * What follows a PO the engine (or a person) just drafted: the shop's approval policy runs, and a PO
 * it approves for a supplier with auto-send is dispatched without anyone clicking. Returns what happened.
 */
export async function approveAndDispatchByPolicy(
  shopId: string,
  purchaseOrderId: string,
  deps: { queues: QueueRegistry; now: Date },
): Promise<{ decision: "auto-approve" | "needs-review"; dispatched: boolean; reasons: string[] }> {
  const result = await approveByPolicy(shopId, purchaseOrderId, { now: deps.now });
  const dispatch = result.decision === "auto-approve" && result.send === "auto";
  if (dispatch) await enqueueDispatch(deps.queues, shopId, purchaseOrderId);
  return { decision: result.decision, dispatched: dispatch, reasons: result.reasons };
}

/**
 * Unapproved POs of this shop (a new reorder run's drafts, and flagged ones the policy may still let
 * through under autonomy). A PO already waiting for a person stays there untouched.
 */
export async function runPolicyOnNewDrafts(shopId: string, deps: { queues: QueueRegistry; now: Date }): Promise<{ approved: number; queuedForReview: number; dispatched: number }> {
  const drafts = await prisma.purchaseOrder.findMany({ where: { shopId, status: { in: ["DRAFT", "AWAITING_APPROVAL"] }, approvedAt: null }, select: { id: true }, orderBy: { number: "asc" } });
  let approved = 0;
  let queuedForReview = 0;
  let dispatched = 0;
  for (const draft of drafts) {
    try {
      const outcome = await approveAndDispatchByPolicy(shopId, draft.id, deps);
      if (outcome.decision === "auto-approve") approved += 1;
      else queuedForReview += 1;
      if (outcome.dispatched) dispatched += 1;
    } catch (error) {
      // Approved or changed meanwhile (a person was faster): not this run's business.
      if (error instanceof AppError && error.kind === "conflict") continue;
      throw error;
    }
  }
  return { approved, queuedForReview, dispatched };
}

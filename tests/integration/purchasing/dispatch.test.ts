// Sending POs (issue 5, item 3) on real PostgreSQL, Redis and SMTP: the policy approves a PO for an
// auto-send supplier → a dispatch-po job renders the document, queues the email in the outbox and
// marks the PO SENT → the delivery worker hands it to an SMTP server in this process, PDF attached and
// a portal link that opens this PO. API suppliers get a signed JSON POST instead. Retries change nothing.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { createMailer, type Mailer } from "#app/lib/mailer.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { verifyWebhookSignature } from "#app/lib/supplier-webhook.server.ts";
import {
  approveAndDispatchByPolicy,
  dispatchPurchaseOrder,
  enqueueDispatch,
  runPolicyOnNewDrafts,
  setSupplierApiSettings,
} from "#app/services/po-dispatch.server.ts";
import { authorizeSupplierPortal } from "#app/services/purchase-orders.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { deliverNotification, sweepOutbox } from "#workers/processors/notification-delivery.ts";
import { dispatchPoJob } from "#workers/processors/purchasing.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { decodeCode128, readPdf } from "#tests/support/pdf.ts";
import { startSmtpSink, type SmtpSink } from "#tests/support/smtp-sink.ts";
import { obliterateAll, waitForFinished } from "../workers/helpers.ts";
import { createPurchaseOrder, createPurchasingFixture, type PurchasingFixture } from "./helpers.ts";

const NOW = new Date("2026-03-05T08:00:00Z");
let sink: SmtpSink;
let mailer: Mailer;
let running: RunningWorkers | undefined;

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createMailer({ smtpUrl: sink.url, from: "Replenish <po@replenish.test>" });
});
afterAll(async () => {
  mailer.close();
  await sink.close();
  await closeQueues();
});
beforeEach(async () => {
  await resetDatabase();
  sink.clear();
});
afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
});

async function start(): Promise<RunningWorkers> {
  running = await startWorkers({
    syncSchedulers: false,
    processors: {
      purchasing: { "dispatch-po": dispatchPoJob },
      notifications: { "deliver-notification": deliverNotification, "sweep-outbox": sweepOutbox },
    },
    processorsDeps: { mailer, now: () => NOW },
  });
  return running;
}

async function autonomousShop(options: { autoSend?: boolean } = {}): Promise<PurchasingFixture> {
  const f = await createPurchasingFixture({ autoSend: options.autoSend ?? true });
  await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { approvalMode: "AUTONOMOUS" } });
  await prisma.location.update({
    where: { id: f.locationId },
    data: { name: "Main warehouse", address: { address1: "12 Dock Road", city: "Portland", provinceCode: "OR", zip: "97201", countryCode: "US" } },
  });
  await prisma.supplier.update({ where: { id: f.supplierId }, data: { contactName: "Jo Park", ccEmails: [] } });
  const skus = await prisma.sku.findMany({ where: { id: { in: f.skuIds } }, orderBy: { code: "asc" } });
  for (const [i, sku] of skus.entries()) {
    await prisma.supplierProduct.create({
      data: { shopId: f.shopId, supplierId: f.supplierId, skuId: sku.id, unitCost: "5.00", supplierPartNumber: `AC-${900 + i}` },
    });
  }
  return f;
}

async function events(purchaseOrderId: string) {
  return prisma.purchaseOrderEvent.findMany({ where: { purchaseOrderId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

describe("dispatch-po by email", () => {
  it("policy auto-approves → the supplier receives the email with the PDF (barcode and lines) and a working portal link; the PO is SENT", async () => {
    const { queues } = await start();
    const f = await autonomousShop();
    const po = await createPurchaseOrder(f, { total: "500.00" });
    const supplier = await prisma.supplier.update({ where: { id: f.supplierId }, data: { depositPct: "0.5" } });

    const outcome = await approveAndDispatchByPolicy(f.shopId, po.id, { queues, now: NOW });
    expect(outcome).toMatchObject({ decision: "auto-approve", dispatched: true });
    const job = await waitForFinished(queues.queue("purchasing"), `dispatch-po-${f.shopId}-${po.id}-r1`);
    expect(job.failedReason).toBeUndefined();
    expect(job.returnvalue).toMatchObject({ status: "SENT", delivery: "EMAIL", round: 1, alreadyDone: false });

    const [message] = await sink.waitForMessages(1);
    expect(message?.envelopeTo).toEqual([supplier.orderEmail]);
    expect(message?.subject).toBe(`Purchase order ${po.number} from ${(await prisma.shop.findUniqueOrThrow({ where: { id: f.shopId } })).name}`);
    expect(message?.text).toContain("Hello Jo Park");
    expect(message?.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${po.number}.pdf`, "application/pdf"]]);

    const pdf = await readPdf(message!.attachments[0]!.content);
    expect(pdf.pageCount).toBe(2);
    expect(decodeCode128(pdf.pages[0]!.images[0]!)).toBe(po.number);
    expect(decodeCode128(pdf.pages[1]!.images[0]!)).toBe(po.number);
    for (const text of ["AC-900", "AC-901", "Main warehouse", "12 Dock Road", "Portland OR 97201", "$500.00"]) expect(pdf.pages[0]!.text).toContain(text);

    const link = /https:\/\/replenish\.test\/portal\/(\S+)/.exec(message!.text)?.[1];
    expect(link).toBeDefined();
    expect(await authorizeSupplierPortal(decodeURIComponent(link!), { now: NOW })).toEqual({
      shopId: f.shopId,
      supplierId: f.supplierId,
      purchaseOrderId: po.id,
    });

    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(after).toMatchObject({ status: "SENT", sentAt: NOW, approvedBy: "approval policy" });
    const log = await events(po.id);
    expect(log.map((e) => [e.type, e.actorType, e.toStatus, (e.data as { event?: string } | null)?.event ?? null])).toEqual([
      ["STATUS_CHANGE", "SYSTEM", "DRAFT", "auto-approve"],
      ["STATUS_CHANGE", "SYSTEM", "SENT", "send"],
      ["EMAIL_SENT", "SYSTEM", null, null],
    ]);
    expect(log[2]?.message).toBe(`${po.number} emailed to ${supplier.orderEmail} with ${po.number}.pdf`);
    const file = await prisma.purchaseOrderAttachment.findFirstOrThrow({ where: { purchaseOrderId: po.id } });
    expect(file).toMatchObject({ fileName: `${po.number}.pdf`, uploadedBy: "SYSTEM", sizeBytes: message!.attachments[0]!.content.length });

    // A retried job (or the same job enqueued again) changes nothing and sends nothing.
    for (const step of ["render", "send", "record"] as const) {
      expect(await dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id, step }, { queues, now: () => NOW })).toMatchObject({
        status: "SENT",
        alreadyDone: true,
      });
    }
    await enqueueDispatch(queues, f.shopId, po.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.count).toBe(1);
    expect(await prisma.notification.count({ where: { shopId: f.shopId } })).toBe(1);
    expect(await events(po.id)).toHaveLength(3);
    expect(await prisma.purchaseOrderAttachment.count({ where: { purchaseOrderId: po.id } })).toBe(1);
    // The supplier's 50% deposit became due the day the PO was sent, once.
    const payments = await prisma.supplierPayment.findMany({ where: { purchaseOrderId: po.id } });
    expect(payments.map((p) => [p.kind, p.amount.toFixed(2), p.status])).toEqual([["DEPOSIT", "250.00", "DUE"]]);
  });

  it("a CSV supplier gets the CSV; cc addresses get their own copy; a resend is a new round, delivered once", async () => {
    const { queues } = await start();
    const f = await autonomousShop();
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { documentFormat: "CSV", ccEmails: ["buyer-desk@supplier.test"] } });
    const po = await createPurchaseOrder(f);
    await approveAndDispatchByPolicy(f.shopId, po.id, { queues, now: NOW });
    const messages = await sink.waitForMessages(2);
    expect(messages.map((m) => m.envelopeTo[0]).sort()).toEqual(
      ["buyer-desk@supplier.test", (await prisma.supplier.findUniqueOrThrow({ where: { id: f.supplierId } })).orderEmail].sort()
    );
    const csv = messages[0]!.attachments[0]!;
    expect(csv.filename).toBe(`${po.number}.csv`);
    const rows = parse(csv.content.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.po_number, r.supplier_part_number, r.quantity, r.unit_cost, r.line_total])).toEqual([
      [po.number, "AC-900", "50", "5.0000", "250.00"],
      [po.number, "AC-901", "50", "5.0000", "250.00"],
    ]);

    // Resend (round 2): one more email per recipient, subject says so; a retried round 2 adds nothing.
    await dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id, round: 2 }, { queues, now: () => NOW });
    await dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id, round: 2 }, { queues, now: () => NOW });
    const all = await sink.waitForMessages(4);
    expect(all.filter((m) => m.subject.endsWith("(sent again)"))).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.count).toBe(4);
    expect((await events(po.id)).filter((e) => e.type === "EMAIL_SENT")).toHaveLength(2);
  });

  it("does not send what is not approved, and a manual-send supplier's approved PO waits for a person", async () => {
    const { queues } = await start();
    const f = await autonomousShop({ autoSend: false });
    const po = await createPurchaseOrder(f);
    await expect(dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id }, { queues, now: () => NOW })).rejects.toMatchObject({
      kind: "invalid",
      message: `${po.number} is not approved: it cannot be sent`,
    });
    expect(await approveAndDispatchByPolicy(f.shopId, po.id, { queues, now: NOW })).toMatchObject({ decision: "auto-approve", dispatched: false });
    expect(await queues.queue("purchasing").getJobCounts("waiting", "active", "completed")).toEqual({ waiting: 0, active: 0, completed: 0 });
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("DRAFT");
    // A supplier without an email address: a clear, permanent error, nothing changes.
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { orderEmail: null } });
    await expect(dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id }, { queues, now: () => NOW })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("has no order email address"),
    });
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("DRAFT");
  });

  it("runPolicyOnNewDrafts approves what the policy allows and queues the rest for review", async () => {
    const { queues } = await start();
    const f = await autonomousShop();
    const small = await createPurchaseOrder(f, { total: "500.00" });
    const big = await createPurchaseOrder(f, { total: "2500.00" });
    expect(await runPolicyOnNewDrafts(f.shopId, { queues, now: NOW })).toEqual({ approved: 1, queuedForReview: 1, dispatched: 1 });
    await waitForFinished(queues.queue("purchasing"), `dispatch-po-${f.shopId}-${small.id}-r1`);
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: small.id } })).status).toBe("SENT");
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: big.id } })).status).toBe("AWAITING_APPROVAL");
    // Again: nothing new to decide.
    expect(await runPolicyOnNewDrafts(f.shopId, { queues, now: NOW })).toEqual({ approved: 0, queuedForReview: 1, dispatched: 0 });
  });
});

describe("dispatch-po by API", () => {
  let server: Server;
  let url: string;
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  let answers: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(answers.shift() ?? 200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/po`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
    answers = [];
  });

  it("POSTs the PO as signed JSON, retries a 503, marks it SENT, and a retried job does not POST again", async () => {
    const { queues } = await start();
    const f = await autonomousShop();
    const secret = "supplier-shared-secret-0123456789";
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { poDelivery: "API" } });
    await setSupplierApiSettings(f.shopId, f.supplierId, { endpoint: url, secret });
    const po = await createPurchaseOrder(f);
    await approveAndDispatchByPolicy(f.shopId, po.id, { queues, now: NOW });
    answers = [503];
    // The job's own run (with its 1 s in-call retry pause) is fine here; a direct call would use delayMs 0.
    const job = await waitForFinished(queues.queue("purchasing"), `dispatch-po-${f.shopId}-${po.id}-r1`, 20_000);
    expect(job.failedReason).toBeUndefined();

    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.headers["x-replenish-event"]).toBe("purchase_order.sent");
    expect(last.headers["x-replenish-delivery"]).toBe(`${po.id}-1`);
    expect(received[0]!.headers["x-replenish-delivery"]).toBe(`${po.id}-1`);
    expect(verifyWebhookSignature(secret, last.body, last.headers["x-replenish-signature"] as string, NOW.getTime() / 1000)).toBe(true);
    expect(verifyWebhookSignature("another-secret-entirely-000000", last.body, last.headers["x-replenish-signature"] as string, NOW.getTime() / 1000)).toBe(
      false
    );
    expect(
      verifyWebhookSignature(
        secret,
        last.body.replace('"quantity":50', '"quantity":500'),
        last.headers["x-replenish-signature"] as string,
        NOW.getTime() / 1000
      )
    ).toBe(false);
    const payload = JSON.parse(last.body) as {
      purchaseOrder: { number: string; lines: { sku: string; supplierPartNumber: string; quantity: number; unitCost: string }[]; total: string };
      portalUrl: string;
    };
    expect(payload.purchaseOrder).toMatchObject({ number: po.number, total: "500.00" });
    expect(payload.purchaseOrder.lines.map((l) => [l.supplierPartNumber, l.quantity, l.unitCost])).toEqual([
      ["AC-900", 50, "5.0000"],
      ["AC-901", 50, "5.0000"],
    ]);
    expect(payload.portalUrl).toMatch(/^https:\/\/replenish\.test\/portal\//);

    expect(await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).toMatchObject({ status: "SENT" });
    expect((await events(po.id)).at(-1)).toMatchObject({
      type: "EMAIL_SENT",
      message: `${po.number} posted to ${(await prisma.supplier.findUniqueOrThrow({ where: { id: f.supplierId } })).name}'s API (HTTP 200)`,
    });
    expect(sink.count).toBe(0);

    await dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id }, { queues, now: () => NOW });
    expect(received).toHaveLength(2);
  });

  it("a 4xx from the supplier is a permanent failure with a clear message; the PO stays unsent", async () => {
    const { queues } = await start();
    const f = await autonomousShop({ autoSend: false });
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { poDelivery: "API" } });
    await setSupplierApiSettings(f.shopId, f.supplierId, { endpoint: url, secret: "supplier-shared-secret-0123456789" });
    const po = await createPurchaseOrder(f);
    await approveAndDispatchByPolicy(f.shopId, po.id, { queues, now: NOW });
    answers = [401];
    await expect(
      dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id }, { queues, now: () => NOW, webhook: { delayMs: 0 } })
    ).rejects.toMatchObject({
      kind: "invalid",
      message: "The supplier's endpoint refused the purchase order (HTTP 401)",
    });
    expect(received).toHaveLength(1);
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("DRAFT");
    // Three 5xx in a row: 'unavailable', which the job retries later.
    answers = [500, 502, 503];
    await expect(
      dispatchPurchaseOrder({ shopId: f.shopId, purchaseOrderId: po.id }, { queues, now: () => NOW, webhook: { delayMs: 0 } })
    ).rejects.toMatchObject({ kind: "unavailable" });
    expect(received).toHaveLength(4);
  });
});

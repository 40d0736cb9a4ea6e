// The PO detail page's loader and actions (issue 5, items 1–2) called the way Remix calls them, in demo
// mode: the review queue's approve / edit quantities / reject, send and resend, cancel, the event log
// with who did what, downloads, and another shop's PO answering 404.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { action, loader } from "#app/routes/app.purchase-orders.$purchaseOrderId.tsx";
import { loader as documentLoader } from "#app/routes/app.purchase-orders.$purchaseOrderId.document.tsx";
import { createLocation, createSku, createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { decodeCode128, readPdf } from "#tests/support/pdf.ts";
import { createDemoShop, unwrap, useDemoMode } from "../routes/helpers.ts";
import { obliterateAll } from "../workers/helpers.ts";
import { createPurchaseOrder, type PurchasingFixture } from "./helpers.ts";

const ORIGIN = "http://127.0.0.1:3000";

beforeAll(useDemoMode);
beforeEach(async () => {
  await resetDatabase();
  await obliterateAll(getProducerQueues());
});
afterAll(async () => {
  await obliterateAll(getProducerQueues());
  await closeQueues();
});

async function demoFixture(options: { autoSend?: boolean } = {}): Promise<PurchasingFixture> {
  const shop = await createDemoShop();
  await prisma.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id }, update: {} });
  const supplier = await createSupplier({ shopId: shop.id, autoSend: options.autoSend ?? false, name: "Acme Textiles" });
  const location = await createLocation({ shopId: shop.id });
  const skus = [await createSku({ shopId: shop.id, code: "TEE-1" }), await createSku({ shopId: shop.id, code: "TEE-2" })];
  return { shopId: shop.id, supplierId: supplier.id, locationId: location.id, skuIds: skus.map((s) => s.id) };
}

const load = async (id: string) => (await loader({ request: new Request(`${ORIGIN}/app/purchase-orders/${id}`), params: { purchaseOrderId: id }, context: {} })).po;
const post = async (id: string, form: Record<string, string>) =>
  unwrap(await action({ request: new Request(`${ORIGIN}/app/purchase-orders/${id}`, { method: "POST", body: new URLSearchParams(form) }), params: { purchaseOrderId: id }, context: {} }));

describe("PO detail page", () => {
  it("shows the review reasons, lines and log; edits quantities with validation; approves through the state machine and resolves the review item", async () => {
    const f = await demoFixture();
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL", flags: ["bulk_order_trigger"] });
    await prisma.reviewItem.create({ data: { shopId: f.shopId, kind: "FLAGGED_PO", subjectType: "PURCHASE_ORDER", subjectId: po.id, reason: `${po.number} needs review: bulk order trigger`, dedupeKey: `flagged-po-${po.id}`, details: { purchaseOrderId: po.id } } });

    expect((await loader({ request: new Request(`${ORIGIN}/app/purchase-orders/${po.id}`), params: { purchaseOrderId: po.id }, context: {} })).negotiation).toBeNull();
    let view = await load(po.id);
    expect(view).toMatchObject({ number: po.number, status: "AWAITING_APPROVAL", total: 50_000, flags: ["bulk_order_trigger"], reviewReasons: [`${po.number} needs review: bulk order trigger`] });
    expect(view.can).toEqual({ approve: true, editQuantities: true, reject: true, send: false, resend: false, cancel: true });
    expect(view.lines.map((l) => [l.skuCode, l.quantityOrdered, l.lineTotal])).toEqual([["TEE-1", 50, 25_000], ["TEE-2", 50, 25_000]]);
    const [first, second] = view.lines;

    // A bad quantity is refused with the line's message and nothing changes.
    const bad = await post(po.id, { intent: "edit-quantities", [`qty-${first!.id}`]: "ten", [`qty-${second!.id}`]: "40" });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ ok: false, fieldErrors: { [first!.id]: "TEE-1: enter a whole number of units (0 removes the line)" } });
    expect((await load(po.id)).total).toBe(50_000);

    const edited = await post(po.id, { intent: "edit-quantities", [`qty-${first!.id}`]: "30", [`qty-${second!.id}`]: "0" });
    expect(edited.body).toMatchObject({ ok: true, message: "2 lines changed" });
    view = await load(po.id);
    expect(view.lines.map((l) => [l.skuCode, l.quantityOrdered])).toEqual([["TEE-1", 30]]);
    expect(view.total).toBe(15_000);
    expect(view.events.at(-1)).toMatchObject({ type: "LINES_EDITED", actorType: "MERCHANT", actorName: "Demo merchant", message: "Quantities edited: TEE-1 50 → 30, TEE-2 50 → 0 (removed)" });

    const approved = await post(po.id, { intent: "approve" });
    expect(approved.body).toMatchObject({ ok: true, message: "Approved: press Send to supplier when ready" });
    view = await load(po.id);
    expect(view).toMatchObject({ status: "AWAITING_APPROVAL", approvedBy: "Demo merchant", reviewReasons: [] });
    expect(view.can).toMatchObject({ approve: false, editQuantities: false, send: true });
    expect(view.events.at(-1)).toMatchObject({ type: "STATUS_CHANGE", actorType: "MERCHANT", actorName: "Demo merchant", message: expect.stringMatching(/^Approved \(Demo merchant\)/) });
    expect(await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shopId } })).toMatchObject({ status: "RESOLVED", resolvedBy: "Demo merchant" });

    // A second approval (a stale tab) is the state machine's refusal, not a second approval.
    const again = await post(po.id, { intent: "approve" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ok: false, message: expect.stringContaining("already approved") });

    // Send: the dispatch job is enqueued once however often the button is pressed.
    expect((await post(po.id, { intent: "send" })).body).toMatchObject({ ok: true });
    await post(po.id, { intent: "send" });
    const jobs = await getProducerQueues().queue("purchasing").getJobs(["waiting", "delayed"]);
    expect(jobs.map((j) => [j.name, j.id, j.data])).toEqual([["dispatch-po", `dispatch-po-${f.shopId}-${po.id}-r1`, { shopId: f.shopId, purchaseOrderId: po.id, step: "render" }]]);
  });

  it("approving for an auto-send supplier dispatches at once; resend is a new round; cancel keeps the reason", async () => {
    const f = await demoFixture({ autoSend: true });
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL" });
    expect((await post(po.id, { intent: "approve" })).body).toMatchObject({ ok: true, message: "Approved and on its way to the supplier" });
    expect((await getProducerQueues().queue("purchasing").getJobs(["waiting"])).map((j) => j.id)).toEqual([`dispatch-po-${f.shopId}-${po.id}-r1`]);

    // Pretend the job ran: SENT with one delivery round.
    await prisma.purchaseOrder.update({ where: { id: po.id }, data: { status: "SENT", sentAt: new Date() } });
    await prisma.purchaseOrderEvent.create({ data: { shopId: f.shopId, purchaseOrderId: po.id, type: "EMAIL_SENT", actorType: "SYSTEM", data: { round: 1 } } });
    expect((await load(po.id)).can).toMatchObject({ resend: true, reject: false, cancel: true, approve: false });
    // Once sent, the page carries the supplier conversation (the negotiation thread); before, it does not.
    const full = await loader({ request: new Request(`${ORIGIN}/app/purchase-orders/${po.id}`), params: { purchaseOrderId: po.id }, context: {} });
    expect(full.negotiation).toMatchObject({ purchaseOrderId: po.id, number: po.number, status: "SENT" });
    expect((await post(po.id, { intent: "resend" })).body).toMatchObject({ ok: true, message: "Sending again (delivery 2)" });
    const waiting = await getProducerQueues().queue("purchasing").getJobs(["waiting"]);
    expect(waiting.map((j) => j.data)).toContainEqual({ shopId: f.shopId, purchaseOrderId: po.id, step: "render", round: 2 });

    expect((await post(po.id, { intent: "cancel", reason: "Supplier out of business" })).body).toMatchObject({ ok: true, message: "Cancelled" });
    const view = await load(po.id);
    expect(view.status).toBe("CANCELLED");
    expect(view.events.at(-1)).toMatchObject({ actorType: "MERCHANT", fromStatus: "SENT", toStatus: "CANCELLED", message: "Cancelled (Demo merchant): sent → cancelled — Supplier out of business" });
    expect(view.can).toEqual({ approve: false, editQuantities: false, reject: false, send: false, resend: false, cancel: false });
    expect((await post(po.id, { intent: "cancel" })).status).toBe(409);
  });

  it("rejecting needs a reason and cancels the PO from the review queue", async () => {
    const f = await demoFixture();
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL" });
    const missing = await post(po.id, { intent: "reject", reason: "  " });
    expect(missing).toMatchObject({ status: 422, body: { ok: false, message: "Give a reason for rejecting this purchase order" } });
    expect((await post(po.id, { intent: "reject", reason: "Too much stock already" })).body).toMatchObject({ ok: true });
    const view = await load(po.id);
    expect(view.status).toBe("CANCELLED");
    expect(view.events.at(-1)).toMatchObject({ toStatus: "CANCELLED", message: "Cancelled (Demo merchant): awaiting approval → cancelled — Rejected: Too much stock already" });
    expect((await post(po.id, { intent: "bogus" })).status).toBe(400);
  });

  it("downloads the PDF (barcode = PO number) and the CSV; another shop's PO is a 404", async () => {
    const f = await demoFixture();
    const po = await createPurchaseOrder(f);
    const pdfResponse = (await documentLoader({ request: new Request(`${ORIGIN}/app/purchase-orders/${po.id}/document?format=pdf`), params: { purchaseOrderId: po.id }, context: {} })) as Response;
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    expect(pdfResponse.headers.get("content-disposition")).toBe(`attachment; filename="${po.number}.pdf"`);
    const pdf = await readPdf(new Uint8Array(await pdfResponse.arrayBuffer()));
    expect(decodeCode128(pdf.pages[0]!.images[0]!)).toBe(po.number);
    expect(pdf.pages[0]!.text).toContain("TEE-1");

    const csvResponse = (await documentLoader({ request: new Request(`${ORIGIN}/app/purchase-orders/${po.id}/document?format=csv`), params: { purchaseOrderId: po.id }, context: {} })) as Response;
    expect(await csvResponse.text()).toMatch(/^po_number,line,our_sku,/);

    const otherShop = await prisma.shop.create({ data: { domain: "other.myshopify.com", name: "Other" } });
    const otherSupplier = await createSupplier({ shopId: otherShop.id });
    const otherLocation = await createLocation({ shopId: otherShop.id });
    const otherPo = await createPurchaseOrder({ shopId: otherShop.id, supplierId: otherSupplier.id, locationId: otherLocation.id, skuIds: [(await createSku({ shopId: otherShop.id })).id] });
    await expect(load(otherPo.id)).rejects.toMatchObject({ status: 404 });
    await expect(post(otherPo.id, { intent: "cancel" })).rejects.toMatchObject({ status: 404 });
    await expect(documentLoader({ request: new Request(`${ORIGIN}/x`), params: { purchaseOrderId: otherPo.id }, context: {} })).rejects.toMatchObject({ status: 404 });
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: otherPo.id } })).status).toBe("DRAFT");
  });
});

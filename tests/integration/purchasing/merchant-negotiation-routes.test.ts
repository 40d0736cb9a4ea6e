// The merchant's side of the supplier thread, at the routes (demo mode, as the admin calls them): the
// PO page's negotiation actions and the supplier page's bank-details card.
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { resetRateLimits } from "#app/lib/rate-limit.server.ts";
import { action as negotiationAction } from "#app/routes/app.purchase-orders.$purchaseOrderId.negotiation.tsx";
import { loader as attachmentLoader } from "#app/routes/app.purchase-orders.$purchaseOrderId.attachments.$attachmentId.tsx";
import { action as remittanceAction } from "#app/routes/app.suppliers.$supplierId.remittance.tsx";
import { loader as supplierLoader } from "#app/routes/app.suppliers.$supplierId/route.tsx";
import { addPortalAttachment, submitCounterOffer, submitRemittanceChange } from "#app/services/supplier-portal.server.ts";
import { createLocation, createSku, createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createDemoShop, useDemoMode } from "../routes/helpers.ts";
import { createPurchaseOrder } from "./helpers.ts";

useDemoMode();

beforeEach(async () => {
  await resetDatabase();
  await resetRateLimits();
});

function post(path: string, params: Record<string, string>, form: Record<string, string>): ActionFunctionArgs {
  return { request: new Request(`http://127.0.0.1:3000${path}`, { method: "POST", body: new URLSearchParams(form) }), params, context: {} };
}

async function demoPo() {
  const shop = await createDemoShop();
  const supplier = await createSupplier({ shopId: shop.id });
  const location = await createLocation({ shopId: shop.id });
  const skus = [await createSku({ shopId: shop.id }), await createSku({ shopId: shop.id })];
  const f = { shopId: shop.id, supplierId: supplier.id, locationId: location.id, skuIds: skus.map((s) => s.id) };
  const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date() });
  const lines = await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id }, orderBy: { id: "asc" } });
  return { f, po, lines, scope: { shopId: shop.id, supplierId: supplier.id, purchaseOrderId: po.id } };
}

describe("negotiation actions on the PO page", () => {
  it("a bad counter-back answers 422 per field; a good one goes to the supplier; accepting out of turn is 409", async () => {
    const { po, lines, scope } = await demoPo();
    await submitCounterOffer(scope, { lines: { [lines[0]!.id]: { quantity: "30" } } });
    const path = `/app/purchase-orders/${po.id}/negotiation`;

    const bad = (await negotiationAction(post(path, { purchaseOrderId: po.id }, { intent: "counter-back", [`line.${lines[0]!.id}.quantity`]: "-3", notes: "x" }))) as Response;
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ ok: false, fieldErrors: { [`line.${lines[0]!.id}.quantity`]: expect.stringContaining("whole number") }, values: { notes: "x" } });

    const good = (await negotiationAction(post(path, { purchaseOrderId: po.id }, { intent: "counter-back", [`line.${lines[0]!.id}.quantity`]: "40" }))) as Response;
    expect(await good.json()).toEqual({ ok: true, message: "Counter-offer sent to the supplier", fieldErrors: {}, values: {} });
    const outOfTurn = (await negotiationAction(post(path, { purchaseOrderId: po.id }, { intent: "accept-counter" }))) as Response;
    expect(outOfTurn.status).toBe(409);
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("COUNTERED");
  });

  it("another shop's PO is not found, and nothing of it changes", async () => {
    await demoPo();
    const other = await prisma.shop.create({ data: { domain: "elsewhere.myshopify.com", name: "Elsewhere" } });
    const supplier = await createSupplier({ shopId: other.id });
    const location = await createLocation({ shopId: other.id });
    const theirs = await createPurchaseOrder({ shopId: other.id, supplierId: supplier.id, locationId: location.id, skuIds: [(await createSku({ shopId: other.id })).id] }, { status: "SENT", approvedAt: new Date() });
    const thrown = await negotiationAction(post(`/app/purchase-orders/${theirs.id}/negotiation`, { purchaseOrderId: theirs.id }, { intent: "accept-counter" })).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(404);
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: theirs.id } })).toBe(0);
  });
});

describe("supplier files for the merchant", () => {
  it("downloads a file the supplier attached, as an attachment, only under its own PO", async () => {
    const { f, po, scope } = await demoPo();
    const second = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date() });
    const pdf = Buffer.from("%PDF-1.4\nspec sheet\n%%EOF\n");
    await addPortalAttachment(scope, { fileName: "spec sheet.pdf", bytes: pdf });
    const row = await prisma.purchaseOrderAttachment.findFirstOrThrow({ where: { purchaseOrderId: po.id } });
    const args = (purchaseOrderId: string) => ({ request: new Request(`http://127.0.0.1:3000/app/purchase-orders/${purchaseOrderId}/attachments/${row.id}`), params: { purchaseOrderId, attachmentId: row.id }, context: {} });
    const response = await attachmentLoader(args(po.id));
    expect(response.headers.get("content-disposition")).toContain('attachment; filename="spec sheet.pdf"');
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
    const thrown = await attachmentLoader(args(second.id)).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(404);
  });
});

describe("bank details on the supplier page", () => {
  it("shows the held change and the history; confirming puts it in force; a second confirm is 409", async () => {
    const { f, scope } = await demoPo();
    await submitRemittanceChange(scope, { accountHolder: "Kiln & Co Ltd", bankName: "Harbour Bank", accountNumber: "12345678", routingNumber: "021000021" });
    const loaded = await supplierLoader({ request: new Request(`http://127.0.0.1:3000/app/suppliers/${f.supplierId}`), params: { supplierId: f.supplierId }, context: {} });
    const pending = loaded.remittance!.entries[0]!;
    expect(pending).toMatchObject({ status: "PENDING", inForce: false, details: { accountNumber: "12345678" } });

    const path = `/app/suppliers/${f.supplierId}/remittance`;
    const ok = (await remittanceAction(post(path, { supplierId: f.supplierId }, { intent: "confirm-remittance", remittanceId: pending.id }))) as Response;
    expect(await ok.json()).toMatchObject({ ok: true });
    const again = (await remittanceAction(post(path, { supplierId: f.supplierId }, { intent: "confirm-remittance", remittanceId: pending.id }))) as Response;
    expect(again.status).toBe(409);
    const after = await supplierLoader({ request: new Request(`http://127.0.0.1:3000/app/suppliers/${f.supplierId}`), params: { supplierId: f.supplierId }, context: {} });
    expect(after.remittance!.entries[0]).toMatchObject({ status: "CONFIRMED", inForce: true, decidedBy: "demo merchant" });

    // Another supplier's page cannot decide it.
    const other = await createSupplier({ shopId: f.shopId });
    const foreign = (await remittanceAction(post(`/app/suppliers/${other.id}/remittance`, { supplierId: other.id }, { intent: "reject-remittance", remittanceId: pending.id }))) as Response;
    expect(foreign.status).toBe(404);
  });
});

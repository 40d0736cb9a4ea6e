// The supplier portal's negotiation, shipping, files and bank details against the real database:
// any number of offer rounds kept in the thread, the right party's terms become the lines, the
// merchant is alerted, ETA = ship date + transit days, uploads checked by content, bank details held.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { resetRateLimits } from "#app/lib/rate-limit.server.ts";
import {
  acceptCounterOffer,
  counterBack,
  currentRemittance,
  decideRemittanceChange,
  getNegotiationView,
  OfferValidationError,
} from "#app/services/po-negotiation.server.ts";
import {
  acceptPurchaseOrder,
  addPortalAttachment,
  addPortalComment,
  getPortalAttachment,
  getPortalView,
  PortalFormError,
  submitCounterOffer,
  submitRemittanceChange,
  updateShippingDetails,
} from "#app/services/supplier-portal.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchaseOrder, createPurchasingFixture, type PurchasingFixture } from "./helpers.ts";

beforeEach(async () => {
  await resetDatabase();
  await resetRateLimits();
});

const now = new Date("2026-03-02T10:00:00Z");
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

async function sentPo(f: PurchasingFixture) {
  const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date("2026-03-01T00:00:00Z") });
  const lines = await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id }, orderBy: { id: "asc" } });
  return { po, scope: { shopId: f.shopId, supplierId: f.supplierId, purchaseOrderId: po.id }, lines };
}

describe("negotiation", () => {
  it("runs three rounds, keeps every offer in the thread, and the accepted terms become the lines", async () => {
    const f = await createPurchasingFixture();
    await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { digestRecipients: ["owner@shop.test"] } });
    const { po, scope, lines } = await sentPo(f);
    const [a, b] = lines as [(typeof lines)[0], (typeof lines)[0]];

    await submitCounterOffer(scope, { lines: { [a.id]: { quantity: "40" } }, notes: "Only 40 in stock" }, { now });
    let view = await getNegotiationView(f.shopId, po.id);
    expect(view.status).toBe("COUNTERED");
    expect(view.turn).toBe("MERCHANT");
    const alert = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shopId, kind: "SUPPLIER_MESSAGE", subjectId: po.id } });
    expect(alert).toMatchObject({ status: "OPEN", reason: expect.stringContaining("counter-offer (round 1)") });
    // …and by email, through the outbox.
    const emails = await prisma.notification.findMany({ where: { shopId: f.shopId, kind: "MERCHANT_ALERT" } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ recipient: "owner@shop.test", bodyText: expect.stringContaining(`/app/purchase-orders/${po.id}`) });

    // The supplier cannot accept their own offer; the lines are untouched until someone accepts.
    await expect(acceptPurchaseOrder(scope, {}, { now: later(1) })).rejects.toMatchObject({ kind: "conflict" });
    expect((await prisma.purchaseOrderLine.findUniqueOrThrow({ where: { id: a.id } })).quantityOrdered).toBe(50);

    await counterBack(
      f.shopId,
      po.id,
      { lines: { [a.id]: { quantity: "45", unitCost: "4.80" } }, notes: "Meet in the middle?" },
      { name: "Dana" },
      { now: later(2) }
    );
    expect((await prisma.reviewItem.findFirstOrThrow({ where: { id: alert.id } })).status).toBe("RESOLVED");
    // The supplier hears of it by email, with a fresh portal link.
    const supplier = await prisma.supplier.findUniqueOrThrow({ where: { id: f.supplierId } });
    const told = await prisma.notification.findMany({ where: { shopId: f.shopId, kind: "SUPPLIER_UPDATE" } });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ recipient: supplier.orderEmail, subject: `${po.number}: our answer to your counter-offer`, bodyText: expect.stringMatching(/\/portal\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/) });
    // Not the merchant's turn any more.
    await expect(acceptCounterOffer(f.shopId, po.id, { name: "Dana" }, { now: later(3) })).rejects.toMatchObject({ kind: "conflict" });
    await expect(counterBack(f.shopId, po.id, { lines: { [a.id]: { quantity: "46" } } }, { name: "Dana" }, { now: later(3) })).rejects.toMatchObject({
      kind: "conflict",
    });

    await submitCounterOffer(scope, { lines: { [a.id]: { quantity: "45", unitCost: "4.90" }, [b.id]: { expectedDate: "2026-04-01" } } }, { now: later(4) });
    expect((await prisma.reviewItem.findFirstOrThrow({ where: { id: alert.id } })).status).toBe("OPEN");
    await acceptCounterOffer(f.shopId, po.id, { name: "Dana" }, { now: later(5) });

    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id }, include: { lines: { orderBy: { id: "asc" } } } });
    expect(after.status).toBe("CONFIRMED");
    expect((await prisma.notification.findMany({ where: { shopId: f.shopId, kind: "SUPPLIER_UPDATE" }, orderBy: { createdAt: "asc" } })).map((n) => n.subject)).toEqual([
      `${po.number}: our answer to your counter-offer`,
      `${po.number}: your counter-offer is accepted`,
    ]);
    expect(after.lines.map((l) => [l.quantityOrdered, l.unitCost.toString(), l.expectedDate?.toISOString().slice(0, 10) ?? null])).toEqual([
      [45, "4.9", null],
      [50, "5", "2026-04-01"],
    ]);
    expect(after.subtotal.toString()).toBe("470.5"); // 45 × 4.90 + 50 × 5.00
    expect(after.total.toString()).toBe("470.5");

    view = await getNegotiationView(f.shopId, po.id);
    const offers = view.thread.filter((e) => e.type === "OFFER");
    expect(offers.map((o) => [o.actorType, o.offer?.round])).toEqual([
      ["SUPPLIER", 1],
      ["MERCHANT", 2],
      ["SUPPLIER", 3],
    ]);
    expect(view.thread.filter((e) => e.type === "STATUS_CHANGE").map((e) => e.message)).toEqual([
      expect.stringContaining("Countered by the supplier"),
      expect.stringContaining("Countered back by the merchant (Dana)"),
      expect.stringContaining("Countered by the supplier"),
      expect.stringContaining("counter-offer accepted by the merchant (Dana)"),
    ]);
    // Accepting twice changes nothing.
    await expect(acceptCounterOffer(f.shopId, po.id, { name: "Dana" }, { now: later(6) })).rejects.toMatchObject({ kind: "conflict" });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(view.thread.length);
  });

  it("the supplier accepting the merchant's counter-back takes the merchant's terms", async () => {
    const f = await createPurchasingFixture();
    const { po, scope, lines } = await sentPo(f);
    await submitCounterOffer(scope, { lines: { [lines[0]!.id]: { unitCost: "6.00" } } }, { now });
    await counterBack(f.shopId, po.id, { lines: { [lines[0]!.id]: { unitCost: "5.50" } } }, { name: null }, { now: later(1) });
    const view = await getPortalView(scope);
    expect(view).toMatchObject({ turn: "SUPPLIER", canAccept: true });
    await acceptPurchaseOrder(scope, {}, { now: later(2) });
    const line = await prisma.purchaseOrderLine.findUniqueOrThrow({ where: { id: lines[0]!.id } });
    expect(line.unitCost.toString()).toBe("5.5");
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("CONFIRMED");
    await expect(acceptPurchaseOrder(scope, {}, { now: later(3) })).rejects.toMatchObject({
      kind: "conflict",
      message: expect.stringContaining("already confirmed"),
    });
  });

  it("a second counter-offer while the first is with the merchant is refused and stores nothing", async () => {
    const f = await createPurchasingFixture();
    const { po, scope, lines } = await sentPo(f);
    await submitCounterOffer(scope, { lines: { [lines[0]!.id]: { quantity: "40" } } }, { now });
    const events = await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } });
    const alerts = await prisma.reviewItem.findMany({ where: { shopId: f.shopId, kind: "SUPPLIER_MESSAGE", subjectId: po.id } });

    await expect(submitCounterOffer(scope, { lines: { [lines[0]!.id]: { quantity: "30" } } }, { now: later(1) })).rejects.toMatchObject({
      kind: "conflict",
      message: "Your counter-offer is with the merchant. You will get an email when they answer.",
    });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(events);
    expect(await prisma.reviewItem.findMany({ where: { shopId: f.shopId, kind: "SUPPLIER_MESSAGE", subjectId: po.id } })).toEqual(alerts);
    const view = await getNegotiationView(f.shopId, po.id);
    expect(view.thread.filter((e) => e.type === "OFFER").map((o) => [o.actorType, o.offer?.round])).toEqual([["SUPPLIER", 1]]);
    expect(view.turn).toBe("MERCHANT");

    // Once the merchant has answered, the supplier may counter again.
    await counterBack(f.shopId, po.id, { lines: { [lines[0]!.id]: { quantity: "45" } } }, { name: null }, { now: later(2) });
    await submitCounterOffer(scope, { lines: { [lines[0]!.id]: { quantity: "42" } } }, { now: later(3) });
    expect((await getNegotiationView(f.shopId, po.id)).turn).toBe("MERCHANT");
  });

  it("a bad counter-offer is refused field by field and writes nothing", async () => {
    const f = await createPurchasingFixture();
    const { po, scope, lines } = await sentPo(f);
    const id = lines[0]!.id;
    const error = await submitCounterOffer(scope, { lines: { [id]: { quantity: "ten", unitCost: "-1", expectedDate: "2026-02-30" } } }, { now }).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(OfferValidationError);
    expect((error as OfferValidationError).fieldErrors).toEqual({
      [`line.${id}.quantity`]: expect.stringContaining("whole number"),
      [`line.${id}.unitCost`]: expect.stringContaining("price"),
      [`line.${id}.expectedDate`]: expect.stringContaining("YYYY-MM-DD"),
    });
    await expect(submitCounterOffer(scope, { lines: {} }, { now })).rejects.toMatchObject({
      fieldErrors: { form: expect.stringContaining("changes nothing") },
    });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(0);
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).status).toBe("SENT");
  });
});

describe("shipping details", () => {
  it("ETA = ship date + the method's transit days (shop overrides), tracking ships a confirmed PO, saving again changes nothing", async () => {
    const f = await createPurchasingFixture();
    await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { shipMethodTransitDays: { air: 10 } } });
    const { po, scope, lines } = await sentPo(f);
    await acceptPurchaseOrder(scope, {}, { now });
    // Line dates from an earlier agreement (a counter-offer's): the ship date supersedes them.
    await prisma.purchaseOrderLine.updateMany({ where: { purchaseOrderId: po.id }, data: { expectedDate: new Date("2026-03-08T00:00:00Z") } });
    const lineDates = async () =>
      (await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id }, orderBy: { id: "asc" } })).map((l) => l.expectedDate?.toISOString().slice(0, 10));

    await updateShippingDetails(scope, { expectedShipDate: "2026-03-10", shipMethod: "ocean" }, { now: later(1) });
    let row = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(row.expectedArrivalDate?.toISOString().slice(0, 10)).toBe("2026-04-14"); // + 35
    expect(row.status).toBe("CONFIRMED");
    expect(await lineDates()).toEqual(lines.map(() => "2026-04-14"));
    // A line received in full keeps its date when the rest moves.
    expect(lines.length).toBeGreaterThan(1);
    await prisma.purchaseOrderLine.update({ where: { id: lines[1]!.id }, data: { quantityReceived: lines[1]!.quantityOrdered } });

    // A shopper waits for the first SKU: the moved ETA reaches them through the outbox.
    await prisma.backInStockSubscription.create({
      data: { shopId: f.shopId, skuId: lines[0]!.skuId, contactType: "EMAIL", contact: "shopper@example.test", status: "ACTIVE", consentAt: now, consentText: "Email me", unsubscribeToken: "unsub-portal-test" },
    });
    const input = {
      expectedShipDate: "2026-03-12",
      shipMethod: "air",
      trackingNumbers: "1Z999AA10123456784, 1Z999AA10123456785",
      supplierReference: "SO-5521",
      partNumbers: { [lines[0]!.id]: "NW-MUG-01" },
    };
    await updateShippingDetails(scope, input, { now: later(2) });
    row = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(row).toMatchObject({
      status: "SHIPPED",
      shipMethod: "air",
      supplierReference: "SO-5521",
      trackingNumbers: ["1Z999AA10123456784", "1Z999AA10123456785"],
    });
    expect(row.expectedArrivalDate?.toISOString().slice(0, 10)).toBe("2026-03-22"); // + 10 (the shop's air)
    expect(await lineDates()).toEqual(lines.map((_, i) => (i === 1 ? "2026-04-14" : "2026-03-22")));
    expect((await prisma.purchaseOrderLine.findUniqueOrThrow({ where: { id: lines[0]!.id } })).supplierPartNumber).toBe("NW-MUG-01");
    const eta = await prisma.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId: po.id, type: "ETA_CHANGE" }, orderBy: { createdAt: "desc" } });
    expect(eta.data).toMatchObject({ from: "2026-04-14", to: "2026-03-22" });
    const update = await prisma.notification.findFirstOrThrow({ where: { shopId: f.shopId, kind: "ETA_UPDATE" } });
    expect(update).toMatchObject({ recipient: "shopper@example.test", channel: "EMAIL" });

    const events = await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } });
    await updateShippingDetails(scope, input, { now: later(3) });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(events);
  });

  it("refuses bad input with one message per field", async () => {
    const f = await createPurchasingFixture();
    const { scope } = await sentPo(f);
    const error = await updateShippingDetails(scope, { expectedShipDate: "12/03/2026", shipMethod: "teleport", trackingNumbers: "<script>" }, { now }).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(PortalFormError);
    expect(Object.keys((error as PortalFormError).fieldErrors).sort()).toEqual(["expectedShipDate", "shipMethod", "trackingNumbers"]);
  });

  it("refuses a ship date more than 30 days past or 2 years ahead with a field error; a saved date passes unchanged", async () => {
    const f = await createPurchasingFixture();
    const { po, scope } = await sentPo(f);
    const before = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    // now is 2026-03-02: 30 days back is 2026-01-31, 730 days ahead is 2028-03-01.
    for (const [date, limit] of [
      ["9999-12-31", "2 years"], // + transit days is past year 9999: was a 500 from Prisma (Invalid Date)
      ["2028-03-02", "2 years"],
      ["1999-01-01", "30 days"], // was stored, with an expected arrival of 1999-01-06
      ["2026-01-30", "30 days"],
    ] as const) {
      const error = await updateShippingDetails(scope, { expectedShipDate: date, shipMethod: "ground" }, { now }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortalFormError);
      expect((error as PortalFormError).fieldErrors).toEqual({ expectedShipDate: expect.stringContaining(limit) });
    }
    expect(await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).toEqual(before);
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(0);

    const saved = async () => (await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).expectedShipDate?.toISOString().slice(0, 10);
    await updateShippingDetails(scope, { expectedShipDate: "2028-03-01", shipMethod: "ground" }, { now });
    expect(await saved()).toBe("2028-03-01");
    await updateShippingDetails(scope, { expectedShipDate: "2026-03-02", shipMethod: "ground" }, { now: later(1) });
    expect(await saved()).toBe("2026-03-02");
    // A shipment that already left, recorded late.
    await updateShippingDetails(scope, { expectedShipDate: "2026-01-31", shipMethod: "ground" }, { now: later(2) });
    expect(await saved()).toBe("2026-01-31");
    // Months later the form sends the saved date back with new tracking numbers: still accepted.
    const inMay = new Date("2026-05-15T10:00:00Z");
    await updateShippingDetails(scope, { expectedShipDate: "2026-01-31", shipMethod: "ground", trackingNumbers: "1Z999AA10123456784" }, { now: inMay });
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).trackingNumbers).toEqual(["1Z999AA10123456784"]);
    // …but moving it to another date that far back is refused.
    await expect(updateShippingDetails(scope, { expectedShipDate: "2026-02-01", shipMethod: "ground" }, { now: inMay })).rejects.toMatchObject({
      fieldErrors: { expectedShipDate: expect.stringContaining("30 days") },
    });
    expect(await saved()).toBe("2026-01-31");
  });
});

describe("comments and files", () => {
  it("comments on the PO or one line alert the merchant; a line of another PO is refused", async () => {
    const f = await createPurchasingFixture();
    const { po, scope, lines } = await sentPo(f);
    const other = await sentPo(f);
    await addPortalComment(scope, { text: "Glaze batch delayed a week", lineId: lines[1]!.id, name: "Ming" }, { now });
    const comment = await prisma.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId: po.id, type: "COMMENT" } });
    expect(comment).toMatchObject({ lineId: lines[1]!.id, actorType: "SUPPLIER", actorName: "Ming", message: "Glaze batch delayed a week" });
    await expect(addPortalComment(scope, { text: "x", lineId: other.lines[0]!.id }, { now })).rejects.toBeInstanceOf(PortalFormError);
    await expect(addPortalComment(scope, { text: "   " }, { now })).rejects.toBeInstanceOf(PortalFormError);
    // A name too long to record is refused with the limit, not cut: the comment is not saved either.
    await expect(addPortalComment(scope, { text: "Ships Friday", name: "M".repeat(121) }, { now })).rejects.toMatchObject({
      fieldErrors: { name: "Your name can be at most 120 characters" },
    });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id, type: "COMMENT" } })).toBe(1);
  });

  it("stores a real PDF, refuses a disguised or oversized file, and serves a file only for its own PO", async () => {
    const f = await createPurchasingFixture();
    const { po, scope } = await sentPo(f);
    const other = await sentPo(f);
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    await addPortalAttachment(scope, { fileName: "../../etc/invoice<1>.pdf", bytes: pdf }, { now });
    const stored = await prisma.purchaseOrderAttachment.findFirstOrThrow({ where: { purchaseOrderId: po.id } });
    expect(stored).toMatchObject({ fileName: "invoice1.pdf", contentType: "application/pdf", sizeBytes: pdf.length, uploadedBy: "SUPPLIER" });
    expect((await getPortalAttachment(scope, stored.id)).content.equals(pdf)).toBe(true);
    await expect(getPortalAttachment(other.scope, stored.id)).rejects.toMatchObject({ kind: "not_found" });

    await expect(addPortalAttachment(scope, { fileName: "invoice.pdf", bytes: Buffer.from("MZ\x90\x00 not a pdf") }, { now })).rejects.toBeInstanceOf(
      PortalFormError
    );
    await expect(addPortalAttachment(scope, { fileName: "page.html", bytes: Buffer.from("<html></html>") }, { now })).rejects.toBeInstanceOf(PortalFormError);
    await expect(
      addPortalAttachment(scope, { fileName: "big.pdf", bytes: Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(10 * 1024 * 1024)]) }, { now })
    ).rejects.toMatchObject({ fieldErrors: { file: expect.stringContaining("too large") } });
    expect(await prisma.purchaseOrderAttachment.count({ where: { purchaseOrderId: po.id } })).toBe(1);
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id, type: "ATTACHMENT" } })).toBe(1);
  });
});

describe("remittance details", () => {
  it("a change is held until the merchant confirms it; the old details stay in force meanwhile", async () => {
    const f = await createPurchasingFixture();
    const { po, scope } = await sentPo(f);
    const old = await prisma.supplierRemittance.create({
      data: {
        shopId: f.shopId,
        supplierId: f.supplierId,
        details: { accountHolder: "Northwind Ltd", bankName: "First Bank", accountNumber: "12345678" },
        status: "CONFIRMED",
        decidedAt: new Date("2026-01-01"),
      },
    });
    await submitRemittanceChange(
      scope,
      { accountHolder: "Northwind Ltd", bankName: "Other Bank", iban: "GB33 BUKB 2020 1555 5555 55", swift: "BUKBGB22" },
      { now }
    );
    expect((await currentRemittance(f.shopId, f.supplierId))?.id).toBe(old.id);
    const pending = await prisma.supplierRemittance.findFirstOrThrow({ where: { supplierId: f.supplierId, status: "PENDING" } });
    expect(pending.details).toMatchObject({ iban: "GB33BUKB20201555555555" });
    const review = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shopId, kind: "REMITTANCE_CHANGE" } });
    expect(review).toMatchObject({ status: "OPEN", subjectId: f.supplierId });
    // The thread records the request but never the details; the portal shows only the last 4 digits.
    const event = await prisma.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId: po.id, type: "COMMENT" } });
    expect(JSON.stringify(event)).not.toContain("GB33");
    const view = await getPortalView(scope);
    expect(view.remittance).toMatchObject({ current: { account: "•••• 5678" }, pending: { account: "•••• 5555", bankName: "Other Bank" } });

    await expect(submitRemittanceChange(scope, { accountHolder: "", bankName: "X", iban: "not-an-iban" }, { now })).rejects.toMatchObject({
      fieldErrors: { accountHolder: expect.any(String), iban: expect.any(String) },
    });

    // Too long is told as too long, with the limit, not as missing.
    const long = "N".repeat(3000);
    await expect(
      submitRemittanceChange(scope, { accountHolder: long, bankName: long, iban: "GB33BUKB20201555555555" }, { now })
    ).rejects.toMatchObject({
      fieldErrors: { accountHolder: "The account holder's name can be at most 120 characters", bankName: "The bank's name can be at most 120 characters" },
    });
    expect(await prisma.supplierRemittance.count({ where: { supplierId: f.supplierId } })).toBe(2);

    await decideRemittanceChange(f.shopId, pending.id, "CONFIRMED", { name: "Dana" }, { now: later(5) });
    expect((await currentRemittance(f.shopId, f.supplierId))?.id).toBe(pending.id);
    expect((await prisma.reviewItem.findUniqueOrThrow({ where: { id: review.id } })).status).toBe("RESOLVED");
    await expect(decideRemittanceChange(f.shopId, pending.id, "CONFIRMED", { name: "Dana" })).rejects.toMatchObject({ kind: "conflict" });
    // Another shop cannot decide it.
    const g = await createPurchasingFixture();
    await expect(decideRemittanceChange(g.shopId, pending.id, "REJECTED", { name: "x" })).rejects.toMatchObject({ kind: "not_found" });
  });
});

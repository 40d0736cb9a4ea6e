import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { INVALID_PORTAL_LINK_MESSAGE, issuePortalToken } from "#app/lib/signed-link.server.ts";
import { authorizeSupplierPortal, issueSupplierPortalToken } from "#app/services/purchase-orders.server.ts";
import { createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

beforeEach(resetDatabase);

const issuedAt = new Date("2026-03-01T12:00:00Z");
const soon = new Date("2026-03-02T12:00:00Z");

async function expectRefused(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ kind: "forbidden", message: INVALID_PORTAL_LINK_MESSAGE });
}

describe("supplier portal access", () => {
  it("a token issued for a PO opens exactly that PO for its supplier", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status: "SENT" });
    const token = await issueSupplierPortalToken(f.shopId, po.id, { now: issuedAt });
    expect(await authorizeSupplierPortal(token, { now: soon })).toEqual({ shopId: f.shopId, supplierId: f.supplierId, purchaseOrderId: po.id });
  });

  it("will not issue a token for another shop's PO", async () => {
    const f = await createPurchasingFixture();
    const other = await createPurchasingFixture();
    const theirs = await createPurchaseOrder(other);
    await expect(issueSupplierPortalToken(f.shopId, theirs.id)).rejects.toMatchObject({ kind: "not_found" });
  });

  it("refuses expired, revoked, tampered, other-supplier and other-shop tokens alike", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status: "SENT" });
    const token = await issueSupplierPortalToken(f.shopId, po.id, { now: issuedAt, ttlMs: 3_600_000 });

    await expectRefused(authorizeSupplierPortal(token, { now: soon })); // expired
    const fresh = await issueSupplierPortalToken(f.shopId, po.id, { now: issuedAt });
    const swapped = fresh[10] === "x" ? "y" : "x";
    await expectRefused(authorizeSupplierPortal(`${fresh.slice(0, 10)}${swapped}${fresh.slice(11)}`, { now: soon })); // tampered

    // Another supplier of the same shop, signing with our key, naming our PO.
    const rival = await createSupplier({ shopId: f.shopId });
    await expectRefused(authorizeSupplierPortal(issuePortalToken({ shopId: f.shopId, supplierId: rival.id, purchaseOrderId: po.id, now: issuedAt }), { now: soon }));

    // Another shop's id with our PO id: the PO is not in that shop.
    const other = await createPurchasingFixture();
    await expectRefused(authorizeSupplierPortal(issuePortalToken({ shopId: other.shopId, supplierId: f.supplierId, purchaseOrderId: po.id, now: issuedAt }), { now: soon }));

    // Revoked: every link issued before the instant is refused, a new one works.
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { portalTokensRevokedBefore: new Date("2026-03-01T18:00:00Z") } });
    await expectRefused(authorizeSupplierPortal(fresh, { now: soon }));
    const reissued = await issueSupplierPortalToken(f.shopId, po.id, { now: new Date("2026-03-01T18:00:00Z") });
    expect((await authorizeSupplierPortal(reissued, { now: soon })).purchaseOrderId).toBe(po.id);
  });

  it("a PO moved to another supplier or a shop that uninstalled refuses old links", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f);
    const token = await issueSupplierPortalToken(f.shopId, po.id, { now: issuedAt });
    const replacement = await createSupplier({ shopId: f.shopId });
    await prisma.purchaseOrder.update({ where: { id: po.id }, data: { supplierId: replacement.id } });
    await expectRefused(authorizeSupplierPortal(token, { now: soon }));

    const g = await createPurchasingFixture();
    const gpo = await createPurchaseOrder(g);
    const gtoken = await issueSupplierPortalToken(g.shopId, gpo.id, { now: issuedAt });
    await prisma.shop.update({ where: { id: g.shopId }, data: { status: "UNINSTALLED" } });
    await expectRefused(authorizeSupplierPortal(gtoken, { now: soon }));
  });
});

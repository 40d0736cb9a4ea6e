// Portal security at the routes (issue 5 acceptance): a tampered, expired, revoked, other-supplier or
// other-shop token is refused by the page, by every action and by the file download, with the same
// answer and no write; a genuine token opens nothing but the portal (not /app, not /proxy); the
// per-token rate limit holds.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { resetEnvForTests } from "#app/env.server.ts";
import { resetRateLimits } from "#app/lib/rate-limit.server.ts";
import { INVALID_PORTAL_LINK_MESSAGE, issuePortalToken } from "#app/lib/signed-link.server.ts";
import { loader as appShellLoader } from "#app/routes/app.tsx";
import { loader as poListLoader } from "#app/routes/app.purchase-orders._index.tsx";
import { action as portalAction, loader as portalLoader } from "#app/routes/portal.$token.tsx";
import { loader as fileLoader } from "#app/routes/portal.$token_.files.$attachmentId.tsx";
import { loader as proxyEtaLoader } from "#app/routes/proxy.eta.tsx";
import { action as proxySubscribeAction } from "#app/routes/proxy.subscribe.tsx";
import { issueSupplierPortalToken } from "#app/services/purchase-orders.server.ts";
import { PORTAL_RATE_LIMITS } from "#app/services/supplier-portal.server.ts";
import { createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

const ORIGIN = "http://127.0.0.1:3000";
const HOUR = 3_600_000;

beforeEach(async () => {
  delete process.env.DEMO_MODE;
  resetEnvForTests();
  await resetDatabase();
  await resetRateLimits();
});

function get(path: string, params: Record<string, string>, headers: Record<string, string> = {}): LoaderFunctionArgs {
  return { request: new Request(`${ORIGIN}${path}`, { headers: { "x-forwarded-for": "203.0.113.9", ...headers } }), params, context: {} };
}

function post(path: string, params: Record<string, string>, form: Record<string, string>): ActionFunctionArgs {
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", body: new URLSearchParams(form), headers: { "x-forwarded-for": "203.0.113.9" } });
  return { request, params, context: {} };
}

/** What a route did: the Response it returned or threw, or the data it returned. */
async function outcome(run: () => Promise<unknown>): Promise<{ status: number; body: string | null }> {
  try {
    const value = await run();
    if (value instanceof Response) return { status: value.status, body: await value.clone().text() };
    const wrapped = value as { type?: string; init?: { status?: number } };
    return { status: wrapped.type === "DataWithResponseInit" ? wrapped.init?.status ?? 200 : 200, body: null };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.clone().text() };
    throw thrown;
  }
}

const ACTIONS: Record<string, Record<string, string>> = {
  accept: { intent: "accept" },
  counter: { intent: "counter", notes: "x" },
  shipping: { intent: "shipping", expectedShipDate: "2030-01-01", shipMethod: "air", trackingNumbers: "1Z999AA10123456784" },
  comment: { intent: "comment", comment: "hello" },
  attach: { intent: "attach" },
  remittance: { intent: "remittance", accountHolder: "Mallory", bankName: "Evil Bank", iban: "GB33BUKB20201555555555" },
};

async function setup() {
  const f = await createPurchasingFixture();
  const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date() });
  const attachment = await prisma.purchaseOrderAttachment.create({
    data: {
      shopId: f.shopId,
      purchaseOrderId: po.id,
      fileName: "spec.pdf",
      contentType: "application/pdf",
      sizeBytes: 9,
      content: new Uint8Array(Buffer.from("%PDF-1.4\n")),
      uploadedBy: "MERCHANT",
    },
  });
  const now = Date.now();
  const good = await issueSupplierPortalToken(f.shopId, po.id);
  const expired = await issueSupplierPortalToken(f.shopId, po.id, { now: new Date(now - 2 * HOUR), ttlMs: HOUR });
  const swapped = good[12] === "A" ? "B" : "A";
  const tampered = `${good.slice(0, 12)}${swapped}${good.slice(13)}`;
  const rival = await createSupplier({ shopId: f.shopId });
  const otherSupplier = issuePortalToken({ shopId: f.shopId, supplierId: rival.id, purchaseOrderId: po.id, now: new Date(now) });
  const other = await createPurchasingFixture();
  const otherShop = issuePortalToken({ shopId: other.shopId, supplierId: f.supplierId, purchaseOrderId: po.id, now: new Date(now) });
  const revoked = await issueSupplierPortalToken(f.shopId, po.id, { now: new Date(now - 60_000) });
  return { f, po, attachment, good, bad: { tampered, expired, revoked, otherSupplier, otherShop, garbage: "not-a-token" }, revokeAt: new Date(now - 30_000) };
}

async function snapshot(purchaseOrderId: string) {
  return {
    po: await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId } }),
    events: await prisma.purchaseOrderEvent.count(),
    remittances: await prisma.supplierRemittance.count(),
    reviews: await prisma.reviewItem.count(),
    attachments: await prisma.purchaseOrderAttachment.count(),
  };
}

describe("portal routes refuse every bad token the same way", () => {
  it("page, every action and the file download answer 403 with the one generic message, and nothing changes", async () => {
    const { po, attachment, good, bad, revokeAt, f } = await setup();
    // Revocation: links issued before this instant are refused (the `revoked` one), later ones are not.
    await prisma.supplier.update({ where: { id: f.supplierId }, data: { portalTokensRevokedBefore: revokeAt } });
    const before = await snapshot(po.id);

    for (const [label, token] of Object.entries(bad)) {
      const path = `/portal/${token}`;
      const answers = [
        await outcome(() => portalLoader(get(path, { token }))),
        await outcome(() => fileLoader(get(`${path}/files/${attachment.id}`, { token, attachmentId: attachment.id }))),
        ...(await Promise.all(Object.values(ACTIONS).map((form) => outcome(() => portalAction(post(path, { token }, form)))))),
      ];
      for (const answer of answers) expect({ label, ...answer }).toEqual({ label, status: 403, body: INVALID_PORTAL_LINK_MESSAGE });
    }
    expect(await snapshot(po.id)).toEqual(before);

    // The genuine link still works: the page opens and the file downloads.
    const page = await outcome(() => portalLoader(get(`/portal/${good}`, { token: good })));
    expect(page.status).toBe(200);
    const file = (await fileLoader(get(`/portal/${good}/files/${attachment.id}`, { token: good, attachmentId: attachment.id }))) as Response;
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain('attachment; filename="spec.pdf"');
    expect(file.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("a genuine token opens no other PO's file and no other route (/app, /proxy)", async () => {
    const { f, good } = await setup();
    const second = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date() });
    const theirs = await prisma.purchaseOrderAttachment.create({
      data: {
        shopId: f.shopId,
        purchaseOrderId: second.id,
        fileName: "other.pdf",
        contentType: "application/pdf",
        sizeBytes: 9,
        content: new Uint8Array(Buffer.from("%PDF-1.4\n")),
        uploadedBy: "MERCHANT",
      },
    });
    expect((await outcome(() => fileLoader(get(`/portal/${good}/files/${theirs.id}`, { token: good, attachmentId: theirs.id })))).status).toBe(404);

    // The admin (outside demo mode) wants Shopify's session token; the portal token in any place is not one.
    for (const args of [
      get(`/app?token=${good}`, {}),
      get("/app", {}, { Authorization: `Bearer ${good}` }),
      get(`/app/purchase-orders?token=${good}`, { token: good }),
    ]) {
      const appShell = await outcome(() => appShellLoader(args));
      expect(appShell.status).not.toBe(200);
    }
    expect((await outcome(() => poListLoader(get("/app/purchase-orders", {}, { Authorization: `Bearer ${good}` })))).status).not.toBe(200);

    // The storefront proxy wants Shopify's proxy signature; a portal token as `signature` is refused.
    const eta = await outcome(() =>
      proxyEtaLoader(get(`/proxy/eta?shop=${encodeURIComponent("x.myshopify.com")}&variant=1&signature=${good}&token=${good}`, {}))
    );
    expect(eta.status).toBe(401);
    const subscribe = await outcome(() => proxySubscribeAction(post(`/proxy/subscribe?signature=${good}`, {}, { token: good, email: "a@b.test" })));
    expect(subscribe.status).toBe(401);
  });

  it("a link is rate-limited per token", async () => {
    const { good } = await setup();
    for (let i = 0; i < PORTAL_RATE_LIMITS.perToken.limit; i++) {
      // Different IPs: the per-token limit holds on its own.
      const args = {
        request: new Request(`${ORIGIN}/portal/${good}`, { headers: { "x-forwarded-for": `198.51.100.${i % 250}` } }),
        params: { token: good },
        context: {},
      };
      expect((await outcome(() => portalLoader(args))).status).toBe(200);
    }
    const over = await outcome(() => portalLoader(get(`/portal/${good}`, { token: good })));
    expect(over.status).toBe(429);
  });
});

describe("portal form errors keep what was typed", () => {
  it("a bad counter-offer answers 422 with the field error and every typed value", async () => {
    const { po, good } = await setup();
    const line = await prisma.purchaseOrderLine.findFirstOrThrow({ where: { purchaseOrderId: po.id } });
    const form = { intent: "counter", [`line.${line.id}.quantity`]: "forty", [`line.${line.id}.unitCost`]: "4.80", notes: "Short on glaze" };
    const result = (await portalAction(post(`/portal/${good}`, { token: good }, form))) as unknown as {
      init: { status: number };
      data: { fieldErrors: Record<string, string>; values: Record<string, string> };
    };
    expect(result.init.status).toBe(422);
    expect(result.data.fieldErrors).toEqual({ [`line.${line.id}.quantity`]: expect.stringContaining("whole number") });
    expect(result.data.values).toMatchObject(form);
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(0);
  });

  it("a second counter-offer while the merchant has the first answers 409 and stores nothing", async () => {
    const { po, good } = await setup();
    const line = await prisma.purchaseOrderLine.findFirstOrThrow({ where: { purchaseOrderId: po.id } });
    const first = await portalAction(post(`/portal/${good}`, { token: good }, { intent: "counter", [`line.${line.id}.quantity`]: "40" }));
    expect(first).toBeInstanceOf(Response);
    expect((first as Response).status).toBe(302);
    const events = await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } });
    const form = { intent: "counter", [`line.${line.id}.quantity`]: "30" };
    const second = await portalAction(post(`/portal/${good}`, { token: good }, form));
    expect(second).not.toBeInstanceOf(Response); // was a redirect: the second offer stored as round 2
    const refused = second as unknown as { init: { status: number }; data: { message: string } };
    expect(refused.init.status).toBe(409);
    expect(refused.data.message).toContain("with the merchant");
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(events);
    expect(await prisma.reviewItem.count({ where: { shopId: po.shopId, kind: "SUPPLIER_MESSAGE", subjectId: po.id } })).toBe(1);
  });

  it("a ship date out of range answers 422 with the field error (year 9999 was a 500)", async () => {
    const { po, good } = await setup();
    for (const date of ["9999-12-31", "1999-01-01"]) {
      const form = { intent: "shipping", expectedShipDate: date, shipMethod: "ground" };
      const result = (await portalAction(post(`/portal/${good}`, { token: good }, form))) as unknown as {
        init: { status: number };
        data: { fieldErrors: Record<string, string>; values: Record<string, string> };
      };
      expect(result.init.status).toBe(422);
      expect(result.data.fieldErrors).toEqual({ expectedShipDate: expect.stringMatching(/at most/) });
      expect(result.data.values).toMatchObject(form);
    }
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(after).toMatchObject({ expectedShipDate: null, expectedArrivalDate: null, shipMethod: null });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id } })).toBe(0);
  });
});

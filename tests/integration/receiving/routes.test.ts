// The receiving, transfers, write-offs and accounting routes called the way Remix calls them (demo
// mode): thin loaders/actions over the services, 422 with the service's message on refusals.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { loader as accountingLoader, action as accountingAction } from "#app/routes/app.accounting._index.tsx";
import { loader as csvLoader } from "#app/routes/app.accounting.journal[.]csv.tsx";
import { action as receiveAction, loader as receiveLoader } from "#app/routes/app.receiving.$poId.tsx";
import { loader as deskLoader } from "#app/routes/app.receiving._index.tsx";
import { action as transfersAction, loader as transfersLoader } from "#app/routes/app.transfers._index.tsx";
import { action as writeOffAction } from "#app/routes/app.write-offs._index.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createLocation } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "#tests/integration/workers/helpers.ts";
import { createDemoShop, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";
import { createReceivingFixture } from "./fixtures.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);
afterEach(async () => obliterateAll(getProducerQueues()));
afterAll(closeQueues);

const ORIGIN = "http://127.0.0.1:3000";
const load = <T,>(loader: (args: LoaderFunctionArgs) => Promise<T>, path: string, params: Record<string, string> = {}) => loader({ request: new Request(`${ORIGIN}${path}`), params, context: {} });
const post = <T,>(action: (args: ActionFunctionArgs) => Promise<T>, path: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  action({ request: new Request(`${ORIGIN}${path}`, { method: "POST", body: new URLSearchParams(form) }), params, context: {} });

describe("receiving screen route", () => {
  it("shows the lines with a fresh key, books a posted count once, and refuses bad counts with 422", async () => {
    const shop = await createDemoShop();
    const f = await createReceivingFixture({ shopId: shop.id });
    const page = await load(receiveLoader, `/app/receiving/${f.purchaseOrderId}`, { poId: f.purchaseOrderId });
    expect(page.screen).toMatchObject({ number: f.number, receivable: true, lines: [{ expected: 3, outstanding: 3 }, { expected: 2, outstanding: 2 }] });
    expect(page.receiptKey).toMatch(/^rcv-/);
    expect((await load(receiveLoader, `/app/receiving/x`, { poId: f.purchaseOrderId })).receiptKey).not.toBe(page.receiptKey);

    const form = { intent: "confirm", receiptKey: page.receiptKey, receivedBy: "Sam", lines: JSON.stringify([{ lineId: f.mugLineId, received: 1 }]) };
    const first = unwrap(await post(receiveAction, "/", form, { poId: f.purchaseOrderId }));
    expect(first).toMatchObject({ status: 200, body: { ok: true, notice: expect.stringContaining("Receipt booked: 1 unit into stock ($4.00)") } });
    const twice = unwrap(await post(receiveAction, "/", form, { poId: f.purchaseOrderId }));
    expect(twice.body).toMatchObject({ ok: true, notice: "This receipt was already booked; nothing was added twice" });
    expect(await prisma.receipt.count()).toBe(1);

    const bad = unwrap(await post(receiveAction, "/", { ...form, receiptKey: "rcv-other-key", lines: JSON.stringify([{ lineId: f.mugLineId, received: null }]) }, { poId: f.purchaseOrderId }));
    expect(bad).toMatchObject({ status: 422, body: { ok: false, error: "Quantities must be whole numbers" } });

    const receiptId = first.body.receiptId as string;
    const undone = unwrap(await post(receiveAction, "/", { intent: "unreceive", receiptId }, { poId: f.purchaseOrderId }));
    expect(undone.body).toMatchObject({ ok: true, notice: expect.stringContaining("Receipt un-received") });
  });

  it("opens a scanned PO that is on its way straight on its receiving screen; others stay on the desk", async () => {
    const shop = await createDemoShop();
    const f = await createReceivingFixture({ shopId: shop.id });
    const response = await load(deskLoader, `/app/receiving?po=${f.number.toLowerCase()}&open=1`).catch((thrown: unknown) => thrown);
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(302);
    expect((response as Response).headers.get("Location")).toBe(`/app/receiving/${f.purchaseOrderId}?po=${f.number.toLowerCase()}`);
    // Without the scan form's flag (a link, an old bookmark) the desk shows the PO instead.
    expect((await load(deskLoader, `/app/receiving?po=${f.number}`)).desk.lookup?.purchaseOrder?.id).toBe(f.purchaseOrderId);
    await prisma.purchaseOrder.update({ where: { id: f.purchaseOrderId }, data: { status: "CLOSED" } });
    expect((await load(deskLoader, `/app/receiving?po=${f.number}&open=1`)).desk.lookup?.purchaseOrder).toMatchObject({ awaitingReceipt: false });
  });

  it("answers 404 for another shop's PO", async () => {
    await createDemoShop();
    const other = await createReceivingFixture();
    await expect(load(receiveLoader, "/", { poId: other.purchaseOrderId })).rejects.toMatchObject({ status: 404 });
  });
});

describe("transfers, write-offs and accounting routes", () => {
  it("creates and ships a transfer by hand, writes off a unit, pays and exports", async () => {
    const shop = await createDemoShop();
    const f = await createReceivingFixture({ shopId: shop.id });
    const store = await createLocation({ shopId: shop.id, name: "Store" });

    const bad = unwrap(await post(transfersAction, "/app/transfers", { intent: "create", fromLocationId: f.locationId, toLocationId: store.id, lines: "MUG-BLUE twelve" }));
    expect(bad).toMatchObject({ status: 422, body: { ok: false, message: 'Line 1: write the SKU, then the quantity (e.g. "MUG-BLUE 12")' } });
    const mugCode = (await prisma.sku.findUniqueOrThrow({ where: { id: f.mugId } })).code;
    const created = unwrap(await post(transfersAction, "/app/transfers", { intent: "create", fromLocationId: f.locationId, toLocationId: store.id, lines: `${mugCode} 1\n` }));
    expect(created.body).toMatchObject({ ok: true, message: expect.stringMatching(/^TR-\d{4}-0001 created as a draft$/) });
    const { transfers } = await load(transfersLoader, "/app/transfers");
    const id = transfers[0]!.id;
    expect(unwrap(await post(transfersAction, "/app/transfers", { intent: "ship", transferId: id })).status).toBe(422);
    await post(transfersAction, "/app/transfers", { intent: "approve", transferId: id });
    expect(unwrap(await post(transfersAction, "/app/transfers", { intent: "ship", transferId: id })).body).toMatchObject({ ok: true, message: expect.stringContaining("is now shipped") });
    // Tabs: open by default (the shipped one), a cancelled one only under Cancelled and All.
    unwrap(await post(transfersAction, "/app/transfers", { intent: "create", fromLocationId: f.locationId, toLocationId: store.id, lines: `${mugCode} 1` }));
    const dropped = (await load(transfersLoader, "/app/transfers")).transfers.find((t) => t.status === "DRAFT")!;
    await post(transfersAction, "/app/transfers", { intent: "cancel", transferId: dropped.id });
    const ids = async (query: string) => (await load(transfersLoader, `/app/transfers${query}`)).transfers.map((t) => t.id);
    expect(await ids("")).toEqual([id]);
    expect(await ids("?status=CANCELLED")).toEqual([dropped.id]);
    expect(await ids("?status=RECEIVED")).toEqual([]);
    expect((await ids("?status=ALL")).sort()).toEqual([id, dropped.id].sort());
    expect(await ids("?status=bogus")).toEqual([id]);

    const writeOff = unwrap(await post(writeOffAction, "/app/write-offs", { key: "wo-route-0001", skuCode: mugCode, locationId: f.locationId, quantity: "1", reason: "DAMAGED", note: "", purchaseOrderNumber: "" }));
    expect(writeOff.body).toMatchObject({ ok: true, message: `1 × ${mugCode} written off ($4.50)` });
    const refused = unwrap(await post(writeOffAction, "/app/write-offs", { key: "wo-route-0002", skuCode: mugCode, locationId: f.locationId, quantity: "0", reason: "DAMAGED" }));
    expect(refused).toMatchObject({ status: 422, body: { ok: false, message: "At least 1 unit" } });
    const noReason = unwrap(await post(writeOffAction, "/app/write-offs", { key: "wo-route-0003", skuCode: mugCode, locationId: f.locationId, quantity: "1", reason: "" }));
    expect(noReason).toMatchObject({ status: 422, body: { ok: false, message: "Choose a reason" } });

    await unwrap(await post(receiveAction, "/", { intent: "confirm", receiptKey: "rcv-route-00001", lines: JSON.stringify([{ lineId: f.plateLineId, received: 2 }]) }, { poId: f.purchaseOrderId }));
    const { page } = await load(accountingLoader, "/app/accounting");
    expect(page.payables).toHaveLength(1);
    const paid = unwrap(await post(accountingAction, "/app/accounting", { intent: "pay", paymentId: page.payables[0]!.id }));
    expect(paid.body).toMatchObject({ ok: true });

    const response = await load(csvLoader, `/app/accounting/journal.csv?period=${page.period}`);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const csv = await response.text();
    expect(csv.split("\n")[0]).toBe("date,entry_id,reference,source_type,source_id,memo,account,account_name,debit,credit,line_memo");
    expect(csv).toContain("INVENTORY_WRITE_OFFS");
    expect((await load(csvLoader, "/app/accounting/journal.csv?period=nope")).status).toBe(400);
  });
});

// Follow-ups (issue 5, item 5) with a controllable clock: no acknowledgment within 24 h → reminder to
// the supplier; 48 h → escalation (review item + merchant email); weekly ship-date requests on the
// shop's Monday morning. The hourly sweep runs as a real BullMQ job whose clock the test sets, and the
// emails arrive at an SMTP server in this process.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { createMailer, type Mailer } from "#app/lib/mailer.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { followUpPurchaseOrder, isoWeek, requestShipDateUpdates, sweepFollowUps } from "#app/services/po-follow-up.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { deliverNotification } from "#workers/processors/notification-delivery.ts";
import { createPurchasingSweep, isShipDateRequestDue } from "#workers/processors/purchasing.ts";
import { GLOBAL_SCHEDULERS, PURCHASING_SWEEP_EVERY_MS, syncGlobalSchedulers } from "#workers/schedulers.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createSupplier } from "#tests/factories/index.ts";
import { startSmtpSink, type SmtpSink } from "#tests/support/smtp-sink.ts";
import { obliterateAll, waitForFinished } from "../workers/helpers.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

const SENT_AT = new Date("2026-03-02T10:00:00Z"); // a Monday
const hoursLater = (h: number) => new Date(SENT_AT.getTime() + h * 3_600_000);

let sink: SmtpSink;
let mailer: Mailer;
let running: RunningWorkers | undefined;
let clock = SENT_AT;

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createMailer({ smtpUrl: sink.url, from: "Replenish <po@replenish.test>" });
});
afterAll(async () => {
  mailer.close();
  await sink.close();
  await obliterateAll(getProducerQueues());
  await closeQueues();
});
beforeEach(async () => {
  await resetDatabase();
  sink.clear();
  clock = SENT_AT;
});
afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
});

async function sentPurchaseOrder(options: { merchantEmails?: string[] } = {}) {
  const f = await createPurchasingFixture();
  await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { digestRecipients: options.merchantEmails ?? ["owner@shop.test"] } });
  const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: SENT_AT });
  await prisma.purchaseOrder.update({ where: { id: po.id }, data: { sentAt: SENT_AT } });
  const supplier = await prisma.supplier.findUniqueOrThrow({ where: { id: f.supplierId } });
  return { f, po, supplier };
}

describe("unacknowledged PO follow-ups", () => {
  it("reminds the supplier at 24 h and escalates at 48 h, once each, through the hourly sweep job", async () => {
    running = await startWorkers({
      syncSchedulers: false,
      processors: {
        purchasing: { "purchasing-sweep": createPurchasingSweep({ trackingProvider: null }) },
        notifications: { "deliver-notification": deliverNotification },
      },
      processorsDeps: { mailer, now: () => clock },
    });
    const { queues } = running;
    const { f, po, supplier } = await sentPurchaseOrder();
    let run = 0;
    const sweepAt = async (at: Date) => {
      clock = at;
      const id = await queues.enqueue("purchasing", "purchasing-sweep", { shopId: f.shopId }, { jobId: `sweep-${run++}` });
      const job = await waitForFinished(queues.queue("purchasing"), id);
      expect(job.failedReason).toBeUndefined();
      return job.returnvalue as { reminded: number; escalated: number; failures: number };
    };

    expect(await sweepAt(hoursLater(23.9))).toMatchObject({ reminded: 0, escalated: 0, failures: 0 });
    expect(await prisma.notification.count()).toBe(0);

    expect(await sweepAt(hoursLater(24))).toMatchObject({ reminded: 1, escalated: 0 });
    const [reminder] = await sink.waitForMessages(1);
    expect(reminder?.envelopeTo).toEqual([supplier.orderEmail]);
    expect(reminder?.subject).toBe(`Reminder: please confirm purchase order ${po.number}`);
    expect(reminder?.text).toContain("24 hours ago");
    expect(reminder?.text).toMatch(/https:\/\/replenish\.test\/portal\/\S+/);
    expect(await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).toMatchObject({ followUpLevel: 1, lastFollowUpAt: hoursLater(24) });

    // Hourly sweeps in between do nothing more.
    expect(await sweepAt(hoursLater(25))).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await sweepAt(hoursLater(47.9))).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await prisma.reviewItem.count({ where: { shopId: f.shopId } })).toBe(0);

    expect(await sweepAt(hoursLater(48))).toMatchObject({ reminded: 0, escalated: 1 });
    const messages = await sink.waitForMessages(2);
    const alert = messages.find((m) => m.envelopeTo[0] === "owner@shop.test");
    expect(alert?.subject).toBe(`${po.number}: ${supplier.name} has not acknowledged after 48 hours`);
    expect(alert?.text).toContain(`https://replenish.test/app/purchase-orders/${po.id}`);
    const item = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shopId } });
    expect(item).toMatchObject({ kind: "UNACKNOWLEDGED_PO", status: "OPEN", subjectType: "PURCHASE_ORDER", subjectId: po.id, reason: `${supplier.name} has not acknowledged ${po.number} 48 hours after it was sent` });

    expect(await sweepAt(hoursLater(72))).toMatchObject({ reminded: 0, escalated: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.count).toBe(2);
    const followUps = await prisma.purchaseOrderEvent.findMany({ where: { purchaseOrderId: po.id, type: "FOLLOW_UP" }, orderBy: { createdAt: "asc" } });
    expect(followUps.map((e) => [(e.data as { level: number }).level, e.createdAt])).toEqual([[1, hoursLater(24)], [2, hoursLater(48)]]);
  });

  it("a sweep that first runs after 48 h sends the reminder and escalates together; acknowledged POs are left alone", async () => {
    const { f, po } = await sentPurchaseOrder();
    const acknowledged = await createPurchaseOrder(f, { status: "ACKNOWLEDGED", approvedAt: SENT_AT });
    await prisma.purchaseOrder.update({ where: { id: acknowledged.id }, data: { sentAt: SENT_AT, acknowledgedAt: hoursLater(1) } });
    const queues = getProducerQueues();
    const outcomes = await sweepFollowUps(f.shopId, { queues, now: hoursLater(50) });
    expect(outcomes).toEqual([{ purchaseOrderId: po.id, number: po.number, reminded: true, escalated: true }]);
    expect((await prisma.notification.findMany({ orderBy: { kind: "asc" } })).map((n) => n.kind)).toEqual(["FOLLOW_UP", "MERCHANT_ALERT"]);
    // Concurrent follow-ups of the same PO (two sweeps overlapping) still do it once: the row lock decides.
    const again = await Promise.all([1, 2].map(() => followUpPurchaseOrder(f.shopId, po.id, { queues, now: hoursLater(51) })));
    expect(again.every((o) => !o.reminded && !o.escalated)).toBe(true);
    expect(await prisma.notification.count()).toBe(2);
  });

  it("a level-1 follow-up job does not escalate early", async () => {
    const { f, po } = await sentPurchaseOrder();
    const queues = getProducerQueues();
    expect(await followUpPurchaseOrder(f.shopId, po.id, { queues, now: hoursLater(60) }, 1)).toMatchObject({ reminded: true, escalated: false });
    expect(await prisma.reviewItem.count()).toBe(0);
  });
});

describe("weekly ship-date requests", () => {
  it("are due on the shop's own Monday from 09:00 local time", () => {
    expect(isShipDateRequestDue(new Date("2026-03-02T13:59:00Z"), "America/New_York")).toBe(false); // 08:59 EST
    expect(isShipDateRequestDue(new Date("2026-03-02T14:00:00Z"), "America/New_York")).toBe(true);
    expect(isShipDateRequestDue(new Date("2026-03-02T14:00:00Z"), "Asia/Tokyo")).toBe(true); // 23:00 Monday: still that Monday
    expect(isShipDateRequestDue(new Date("2026-03-02T15:00:00Z"), "Asia/Tokyo")).toBe(false); // Tuesday 00:00 JST
    expect(isShipDateRequestDue(new Date("2026-03-01T23:59:00Z"), "Asia/Tokyo")).toBe(false); // Monday 08:59 JST
    expect(isShipDateRequestDue(new Date("2026-03-02T00:00:00Z"), "Asia/Tokyo")).toBe(true); // Monday 09:00 JST
  });

  it("email each supplier once a week with its unshipped POs and their links, nothing for shipped or other weeks twice", async () => {
    const f = await createPurchasingFixture();
    const other = await createSupplier({ shopId: f.shopId, ccEmails: [] });
    const confirmed = await createPurchaseOrder(f, { status: "CONFIRMED", approvedAt: SENT_AT });
    await prisma.purchaseOrder.update({ where: { id: confirmed.id }, data: { expectedShipDate: new Date("2026-03-10") } });
    const sent = await createPurchaseOrder(f, { status: "SENT", approvedAt: SENT_AT });
    await createPurchaseOrder(f, { status: "SHIPPED", approvedAt: SENT_AT });
    await createPurchaseOrder(f, { status: "DRAFT" });
    const otherPo = await createPurchaseOrder({ ...f, supplierId: other.id }, { status: "ACKNOWLEDGED", approvedAt: SENT_AT });
    const queues = getProducerQueues();
    const monday = new Date("2026-03-02T14:00:00Z");

    const first = await requestShipDateUpdates(f.shopId, { queues, now: monday });
    expect(first).toMatchObject({ suppliers: 2, purchaseOrders: 3 });
    const rows = await prisma.notification.findMany({ where: { shopId: f.shopId }, orderBy: { recipient: "asc" } });
    expect(rows).toHaveLength(2);
    const mine = rows.find((r) => r.bodyText.includes(sent.number))!;
    expect(mine.subject).toMatch(/please confirm the ship dates of 2 open purchase orders$/);
    expect(mine.bodyText).toContain(`${confirmed.number}: ship date 2026-03-10 — confirm or update: https://replenish.test/portal/`);
    expect(mine.bodyText).toContain(`${sent.number}: ship date not set yet`);
    expect(rows.find((r) => r.bodyText.includes(otherPo.number))?.recipient).toBe(other.orderEmail);
    expect(await prisma.purchaseOrderEvent.count({ where: { type: "FOLLOW_UP" } })).toBe(3);

    // Same week (a second sweep that hour, or Tuesday): nothing. Next week: again.
    expect((await requestShipDateUpdates(f.shopId, { queues, now: new Date("2026-03-03T10:00:00Z") })).notificationIds).toEqual([]);
    expect(isoWeek(monday)).toBe("2026-W10");
    expect((await requestShipDateUpdates(f.shopId, { queues, now: new Date("2026-03-09T14:00:00Z") })).notificationIds).toHaveLength(2);
    expect(await prisma.notification.count()).toBe(4);
  });

  it("counts weeks in the shop's own calendar: a UTC+14 shop's Monday spans two UTC weeks but gets one request", async () => {
    const f = await createPurchasingFixture();
    await prisma.shop.update({ where: { id: f.shopId }, data: { timezone: "Pacific/Kiritimati" } });
    await createPurchaseOrder(f, { status: "CONFIRMED", approvedAt: SENT_AT });
    const queues = getProducerQueues();
    const mondayMorning = new Date("2026-03-01T19:00:00Z"); // Monday 09:00 local, Sunday (ISO week 9) in UTC
    const mondayNight = new Date("2026-03-02T09:00:00Z"); // Monday 23:00 local, Monday (ISO week 10) in UTC
    expect(isShipDateRequestDue(mondayMorning, "Pacific/Kiritimati") && isShipDateRequestDue(mondayNight, "Pacific/Kiritimati")).toBe(true);
    expect((await requestShipDateUpdates(f.shopId, { queues, now: mondayMorning })).notificationIds).toHaveLength(1);
    expect((await requestShipDateUpdates(f.shopId, { queues, now: mondayNight })).notificationIds).toHaveLength(0);
  });

  it("the hourly purchasing sweep is a registered global scheduler", async () => {
    const queues = getProducerQueues();
    await obliterateAll(queues);
    expect(GLOBAL_SCHEDULERS.some((s) => s.id === "purchasing-sweep")).toBe(true);
    await syncGlobalSchedulers(queues);
    const [scheduler] = await queues.queue("purchasing").getJobSchedulers(0, -1);
    expect(scheduler).toMatchObject({ key: "purchasing-sweep", every: PURCHASING_SWEEP_EVERY_MS, name: "purchasing-sweep" });
    expect(PURCHASING_SWEEP_EVERY_MS).toBe(3_600_000);
  });
});

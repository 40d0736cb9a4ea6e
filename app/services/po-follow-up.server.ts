import { getEnv } from "#app/env.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { lockPurchaseOrder } from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { dispatchNotifications, queueNotifications, type NotificationInput } from "./notification-outbox.server.ts";
import { outboxTx, portalUrl } from "./po-dispatch.server.ts";
import { issueSupplierPortalToken } from "./purchase-orders.server.ts";

/**
 * Chasing suppliers (issue 5, item 5). Everything takes `now`, so the schedules are tested with a
 * controllable clock and a late or repeated sweep decides from the data, not from when it ran:
 *
 * - a PO SENT (not acknowledged, accepted or countered) for 24 h → a reminder email to the supplier;
 * - for 48 h → escalation: an UNACKNOWLEDGED_PO review item and an email to the merchant;
 * - weekly, each supplier with POs that have not shipped yet gets one email listing them, asking to
 *   confirm or update the ship date (through the portal link of each PO).
 *
 * PurchaseOrder.followUpLevel (0 → 1 reminder → 2 escalated) under the PO's row lock plus the outbox's
 * unique dedupe keys make each step happen once however many sweeps overlap.
 */

export const REMINDER_AFTER_MS = 24 * 3_600_000;
export const ESCALATE_AFTER_MS = 48 * 3_600_000;
/** Statuses whose ship date is still the supplier's to confirm. */
export const AWAITING_SHIPMENT = ["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED"] as const;

const TRANSACTION = { timeout: 20_000, maxWait: 20_000 };
const FOLLOW_UP_ACTOR = "follow-up";

export interface FollowUpDeps {
  queues: QueueRegistry;
  now: Date;
}

export type FollowUpOutcome = { purchaseOrderId: string; number: string; reminded: boolean; escalated: boolean };

function hours(ms: number): number {
  return Math.floor(ms / 3_600_000);
}

/** The admin page of a PO, for the merchant's email. */
function adminUrl(purchaseOrderId: string): string {
  return new URL(`/app/purchase-orders/${purchaseOrderId}`, getEnv().SHOPIFY_APP_URL).toString();
}

/**
 * Decides and performs the due follow-up of one PO. `level` limits how far to go (the `follow-up` job's
 * optional level); without it, whatever is due by `now` is done.
 */
export async function followUpPurchaseOrder(shopId: string, purchaseOrderId: string, deps: FollowUpDeps, level?: 1 | 2): Promise<FollowUpOutcome> {
  const { now } = deps;
  // Issued before the transaction: it reads the supplier's revocation instant on its own connection.
  const token = await issueSupplierPortalToken(shopId, purchaseOrderId, { now });
  const outcome = await forShop(shopId).$transaction(async (tx) => {
    const locked = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!locked) throw new AppError("not_found", "Purchase order not found");
    const po = await tx.purchaseOrder.findUniqueOrThrow({
      where: { id: purchaseOrderId },
      select: {
        number: true, status: true, sentAt: true, followUpLevel: true, total: true, currency: true,
        shop: { select: { name: true, settings: { select: { digestRecipients: true } } } },
        supplier: { select: { name: true, contactName: true, orderEmail: true, ccEmails: true } },
      },
    });
    const result: FollowUpOutcome = { purchaseOrderId, number: po.number, reminded: false, escalated: false };
    if (po.status !== "SENT" || po.sentAt === null) return { result, ids: [] as string[] };
    const waited = now.getTime() - po.sentAt.getTime();
    const maxLevel = level ?? 2;
    const notifications: NotificationInput[] = [];

    if (po.followUpLevel < 1 && waited >= REMINDER_AFTER_MS && maxLevel >= 1) {
      const link = portalUrl(token);
      const recipients = [po.supplier.orderEmail, ...po.supplier.ccEmails].filter((r): r is string => Boolean(r));
      recipients.forEach((recipient, i) =>
        notifications.push({
          channel: "EMAIL", kind: "FOLLOW_UP", recipient,
          subject: `Reminder: please confirm purchase order ${po.number}`,
          bodyText: [
            `Hello${po.supplier.contactName ? ` ${po.supplier.contactName}` : ""},`,
            "",
            `We sent you purchase order ${po.number} ${hours(waited)} hours ago and have not heard back yet.`,
            "Please accept it, or propose changes, here:",
            link,
            "",
            po.shop.name,
          ].join("\n"),
          dedupeKey: `po-reminder-${purchaseOrderId}-${i}`,
          payload: { purchaseOrderId, level: 1 },
          scheduledAt: now,
        }),
      );
      await tx.purchaseOrderEvent.create({
        data: {
          shopId, purchaseOrderId, type: "FOLLOW_UP", actorType: "SYSTEM", actorName: FOLLOW_UP_ACTOR, createdAt: now,
          message: recipients.length
            ? `No acknowledgment after ${hours(waited)} h: reminder emailed to ${recipients.join(", ")}`
            : `No acknowledgment after ${hours(waited)} h: the supplier has no email address to remind`,
          data: { level: 1, recipients },
        },
      });
      result.reminded = true;
    }

    if (po.followUpLevel < 2 && waited >= ESCALATE_AFTER_MS && maxLevel >= 2) {
      const reason = `${po.supplier.name} has not acknowledged ${po.number} ${hours(waited)} hours after it was sent`;
      await tx.reviewItem.upsert({
        where: { shopId_dedupeKey: { shopId, dedupeKey: `UNACKNOWLEDGED_PO:${purchaseOrderId}` } },
        create: {
          shopId, kind: "UNACKNOWLEDGED_PO", subjectType: "PURCHASE_ORDER", subjectId: purchaseOrderId, reason, createdAt: now,
          details: { purchaseOrderId, number: po.number, sentAt: po.sentAt.toISOString(), hoursWaiting: hours(waited) },
          dedupeKey: `UNACKNOWLEDGED_PO:${purchaseOrderId}`,
        },
        update: { status: "OPEN", reason, resolvedAt: null, resolvedBy: null },
      });
      const merchants = po.shop.settings?.digestRecipients ?? [];
      merchants.forEach((recipient, i) =>
        notifications.push({
          channel: "EMAIL", kind: "MERCHANT_ALERT", recipient,
          subject: `${po.number}: ${po.supplier.name} has not acknowledged after ${hours(waited)} hours`,
          bodyText: [
            reason + ".",
            "A reminder went to the supplier after 24 hours. You may want to call them, resend the order, or cancel it.",
            "",
            adminUrl(purchaseOrderId),
          ].join("\n"),
          dedupeKey: `po-escalation-${purchaseOrderId}-${i}`,
          payload: { purchaseOrderId, level: 2 },
          scheduledAt: now,
        }),
      );
      await tx.purchaseOrderEvent.create({
        data: {
          shopId, purchaseOrderId, type: "FOLLOW_UP", actorType: "SYSTEM", actorName: FOLLOW_UP_ACTOR, createdAt: now,
          message: `No acknowledgment after ${hours(waited)} h: escalated to the merchant (review queue${merchants.length ? ` and email to ${merchants.join(", ")}` : ""})`,
          data: { level: 2, recipients: merchants },
        },
      });
      result.escalated = true;
    }

    if (!result.reminded && !result.escalated) return { result, ids: [] as string[] };
    await tx.purchaseOrder.update({
      where: { id: purchaseOrderId },
      data: { followUpLevel: result.escalated ? 2 : 1, lastFollowUpAt: now },
    });
    const queued = await queueNotifications(outboxTx(tx), shopId, notifications);
    return { result, ids: queued.ids };
  }, TRANSACTION);
  await dispatchNotifications(shopId, outcome.ids, { queues: deps.queues, now });
  return outcome.result;
}

/** The hourly sweep: every SENT PO whose next follow-up is due. */
export async function sweepFollowUps(shopId: string, deps: FollowUpDeps): Promise<FollowUpOutcome[]> {
  const due = await forShop(shopId).purchaseOrder.findMany({
    where: {
      status: "SENT",
      OR: [
        { followUpLevel: 0, sentAt: { lte: new Date(deps.now.getTime() - REMINDER_AFTER_MS) } },
        { followUpLevel: 1, sentAt: { lte: new Date(deps.now.getTime() - ESCALATE_AFTER_MS) } },
      ],
    },
    select: { id: true },
    orderBy: { sentAt: "asc" },
  });
  const outcomes: FollowUpOutcome[] = [];
  for (const po of due) outcomes.push(await followUpPurchaseOrder(shopId, po.id, deps));
  return outcomes;
}

/** The calendar day `at` falls on in `timeZone` (UTC midnight of that day); UTC for an unknown zone. */
export function localDate(at: Date, timeZone: string): Date {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  } catch {
    return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return new Date(`${part("year")}-${part("month")}-${part("day")}T00:00:00.000Z`);
}

/** ISO week of `now` (e.g. 2026-W10): one ship-date request per supplier and week. */
export function isoWeek(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * The weekly ship-date request: one email per supplier with open, unshipped POs, each listed with its
 * current expected ship date and its own portal link (where the supplier confirms or changes it).
 */
export async function requestShipDateUpdates(shopId: string, deps: FollowUpDeps): Promise<{ suppliers: number; purchaseOrders: number; notificationIds: string[] }> {
  const { now } = deps;
  const db = forShop(shopId);
  const pos = await db.purchaseOrder.findMany({
    where: { status: { in: [...AWAITING_SHIPMENT] } },
    select: {
      id: true, number: true, status: true, expectedShipDate: true, expectedArrivalDate: true, supplierId: true,
      supplier: { select: { name: true, contactName: true, orderEmail: true, ccEmails: true } },
    },
    orderBy: { number: "asc" },
  });
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { name: true, timezone: true } });
  const bySupplier = new Map<string, typeof pos>();
  for (const po of pos) bySupplier.set(po.supplierId, [...(bySupplier.get(po.supplierId) ?? []), po]);

  // The shop's own calendar week: the request goes out on its Monday, which may be Sunday in UTC.
  const week = isoWeek(localDate(now, shop.timezone));
  // The sweep runs hourly all Monday: suppliers already asked this week are skipped before any work.
  const asked = new Set(
    (
      await db.notification.findMany({
        where: { dedupeKey: { in: [...bySupplier.keys()].map((id) => `eta-request-${id}-${week}-0`) } },
        select: { dedupeKey: true },
      })
    ).map((n) => n.dedupeKey),
  );
  for (const supplierId of [...bySupplier.keys()]) if (asked.has(`eta-request-${supplierId}-${week}-0`)) bySupplier.delete(supplierId);
  const links = new Map<string, string>();
  for (const list of bySupplier.values()) for (const po of list) links.set(po.id, portalUrl(await issueSupplierPortalToken(shopId, po.id, { now })));

  const notifications: NotificationInput[] = [];
  const covered: typeof pos = [];
  for (const [supplierId, list] of bySupplier) {
    const supplier = list[0]!.supplier;
    const recipients = [supplier.orderEmail, ...supplier.ccEmails].filter((r): r is string => Boolean(r));
    if (recipients.length === 0) continue;
    covered.push(...list);
    const rows = list.map((po) =>
      `- ${po.number}: ship date ${po.expectedShipDate ? po.expectedShipDate.toISOString().slice(0, 10) : "not set yet"} — confirm or update: ${links.get(po.id)}`,
    );
    recipients.forEach((recipient, i) =>
      notifications.push({
        channel: "EMAIL", kind: "FOLLOW_UP", recipient,
        subject: `${shop.name}: please confirm the ship dates of ${list.length} open purchase order${list.length === 1 ? "" : "s"}`,
        bodyText: [
          `Hello${supplier.contactName ? ` ${supplier.contactName}` : ""},`,
          "",
          "Could you confirm, or update, when these orders will ship?",
          "",
          ...rows,
          "",
          "Each link opens the order; set the ship date and method there (and tracking numbers once shipped).",
          "",
          shop.name,
        ].join("\n"),
        dedupeKey: `eta-request-${supplierId}-${week}-${i}`,
        payload: { supplierId, week, purchaseOrderIds: list.map((p) => p.id) },
        scheduledAt: now,
      }),
    );
  }

  const ids = await db.$transaction(async (tx) => {
    const queued = await queueNotifications(outboxTx(tx), shopId, notifications);
    const fresh = new Set(queued.created.map((c) => c.dedupeKey.replace(/-\d+$/, "")));
    const events = covered
      .filter((po) => fresh.has(`eta-request-${po.supplierId}-${week}`))
      .map((po) => ({
        shopId, purchaseOrderId: po.id, type: "FOLLOW_UP" as const, actorType: "SYSTEM" as const, actorName: FOLLOW_UP_ACTOR, createdAt: now,
        message: `Weekly ship-date request sent (${week})`, data: { kind: "eta-request", week },
      }));
    if (events.length) await tx.purchaseOrderEvent.createMany({ data: events });
    return queued.ids;
  }, TRANSACTION);
  await dispatchNotifications(shopId, ids, { queues: deps.queues, now });
  return { suppliers: new Set(covered.map((p) => p.supplierId)).size, purchaseOrders: covered.length, notificationIds: ids };
}

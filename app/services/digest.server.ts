import { dayOfWeek, fromDayNumber, toDayNumber } from "../domain/shared/day.ts";
import { prisma } from "../db.server.ts";
import { getEnv } from "../env.server.ts";
import { AppError } from "../lib/app-error.ts";
import { digestSubject, renderDigestHtml, renderDigestText, type DigestData } from "../lib/digest-email.ts";
import { loadDigestSettings, loadPurchaseOrderActivity, loadReviewActivity, loadSupplierPerformance } from "../models/digest.server.ts";
import { listSnapshots } from "../models/shop-snapshot.server.ts";
import { loadDashboard } from "./daily-snapshot.server.ts";
import { queueAndDispatch, type DispatchOptions } from "./notification-outbox.server.ts";

/**
 * The merchant digest (weekly, or daily): the dashboard's figures (the same snapshot, so the email and
 * the page never disagree) plus what happened in the period. Built once, rendered to HTML + text, and
 * sent through the notifications outbox to each recipient in the settings.
 */

/** Supplier performance needs more deliveries than a week has: it looks back a quarter. */
export const SUPPLIER_WINDOW_DAYS = 90;

export type DigestFrequency = "WEEKLY" | "DAILY";

export async function buildDigest(shopId: string, now: Date, options: { frequency?: DigestFrequency; adminUrl?: string } = {}): Promise<DigestData> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { name: true, currency: true } });
  if (!shop) throw new AppError("not_found", `shop ${shopId} not found`);
  const settings = await loadDigestSettings(shopId);
  const frequency: DigestFrequency = options.frequency ?? (settings.digestFrequency === "DAILY" ? "DAILY" : "WEEKLY");
  const view = await loadDashboard(shopId, now);
  const today = toDayNumber(view.today);
  const periodEnd = today - 1;
  const periodStart = frequency === "DAILY" ? periodEnd : today - 7;
  const [pos, reviews, suppliers, snapshots] = await Promise.all([
    loadPurchaseOrderActivity(shopId, view.timezone, periodStart, periodEnd),
    loadReviewActivity(shopId, view.timezone, periodStart, periodEnd),
    loadSupplierPerformance(shopId, view.timezone, today - SUPPLIER_WINDOW_DAYS, periodEnd),
    listSnapshots(shopId, periodStart, periodEnd),
  ]);
  return {
    shopName: shop.name,
    currency: shop.currency,
    frequency,
    periodStart: fromDayNumber(periodStart),
    periodEnd: fromDayNumber(periodEnd),
    adminUrl: options.adminUrl ?? `${getEnv().SHOPIFY_APP_URL.replace(/\/$/, "")}/app`,
    purchaseOrders: { generated: pos.generated.count, generatedValue: pos.generated.value, placed: pos.placed.count, placedValue: pos.placed.value },
    inStock: view.rates,
    stockouts: {
      inProgress: view.outOfStockSkuCount,
      inProgressA: view.outOfStockSkuCountA,
      lostRevenuePerDay: view.lostRevenuePerDay,
      skuDaysOut: snapshots.reduce((s, r) => s + r.stockoutsInProgress, 0),
    },
    anomalies: { opened: reviews.opened, closed: reviews.closed, open: view.openReviewItemCount },
    overstock: { skuCount: view.overstock.skuCount, excessValueCents: view.overstock.excessValueCents, carryingCostPerMonthCents: view.overstock.carryingCostPerMonthCents, thresholdDays: view.overstock.thresholdDays },
    suppliers: { windowDays: SUPPLIER_WINDOW_DAYS, rows: suppliers },
  };
}

export interface RenderedDigest {
  data: DigestData;
  subject: string;
  html: string;
  text: string;
}

export async function renderDigest(shopId: string, now: Date, options: { frequency?: DigestFrequency; adminUrl?: string } = {}): Promise<RenderedDigest> {
  const data = await buildDigest(shopId, now, options);
  return { data, subject: digestSubject(data), html: renderDigestHtml(data), text: renderDigestText(data) };
}

export type SendDigestResult = { outcome: "queued"; notificationIds: string[]; duplicates: string[] } | { outcome: "skipped"; reason: string };

/**
 * The scheduled send. It re-reads the settings, so a digest turned off or moved to another weekday since
 * the schedule was written is not sent on the old day. One outbox row per recipient and period (the
 * dedupeKey), so a retried job sends nothing twice.
 */
export async function sendDigest(shopId: string, now: Date, options: DispatchOptions & { adminUrl?: string } = {}): Promise<SendDigestResult> {
  const settings = await loadDigestSettings(shopId);
  if (settings.digestFrequency === "OFF") return { outcome: "skipped", reason: "the digest is turned off" };
  const recipients = [...new Set(settings.digestRecipients.map((r) => r.trim().toLowerCase()).filter(Boolean))];
  if (recipients.length === 0) return { outcome: "skipped", reason: "no digest recipients are set" };
  const digest = await renderDigest(shopId, now, options.adminUrl ? { adminUrl: options.adminUrl } : {});
  // Settings count weekdays from Sunday (0), the day helpers from Monday (0).
  const weekday = (dayOfWeek(toDayNumber(digest.data.periodEnd) + 1) + 1) % 7;
  if (digest.data.frequency === "WEEKLY" && weekday !== settings.digestWeekday) {
    return { outcome: "skipped", reason: "today is not the digest's weekday" };
  }
  const queued = await queueAndDispatch(
    shopId,
    recipients.map((recipient) => ({
      channel: "EMAIL" as const,
      kind: "DIGEST",
      recipient,
      subject: digest.subject,
      bodyText: digest.text,
      bodyHtml: digest.html,
      payload: { frequency: digest.data.frequency, periodStart: digest.data.periodStart, periodEnd: digest.data.periodEnd },
      dedupeKey: `digest-${digest.data.frequency.toLowerCase()}-${digest.data.periodEnd}-${recipient}`,
    })),
    options,
  );
  return { outcome: "queued", notificationIds: queued.ids, duplicates: queued.duplicates };
}

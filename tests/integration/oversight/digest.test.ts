// Issue 7 acceptance: the digest email is rendered, goes through the outbox and a real BullMQ worker to a
// real SMTP server in this process, its HTML is snapshot-checked, and its figures are the dashboard's.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { formatRate } from "#app/components/review-kinds.ts";
import { formatCents } from "#app/domain/shared/money.ts";
import { createMailer, type Mailer } from "#app/lib/mailer.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { loadDashboard, recordNightlySnapshots } from "#app/services/daily-snapshot.server.ts";
import { buildDigest, sendDigest } from "#app/services/digest.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { deliverNotification, sweepOutbox } from "#workers/processors/notification-delivery.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { startSmtpSink, type SmtpSink } from "#tests/support/smtp-sink.ts";
import { loader as previewLoader } from "#app/routes/app.digest.tsx";
import { obliterateAll } from "../workers/helpers.ts";
import { callLoader, DEMO_DOMAIN, useDemoMode } from "../routes/helpers.ts";
import { countedOn, heldAt, NOW, seedOversightShop, SKUS } from "./seed-oversight-shop.ts";

let sink: SmtpSink;
let mailer: Mailer;
let running: RunningWorkers | undefined;

beforeAll(async () => {
  useDemoMode();
  sink = await startSmtpSink();
  mailer = createMailer({ smtpUrl: sink.url, from: "Replenish <digest@replenish.test>" });
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

const ADMIN = "https://replenish.test/app";

/** The seeded shop, with what happened in the week before NOW (Sunday 15 March 2026, New York). */
async function seed(settings: { digestFrequency?: string; digestWeekday?: number } = {}) {
  const { shop } = await seedOversightShop({ name: "Harbor & Pine <Test>" });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { digestRecipients: ["Owner@Example.test", "ops@example.test", "owner@example.test"], digestWeekday: 0, ...settings } });
  const run = await prisma.reorderRun.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { startedAt: "desc" } });
  // PO-2 was written by the engine (created 9 March, sent 10 March); PO-5 arrived a day early.
  await prisma.purchaseOrder.updateMany({ where: { shopId: shop.id, number: "PO-2" }, data: { reorderRunId: run.id } });
  await prisma.purchaseOrder.updateMany({ where: { shopId: shop.id, number: "PO-5" }, data: { expectedArrivalDate: new Date("2026-03-05") } });
  // Review activity inside the week: one opened on the 10th, one closed on the 12th; one opened before it.
  const items = await prisma.reviewItem.findMany({ where: { shopId: shop.id }, orderBy: { dedupeKey: "asc" } });
  await prisma.reviewItem.update({ where: { id: items[0]!.id }, data: { createdAt: new Date("2026-03-10T15:00:00Z") } });
  await prisma.reviewItem.update({ where: { id: items[1]!.id }, data: { createdAt: new Date("2026-02-01T15:00:00Z") } });
  await prisma.reviewItem.update({ where: { id: items[3]!.id }, data: { createdAt: new Date("2026-02-01T15:00:00Z"), resolvedAt: new Date("2026-03-12T15:00:00Z") } });
  await prisma.reviewItem.update({ where: { id: items[2]!.id }, data: { createdAt: new Date("2026-02-01T15:00:00Z") } });
  await recordNightlySnapshots(shop.id, NOW);
  return shop;
}

describe("merchant digest", () => {
  it("is delivered to every recipient over SMTP with an HTML and a plain-text part whose figures are the dashboard's", async () => {
    running = await startWorkers({ syncSchedulers: false, processors: { notifications: { "deliver-notification": deliverNotification, "sweep-outbox": sweepOutbox } }, processorsDeps: { mailer } });
    const shop = await seed();

    const result = await sendDigest(shop.id, NOW, { queues: running.queues, adminUrl: ADMIN });
    expect(result).toMatchObject({ outcome: "queued" });
    const messages = await sink.waitForMessages(2);
    expect(messages.map((m) => m.envelopeTo[0]).sort()).toEqual(["ops@example.test", "owner@example.test"]);
    const [message] = messages;

    const view = await loadDashboard(shop.id, NOW);
    expect(message!.subject).toBe(`Harbor & Pine <Test>: Weekly digest 2026-03-08 – 2026-03-14 · in stock ${formatRate(view.rates[0]!.all)} · ${view.openReviewItemCount} to review`);
    const text = message!.text;
    for (const r of view.rates) expect(text).toContain(`Last ${r.days} days: ${formatRate(r.all)} (A-class ${formatRate(r.classA)})`);
    expect(text).toContain(`Out of stock now: ${view.outOfStockSkuCount} (${view.outOfStockSkuCountA} A-class)`);
    expect(text).toContain(`Lost revenue per day: ${formatCents(view.lostRevenuePerDay, "USD")}`);
    expect(text).toContain(`Waiting for you now: ${view.openReviewItemCount}`);
    expect(text).toContain(`SKUs above 90 days of supply: ${view.overstock.skuCount} (${formatCents(view.overstock.excessValueCents, "USD")} tied up`);
    // The week's own figures, worked out from the seed: PO-2 generated and placed (USD 100), one item
    // opened and one closed; SKU-days out: B and D on the 8th, A, B and D on 9–11, A and D on 12–14.
    expect(text).toContain("Generated by the engine: 1 ($100.00)");
    expect(text).toContain("Placed with suppliers: 1 ($100.00)");
    expect(text).toContain("Opened: 1");
    expect(text).toContain("Closed: 1");
    let skuDaysOut = 0;
    for (let d = 8; d <= 14; d++) skuDaysOut += SKUS.filter((s) => countedOn(s, `2026-03-${String(d).padStart(2, "0")}`) && heldAt(s, `2026-03-${String(d).padStart(2, "0")}`) === 0).length;
    expect(skuDaysOut).toBe(2 + 3 * 3 + 2 * 3);
    expect(text).toContain(`SKU-days out of stock in the period: ${skuDaysOut}`);
    // PO-5: sent 10 Feb, received 4 March (22 days), expected the 5th: on time; promised 14 days.
    expect(text).toMatch(/Supplier \d+: on time 100\.0% \(1 of 1\), lead time 22\.0 d vs 14 d promised/);

    const html = message!.html!;
    expect(html).toContain("Harbor &amp; Pine &lt;Test&gt;"); // escaped
    expect(html).toContain(`href="${ADMIN}/anomalies"`);
    await expect(html.replace(/Supplier \d+/g, "Supplier N")).toMatchFileSnapshot("./__snapshots__/weekly-digest.html");

    await expect.poll(async () => prisma.notification.count({ where: { shopId: shop.id, kind: "DIGEST", status: "SENT" } }), { timeout: 10_000 }).toBe(2);
    // A retried job queues nothing new.
    const again = await sendDigest(shop.id, NOW, { queues: running.queues, adminUrl: ADMIN });
    expect(again).toMatchObject({ outcome: "queued", notificationIds: [] });
    expect(await prisma.notification.count({ where: { shopId: shop.id, kind: "DIGEST" } })).toBe(2);
  });

  it("daily variant covers yesterday; a weekly digest is not sent on another weekday, nor when off or without recipients", async () => {
    const shop = await seed({ digestFrequency: "DAILY" });
    const daily = await buildDigest(shop.id, NOW, { adminUrl: ADMIN });
    expect(daily).toMatchObject({ frequency: "DAILY", periodStart: "2026-03-14", periodEnd: "2026-03-14" });
    expect(daily.purchaseOrders.placed).toBe(0);
    expect(daily.stockouts.skuDaysOut).toBe(2); // A and D on the 14th

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { digestFrequency: "WEEKLY", digestWeekday: 1 } });
    expect(await sendDigest(shop.id, NOW, { adminUrl: ADMIN })).toEqual({ outcome: "skipped", reason: "today is not the digest's weekday" });
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { digestFrequency: "OFF" } });
    expect(await sendDigest(shop.id, NOW, { adminUrl: ADMIN })).toMatchObject({ outcome: "skipped" });
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { digestFrequency: "WEEKLY", digestWeekday: 0, digestRecipients: [] } });
    expect(await sendDigest(shop.id, NOW, { adminUrl: ADMIN })).toEqual({ outcome: "skipped", reason: "no digest recipients are set" });
    expect(await prisma.notification.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("is previewable in the admin, weekly and daily, rendered by the same code as the email", async () => {
    await seedOversightShop({ domain: DEMO_DOMAIN, isDemo: true, name: "Preview shop" });
    const weekly = await callLoader(previewLoader, "/app/digest");
    expect(weekly.frequency).toBe("WEEKLY");
    expect(weekly.subject).toMatch(/^Preview shop: Weekly digest /);
    expect(weekly.html).toContain("<title>Preview shop: Weekly digest");
    expect(weekly.html).toContain('href="http://127.0.0.1:3000/app/anomalies"');
    expect(weekly.text).toContain("IN STOCK");
    const daily = await callLoader(previewLoader, "/app/digest?frequency=DAILY");
    expect(daily.subject).toMatch(/^Preview shop: Daily digest \d{4}-\d{2}-\d{2} /);
  });
});

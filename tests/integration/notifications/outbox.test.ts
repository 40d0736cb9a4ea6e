// The notifications outbox end to end: rows queued in a transaction → deliver-notification jobs on a
// real BullMQ queue → a real SMTP server (smtp-server, in this process) or the Twilio fake; failures
// end in a visible FAILED row; duplicates are stored once; the sweeper picks up what was never enqueued.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { createMailer, type Mailer } from "#app/lib/mailer.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { createSmsClient } from "#app/lib/sms.server.ts";
import { dispatchNotifications, queueNotifications, type NotificationInput } from "#app/services/notification-outbox.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { deliverNotification, deliverNotificationBatch, sweepOutbox } from "#workers/processors/notification-delivery.ts";
import { defaultWebhookHandlers } from "#workers/processors/webhook-event.ts";
import { startTwilioSandbox, type TwilioSandbox } from "#sandbox/twilio/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop } from "#tests/factories/index.ts";
import { startSmtpSink, type SmtpSink } from "#tests/support/smtp-sink.ts";
import { obliterateAll, waitUntil } from "../workers/helpers.ts";

let sink: SmtpSink;
let twilio: TwilioSandbox;
let mailer: Mailer;
let running: RunningWorkers | undefined;

beforeAll(async () => {
  sink = await startSmtpSink({
    rejectRecipient: (to) => (to.endsWith("@bounce.test") ? { code: 550, message: "5.1.1 No such user here" } : to.endsWith("@busy.test") ? { code: 451, message: "4.3.0 Try again later" } : undefined),
  });
  twilio = await startTwilioSandbox();
  mailer = createMailer({ smtpUrl: sink.url, from: "Test Shop <shop@example.test>" });
});

afterAll(async () => {
  mailer.close();
  await sink.close();
  await twilio.close();
  await closeQueues();
});

beforeEach(async () => {
  await resetDatabase();
  sink.clear();
  twilio.messages.length = 0;
});

afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
});

const sms = () => createSmsClient({ apiBase: twilio.origin, accountSid: twilio.accountSid, authToken: twilio.authToken, from: "+15005550006" });

async function start(): Promise<RunningWorkers> {
  running = await startWorkers({
    syncSchedulers: false,
    processors: { notifications: { "deliver-notification": deliverNotification, "deliver-batch": deliverNotificationBatch, "sweep-outbox": sweepOutbox } },
    processorsDeps: { mailer, sms: sms() },
  });
  return running;
}

function email(overrides: Partial<NotificationInput> = {}): NotificationInput {
  return { channel: "EMAIL", kind: "TEST", recipient: "shopper@example.test", subject: "Hello", bodyText: "Plain body", dedupeKey: "k1", ...overrides };
}

async function queue(shopId: string, inputs: NotificationInput[]) {
  return prisma.$transaction((tx) => queueNotifications(tx, shopId, inputs));
}

describe("notification outbox", () => {
  it("delivers a queued email through a real queue and SMTP server, attachment included", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const pdf = Buffer.from("%PDF-1.4 fake but binary \u0000\u0001\u0002");
    const queued = await queue(shop.id, [
      email({ bodyHtml: "<p>HTML body</p>", attachments: [{ filename: "PO-2026-0001.pdf", contentType: "application/pdf", contentBase64: pdf.toString("base64") }] }),
    ]);
    expect(queued.ids).toHaveLength(1);
    expect(await dispatchNotifications(shop.id, queued.ids, { queues })).toEqual({ enqueued: 1 });

    const [message] = await sink.waitForMessages(1);
    expect(message).toMatchObject({ subject: "Hello", envelopeTo: ["shopper@example.test"] });
    expect(message!.text.trim()).toBe("Plain body");
    expect(message!.html).toContain("<p>HTML body</p>");
    expect(message!.attachments).toHaveLength(1);
    expect(message!.attachments[0]).toMatchObject({ filename: "PO-2026-0001.pdf", contentType: "application/pdf" });
    expect(message!.attachments[0]!.content.equals(pdf)).toBe(true);

    await waitUntil(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } })).status === "SENT");
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } });
    expect(row).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
    expect(row.providerMessageId).toBe(message!.parsed?.messageId);
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it("marks a 5xx SMTP refusal FAILED with the server's words, without retrying", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const queued = await queue(shop.id, [email({ recipient: "nobody@bounce.test" })]);
    await dispatchNotifications(shop.id, queued.ids, { queues });

    await waitUntil(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } })).status === "FAILED");
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } });
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/SMTP 550.*No such user/);
    const job = await queues.queue("notifications").getJob(queued.ids[0]!);
    expect(await job?.getState()).toBe("failed");
    expect(sink.messages).toHaveLength(0);
  });

  it("keeps a 4xx refusal PENDING with the error for the next attempt, and FAILED once attempts are spent", async () => {
    const shop = await createShop();
    const queued = await queue(shop.id, [email({ recipient: "later@busy.test" })]);
    const deps: ProcessorDeps = { db: prisma, logger, now: () => new Date(), queues: undefined as never, planForShop: async () => ({ suggestionCount: 0 }), webhookHandlers: defaultWebhookHandlers, mailer };
    const data = { shopId: shop.id, notificationId: queued.ids[0]! };

    await expect(deliverNotification(data, deps)).rejects.toMatchObject({ kind: "unavailable" });
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: data.notificationId } })).toMatchObject({ status: "PENDING", attempts: 1, lastError: expect.stringMatching(/SMTP 451/) });

    for (let attempt = 2; attempt <= 4; attempt++) await expect(deliverNotification(data, deps)).rejects.toMatchObject({ kind: "unavailable" });
    await expect(deliverNotification(data, deps)).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/Gave up after 5 attempts/) });
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: data.notificationId } })).toMatchObject({ status: "FAILED", attempts: 5 });
    // A late duplicate job does nothing to a finished row.
    expect(await deliverNotification(data, deps)).toEqual({ outcome: "skipped", reason: "already_failed" });
  });

  it("delivers many due rows in batch jobs; a failure in a batch ends FAILED or moves to its own retrying job", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const inputs = Array.from({ length: 45 }, (_, i) => email({ recipient: `shopper${i}@example.test`, dedupeKey: `b${i}` }));
    inputs.push(email({ recipient: "gone@bounce.test", dedupeKey: "bounce" }), email({ recipient: "later@busy.test", dedupeKey: "busy" }));
    const queued = await queue(shop.id, inputs);
    await dispatchNotifications(shop.id, queued.ids, { queues });
    const jobs = await queues.queue("notifications").getJobs(["waiting", "active", "completed", "prioritized", "delayed"]);
    expect(jobs.filter((j) => j.name === "deliver-batch").map((j) => j.data.notificationIds.length).sort()).toEqual([47]);

    await sink.waitForMessages(45);
    await waitUntil(async () => (await prisma.notification.count({ where: { shopId: shop.id, status: "SENT" } })) === 45);
    const byKey = async (dedupeKey: string) => prisma.notification.findFirstOrThrow({ where: { shopId: shop.id, dedupeKey } });
    await waitUntil(async () => (await byKey("bounce")).status === "FAILED");
    expect((await byKey("bounce")).lastError).toMatch(/SMTP 550/);
    await waitUntil(async () => (await byKey("busy")).lastError !== null);
    expect(await byKey("busy")).toMatchObject({ status: "PENDING", attempts: 1, lastError: expect.stringMatching(/SMTP 451/) });
    const retry = await queues.queue("notifications").getJob((await byKey("busy")).id);
    expect(retry?.name).toBe("deliver-notification");
    expect(await retry?.getState()).toBe("delayed");
    const sent = await prisma.notification.findMany({ where: { shopId: shop.id, status: "SENT" } });
    expect(new Set(sent.map((n) => n.providerMessageId)).size).toBe(45);
  });

  it("stores a duplicate dedupeKey once and reports it", async () => {
    const shop = await createShop();
    const other = await createShop();
    const first = await queue(shop.id, [email(), email({ dedupeKey: "k2" }), email({ dedupeKey: "k2", subject: "repeat in the same batch" })]);
    expect(first.created.map((c) => c.dedupeKey)).toEqual(["k1", "k2"]);
    expect(first.duplicates).toEqual(["k2"]);
    const again = await queue(shop.id, [email({ subject: "retried job" }), email({ dedupeKey: "k3" })]);
    expect(again.created.map((c) => c.dedupeKey)).toEqual(["k3"]);
    expect(again.duplicates).toEqual(["k1"]);
    // Keys are per shop: another shop's k1 is its own message.
    expect((await queue(other.id, [email()])).ids).toHaveLength(1);
    expect(await prisma.notification.count({ where: { shopId: shop.id } })).toBe(3);
    expect((await prisma.notification.findFirstOrThrow({ where: { shopId: shop.id, dedupeKey: "k1" } })).subject).toBe("Hello");
  });

  it("rolls the rows back with the caller's transaction", async () => {
    const shop = await createShop();
    await expect(
      prisma.$transaction(async (tx) => {
        await queueNotifications(tx, shop.id, [email()]);
        throw new Error("cause failed");
      }),
    ).rejects.toThrow("cause failed");
    expect(await prisma.notification.count()).toBe(0);
  });

  it("sends SMS through the Twilio-compatible API and fails an invalid number visibly", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const queued = await queue(shop.id, [
      { channel: "SMS", kind: "TEST", recipient: "+14155550100", bodyText: "Back in stock: Blue mug", dedupeKey: "s1" },
      { channel: "SMS", kind: "TEST", recipient: "+1415", bodyText: "never", dedupeKey: "s2" },
    ]);
    await dispatchNotifications(shop.id, queued.ids, { queues });
    const [sent] = await twilio.waitForMessages(1);
    expect(sent).toMatchObject({ to: "+14155550100", from: "+15005550006", body: "Back in stock: Blue mug" });
    await waitUntil(async () => (await prisma.notification.count({ where: { shopId: shop.id, status: { in: ["SENT", "FAILED"] } } })) === 2);
    const rows = await prisma.notification.findMany({ where: { shopId: shop.id }, orderBy: { dedupeKey: "asc" } });
    expect(rows[0]).toMatchObject({ status: "SENT", providerMessageId: sent!.sid });
    expect(rows[1]).toMatchObject({ status: "FAILED", lastError: expect.stringMatching(/SMS API 400 \(code 21211\)/) });
  });

  it("gives a rate-limited SMS its attempt back and delivers it after the pause", async () => {
    const { queues } = await start();
    const shop = await createShop();
    twilio.faults.inject("throttle", { times: 1 });
    const queued = await queue(shop.id, [{ channel: "SMS", kind: "TEST", recipient: "+14155550101", bodyText: "hi", dedupeKey: "s1" }]);
    await dispatchNotifications(shop.id, queued.ids, { queues });
    await twilio.waitForMessages(1, 15_000);
    await waitUntil(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } })).status === "SENT");
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } })).toMatchObject({ attempts: 1, status: "SENT" });
  });

  it("sweeps PENDING rows whose job was never enqueued (the outbox guarantee)", async () => {
    const { queues } = await start();
    const shop = await createShop();
    const queued = await queue(shop.id, [email({ dedupeKey: "lost" }), email({ dedupeKey: "future", scheduledAt: new Date(Date.now() + 3_600_000) })]);
    // Nobody dispatched: the process "died" after commit.
    const deps = { db: prisma, logger, now: () => new Date(Date.now() + 6 * 60_000), queues, planForShop: async () => ({ suggestionCount: 0 }), webhookHandlers: defaultWebhookHandlers };
    expect(await sweepOutbox({}, deps)).toEqual({ enqueued: 1 });
    await sink.waitForMessages(1);
    await waitUntil(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[0]! } })).status === "SENT");
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: queued.ids[1]! } })).status).toBe("PENDING");
    // A claim left by a worker that died mid-send is taken again once it is stale.
    const stuck = (await queue(shop.id, [email({ dedupeKey: "stuck", recipient: "stuck@example.test" })])).ids[0]!;
    await prisma.notification.update({ where: { id: stuck }, data: { status: "SENDING", attempts: 1, scheduledAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await sweepOutbox({}, { ...deps, now: () => new Date() })).toEqual({ enqueued: 1 });
    await sink.waitForMessages(2);
    await waitUntil(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: stuck } })).status === "SENT");
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: stuck } })).attempts).toBe(2);
    sink.clear();
    // Sweeping again adds nothing new to send.
    await sweepOutbox({}, deps);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages).toHaveLength(0);
  });
});

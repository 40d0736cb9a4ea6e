import type { PrismaClient } from "@prisma/client";
import type { Logger } from "pino";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { parseJobData, type JobData, type JobName, type QueueName } from "#workers/queues.ts";

/**
 * Every recurring job of the product, declared here and nowhere else.
 *
 * Schedulers are per shop and keyed `${kind}-${shopId}`, so upserting is idempotent (a restart or
 * a settings change rewrites the same scheduler) and removing a shop's schedulers needs no lookup.
 * Calendar jobs run in the shop's own time zone (BullMQ's cron `tz`), so "nightly" means the
 * merchant's midnight, daylight-saving changes included.
 */

export const SCHEDULER_KINDS = ["nightly-reorder", "channel-reconcile", "daily-snapshot", "weekly-digest"] as const;
export type SchedulerKind = (typeof SCHEDULER_KINDS)[number];

/** Which queue each kind of scheduler feeds. */
export const SCHEDULER_QUEUES: Record<SchedulerKind, QueueName> = {
  "nightly-reorder": "reorder",
  "channel-reconcile": "channel-sync",
  "daily-snapshot": "reports",
  "weekly-digest": "reports",
};

/** Channel reconciliation repairs what webhooks missed; 15 minutes bounds how stale stock can get. */
export const RECONCILE_EVERY_MS = 15 * 60_000;

export interface SchedulerShop {
  id: string;
  /** IANA time zone, e.g. America/New_York. */
  timezone: string;
  /** Digest preferences; defaults (weekly on Monday) when the shop has no settings row. */
  settings?: { digestWeekday: number; digestFrequency: string } | null;
}

type Repeat = { pattern: string; tz: string } | { every: number };

export interface SchedulerSpec<Q extends QueueName = QueueName> {
  kind: SchedulerKind;
  queue: Q;
  id: string;
  repeat: Repeat;
  job: { name: JobName<Q>; data: JobData<Q, JobName<Q>> };
}

export function schedulerId(kind: SchedulerKind, shopId: string): string {
  return `${kind}-${shopId}`;
}

/** The shop id in a scheduler id of ours, or undefined for a scheduler this module did not create. */
export function parseSchedulerId(id: string): { kind: SchedulerKind; shopId: string } | undefined {
  for (const kind of SCHEDULER_KINDS) {
    if (id.startsWith(`${kind}-`) && id.length > kind.length + 1) return { kind, shopId: id.slice(kind.length + 1) };
  }
  return undefined;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function spec<Q extends QueueName, J extends JobName<Q>>(kind: SchedulerKind, queue: Q, shopId: string, repeat: Repeat, name: J, data: unknown): SchedulerSpec {
  // Parsing here keeps scheduler templates honest: a template that its job schema rejects would
  // only fail at 3 am in a worker.
  const parsed = parseJobData(queue, name, data);
  return { kind, queue, id: schedulerId(kind, shopId), repeat, job: { name, data: parsed } } as SchedulerSpec;
}

/** The schedulers an active shop should have (pure: no Redis). */
export function shopSchedulerSpecs(shop: SchedulerShop): SchedulerSpec[] {
  // An unknown zone would make BullMQ's cron parser throw for this shop; UTC keeps the shop running.
  const tz = isValidTimeZone(shop.timezone) ? shop.timezone : "UTC";
  const specs: SchedulerSpec[] = [
    spec("nightly-reorder", "reorder", shop.id, { pattern: "0 0 * * *", tz }, "run-reorder", { shopId: shop.id, trigger: "NIGHTLY" }),
    spec("channel-reconcile", "channel-sync", shop.id, { every: RECONCILE_EVERY_MS }, "reconcile", { shopId: shop.id }),
    // 00:30, after midnight has closed the day, so the snapshot covers a complete local day.
    spec("daily-snapshot", "reports", shop.id, { pattern: "30 0 * * *", tz }, "daily-snapshot", { shopId: shop.id }),
  ];
  const frequency = shop.settings?.digestFrequency ?? "WEEKLY";
  const weekday = shop.settings?.digestWeekday ?? 1;
  if (frequency !== "OFF") {
    const dayOfWeek = frequency === "DAILY" ? "*" : String(Number.isInteger(weekday) && weekday >= 0 && weekday <= 6 ? weekday : 1);
    specs.push(spec("weekly-digest", "reports", shop.id, { pattern: `0 8 * * ${dayOfWeek}`, tz }, "weekly-digest", { shopId: shop.id }));
  }
  return specs;
}

/** Creates or updates a shop's schedulers, and removes those it should no longer have (digest turned off). */
export async function syncShopSchedulers(shop: SchedulerShop, queues: QueueRegistry): Promise<SchedulerSpec[]> {
  const specs = shopSchedulerSpecs(shop);
  for (const s of specs) {
    await queues.queue(s.queue).upsertJobScheduler(s.id, s.repeat, { name: s.job.name, data: s.job.data });
  }
  const wanted = new Set(specs.map((s) => s.kind));
  for (const kind of SCHEDULER_KINDS) {
    if (!wanted.has(kind)) await queues.queue(SCHEDULER_QUEUES[kind]).removeJobScheduler(schedulerId(kind, shop.id));
  }
  return specs;
}

/** Stops every recurring job of a shop (uninstall). Already-queued jobs check the shop's status themselves. */
export async function removeShopSchedulers(shopId: string, queues: QueueRegistry): Promise<void> {
  for (const kind of SCHEDULER_KINDS) {
    await queues.queue(SCHEDULER_QUEUES[kind]).removeJobScheduler(schedulerId(kind, shopId));
  }
}

/**
 * Recurring jobs that serve every shop at once (not per shop, so adding a shop adds no Redis entries):
 * the outbox sweeper, which re-enqueues notifications whose job was never added, and the daily close
 * of long-waiting back-in-stock subscriptions on discontinued variants.
 */
export const OUTBOX_SWEEP_EVERY_MS = 60_000;
/** Follow-ups are due at whole hours after sending; an hourly sweep is at most an hour late. */
export const PURCHASING_SWEEP_EVERY_MS = 60 * 60_000;
/** How stale the anomaly queue and today's dashboard figures may get. */
export const OVERSIGHT_SWEEP_EVERY_MS = 15 * 60_000;
export const GLOBAL_SCHEDULERS = [
  { id: "outbox-sweep", queue: "notifications", repeat: { every: OUTBOX_SWEEP_EVERY_MS }, job: { name: "sweep-outbox", data: {} } },
  { id: "back-in-stock-discontinued", queue: "back-in-stock", repeat: { pattern: "15 3 * * *", tz: "UTC" }, job: { name: "close-discontinued", data: {} } },
  // Supplier follow-ups (24 h reminder, 48 h escalation), the weekly ship-date request and carrier checks.
  { id: "purchasing-sweep", queue: "purchasing", repeat: { every: PURCHASING_SWEEP_EVERY_MS }, job: { name: "purchasing-sweep", data: {} } },
  // Anomaly detectors + today's dashboard snapshot for every active shop: late, silent or failing things surface within 15 minutes.
  { id: "oversight-sweep", queue: "reports", repeat: { every: OVERSIGHT_SWEEP_EVERY_MS }, job: { name: "scan-anomalies", data: {} } },
] as const;

export async function syncGlobalSchedulers(queues: QueueRegistry): Promise<void> {
  for (const s of GLOBAL_SCHEDULERS) {
    const data = parseJobData(s.queue as QueueName, s.job.name as never, s.job.data);
    await queues.queue(s.queue).upsertJobScheduler(s.id, s.repeat, { name: s.job.name, data });
  }
}

export interface SyncAllDeps {
  db: Pick<PrismaClient, "shop">;
  queues: QueueRegistry;
  logger?: Pick<Logger, "info" | "warn">;
}

/**
 * Makes Redis match the database: every ACTIVE shop gets its schedulers, and schedulers of shops that
 * are gone or uninstalled are removed (an uninstall whose job never ran is repaired here).
 */
export async function syncAllSchedulers({ db, queues, logger }: SyncAllDeps): Promise<{ shops: number; removed: number }> {
  const shops = await db.shop.findMany({
    where: { status: "ACTIVE" },
    select: { id: true, timezone: true, settings: { select: { digestWeekday: true, digestFrequency: true } } },
    orderBy: { id: "asc" },
  });
  for (const shop of shops) {
    if (!isValidTimeZone(shop.timezone)) logger?.warn({ shopId: shop.id, timezone: shop.timezone }, "unknown shop time zone, scheduling in UTC");
    await syncShopSchedulers(shop, queues);
  }

  const active = new Set(shops.map((s) => s.id));
  let removed = 0;
  for (const queueName of new Set(Object.values(SCHEDULER_QUEUES))) {
    const queue = queues.queue(queueName);
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      const parsed = parseSchedulerId(scheduler.key);
      if (parsed && !active.has(parsed.shopId)) {
        await queue.removeJobScheduler(scheduler.key);
        removed += 1;
      }
    }
  }
  await syncGlobalSchedulers(queues);
  logger?.info({ shops: shops.length, removed }, "job schedulers synced");
  return { shops: shops.length, removed };
}

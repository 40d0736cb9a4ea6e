import { pullOrdersJob, pullStockJob, pushStockJob, reconcileJob, refreshOrderJob } from "./channel-sync.ts";
import { closeDiscontinuedJob, notifyRestockJob } from "./back-in-stock.ts";
import type { ProcessorTable } from "./deps.ts";
import { deliverNotification, deliverNotificationBatch, sweepOutbox } from "./notification-delivery.ts";
import { createPurchasingSweep, dispatchPoJob, followUpJob, runReorderThenApprove } from "./purchasing.ts";
import { dailySnapshotJob, refreshOversightAfter, scanAnomaliesJob, weeklyDigestJob } from "./reports.ts";
import { forecastAccuracyJob, trustReportJob } from "./trust-report.ts";
import { processWebhookEvent } from "./webhook-event.ts";

/**
 * Which processor runs each job. A queue without an entry gets no Worker yet: its jobs (e.g. the
 * 15-minute reconcile) wait in Redis until the issue that builds the processor adds it here.
 */
export const processors: ProcessorTable = {
  // The policy runs on the drafts a plan wrote, and auto-approved POs of auto-send suppliers go out.
  reorder: { "run-reorder": refreshOversightAfter(runReorderThenApprove) },
  purchasing: { "dispatch-po": dispatchPoJob, "follow-up": followUpJob, "purchasing-sweep": createPurchasingSweep() },
  webhooks: { "process-webhook": processWebhookEvent },
  "channel-sync": { "pull-orders": pullOrdersJob, "pull-stock": pullStockJob, "push-stock": (data, deps) => pushStockJob(data, deps), reconcile: reconcileJob, "refresh-order": refreshOrderJob },
  notifications: { "deliver-notification": deliverNotification, "deliver-batch": deliverNotificationBatch, "sweep-outbox": sweepOutbox },
  "back-in-stock": { "notify-restock": notifyRestockJob, "close-discontinued": closeDiscontinuedJob },
  reports: { "trust-report": trustReportJob, "forecast-accuracy": forecastAccuracyJob, "daily-snapshot": dailySnapshotJob, "weekly-digest": weeklyDigestJob, "scan-anomalies": scanAnomaliesJob },
};

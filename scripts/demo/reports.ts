// Demo (issue 7): the trust report and forecast accuracy are what a newcomer wants to see before trusting
// the engine, so the first start queues both right after the first reorder run instead of waiting for a
// click on the Reports pages. They run on the real `reports` worker; each request is a no-op while one of
// its kind is already queued or running, and a shop that already has a report keeps it (no rerun on restart).
import { latestReportRun } from "../../app/models/report-run.server.ts";
import type { QueueRegistry } from "../../app/lib/queue.server.ts";
import { FORECAST_ACCURACY_KIND, requestForecastAccuracy } from "../../app/services/forecast-accuracy.server.ts";
import { requestTrustReport, TRUST_REPORT_KIND } from "../../app/services/trust-report.server.ts";

export async function queueDemoReports(shopId: string, queues: Pick<QueueRegistry, "enqueue">): Promise<string[]> {
  const queued: string[] = [];
  if (!(await latestReportRun(shopId, FORECAST_ACCURACY_KIND))) {
    await requestForecastAccuracy(shopId, { queues });
    queued.push("forecast accuracy");
  }
  if (!(await latestReportRun(shopId, TRUST_REPORT_KIND))) {
    await requestTrustReport(shopId, { queues });
    queued.push("trust report");
  }
  return queued;
}

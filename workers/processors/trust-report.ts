import { runTrustReport } from "#app/services/trust-report.server.ts";
import type { JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/** `reports/trust-report`: the engine back-tested on the shop's own history; progress goes to the job and the ReportRun row. */
export async function trustReportJob(data: JobData<"reports", "trust-report">, deps: ProcessorDeps): Promise<{ reportRunId: string; inStock: number }> {
  const result = await runTrustReport(data.shopId, data.reportRunId, { now: deps.now, ...(deps.reportProgress ? { reportProgress: deps.reportProgress } : {}) });
  deps.logger.info({ shopId: data.shopId, reportRunId: data.reportRunId, skus: result.skuCount }, "trust report done");
  return { reportRunId: data.reportRunId, inStock: result.simulated.inStock };
}

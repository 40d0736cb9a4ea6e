import { runForecastAccuracy } from "#app/services/forecast-accuracy.server.ts";
import { runTrustReport } from "#app/services/trust-report.server.ts";
import type { JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/** `reports/trust-report`: the engine back-tested on the shop's own history; progress goes to the job and the ReportRun row. */
export async function trustReportJob(data: JobData<"reports", "trust-report">, deps: ProcessorDeps): Promise<{ reportRunId: string; inStock: number }> {
  const result = await runTrustReport(data.shopId, data.reportRunId, { now: deps.now, ...(deps.reportProgress ? { reportProgress: deps.reportProgress } : {}) });
  deps.logger.info({ shopId: data.shopId, reportRunId: data.reportRunId, skus: result.skuCount }, "trust report done");
  return { reportRunId: data.reportRunId, inStock: result.simulated.inStock };
}

/** `reports/forecast-accuracy`: weekly MAE/MASE/bias of past forecasts; result in the ReportRun row. */
export async function forecastAccuracyJob(data: JobData<"reports", "forecast-accuracy">, deps: ProcessorDeps): Promise<{ reportRunId: string; weeks: number }> {
  const report = await runForecastAccuracy(data.shopId, data.reportRunId, { now: deps.now, ...(deps.reportProgress ? { reportProgress: deps.reportProgress } : {}) });
  return { reportRunId: data.reportRunId, weeks: report.accuracy.overall.weeks };
}

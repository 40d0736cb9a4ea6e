import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Prisma } from "@prisma/client";
import { actualOutcome, buildShopHistorySimulation, supplierSpecFromLeadTimes, type ActualOutcome } from "#app/domain/reports/shop-history.ts";
import { addDays } from "#app/domain/shared/day.ts";
import type { SimulationMetrics } from "#app/domain/simulation/simulate.ts";
import { AppError } from "#app/lib/app-error.ts";
import { enqueue as enqueueFromWeb, type QueueRegistry } from "#app/lib/queue.server.ts";
import { prisma } from "#app/db.server.ts";
import {
  completeReportRun,
  createReportRun,
  failReportRun,
  findReportRun,
  latestReportRun,
  markReportRunStarted,
  setReportRunProgress,
  type ReportRunRow,
} from "#app/models/report-run.server.ts";
import { DEFAULT_TRUST_HISTORY_DAYS, DEFAULT_TRUST_WARMUP_DAYS, exportShopHistory } from "#app/models/shop-history.server.ts";
import { jobId } from "#workers/queues.ts";

/**
 * The trust report (issue 7 item 6): the engine back-tested on the shop's own history. The job exports
 * the history and runs `npm run simulate -- --history <file> --json --progress` in a child process — the
 * very command a reviewer runs — so the figures are the simulator's by construction, the CPU-heavy replay
 * never blocks the worker's event loop (BullMQ lock renewal, progress writes), and a crash cannot take the
 * worker down.
 */

export const TRUST_REPORT_KIND = "TRUST";
const SIMULATE_SCRIPT = fileURLToPath(new URL("../../scripts/simulate.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface TrustReportParameters {
  asOf: string;
  historyDays: number;
  warmupDays: number;
  seed: number;
}

export interface TrustReportResult {
  asOf: string;
  firstDay: string;
  simulatedFrom: string;
  simulatedDays: number;
  currency: string;
  skuCount: number;
  /** SKUs of the shop left out (no sale during the warm-up). */
  excludedSkuCount: number;
  suppliers: { name: string; quotedDays: number; observed: number; lowDays: number; highDays: number; lateProbability: number }[];
  /** What the engine's default policy would have done (the simulator's metrics). */
  simulated: SimulationMetrics;
  /** What really happened in the same days. */
  actual: ActualOutcome;
}

type Enqueuer = Pick<QueueRegistry, "enqueue">;

/** The shop's current local day. */
export function shopLocalToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Starts a run unless one is already queued or running (a second click shows the same progress bar). */
export async function requestTrustReport(shopId: string, options: { queues?: Enqueuer; now?: Date; historyDays?: number; warmupDays?: number } = {}): Promise<ReportRunRow> {
  const latest = await latestReportRun(shopId, TRUST_REPORT_KIND);
  if (latest && (latest.status === "QUEUED" || latest.status === "RUNNING")) return latest;
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) throw new AppError("not_found", "Shop not found");
  const parameters: TrustReportParameters = {
    asOf: shopLocalToday(options.now ?? new Date(), shop.timezone),
    historyDays: options.historyDays ?? DEFAULT_TRUST_HISTORY_DAYS,
    warmupDays: options.warmupDays ?? DEFAULT_TRUST_WARMUP_DAYS,
    seed: 1,
  };
  const run = await createReportRun(shopId, TRUST_REPORT_KIND, parameters as unknown as Prisma.InputJsonValue);
  const add = options.queues?.enqueue.bind(options.queues) ?? enqueueFromWeb;
  try {
    await add("reports", "trust-report", { shopId, reportRunId: run.id }, { jobId: jobId("trust-report", shopId, run.id) });
  } catch (error) {
    await failReportRun(shopId, run.id, "Could not queue the job", options.now ?? new Date());
    throw error;
  }
  return run;
}

export interface TrustReportDeps {
  now: () => Date;
  reportProgress?: (percent: number) => Promise<void>;
}

/** The job's work: export, simulate in a child process (progress → job + row), store the figures. */
export async function runTrustReport(shopId: string, runId: string, deps: TrustReportDeps): Promise<TrustReportResult> {
  const run = await findReportRun(shopId, runId);
  if (!run) throw new AppError("not_found", `report run ${runId} not found`);
  if (run.status === "COMPLETED") return run.result as unknown as TrustReportResult;
  const p = run.parameters as unknown as TrustReportParameters;
  await markReportRunStarted(shopId, runId, deps.now());
  await deps.reportProgress?.(0);
  const dir = await mkdtemp(join(tmpdir(), "replenish-trust-"));
  try {
    const history = await exportShopHistory(shopId, p.asOf, { historyDays: p.historyDays, warmupDays: p.warmupDays, seed: p.seed });
    if (history.skus.length === 0) throw new AppError("invalid", "No SKU with a supplier sold in the history window: nothing to back-test");
    if (history.days <= history.scenario.warmupDays + 1) throw new AppError("invalid", "The history window is shorter than the warm-up");
    const sim = buildShopHistorySimulation(history);
    if (sim.skus.length === 0) throw new AppError("invalid", "No SKU sold during the warm-up: nothing to back-test");
    const file = join(dir, "shop-history.json");
    await writeFile(file, JSON.stringify(history));
    // Progress writes are chained so they land in order and the last one is awaited before completing.
    let chain = Promise.resolve();
    let last = 0;
    const metrics = await runSimulateCli(file, (percent) => {
      const shown = Math.min(99, percent); // 100 only once the figures are stored
      if (shown <= last) return;
      last = shown;
      chain = chain.then(() => Promise.all([setReportRunProgress(shopId, runId, shown), deps.reportProgress?.(shown)]).then(() => undefined));
    });
    await chain;
    const simulated = metrics.find((m) => m.policy === "default") ?? metrics[0];
    if (!simulated) throw new Error("the simulator printed no result");
    const result: TrustReportResult = {
      asOf: history.asOf,
      firstDay: history.firstDay,
      simulatedFrom: addDays(history.firstDay, history.scenario.warmupDays),
      simulatedDays: history.days - history.scenario.warmupDays,
      currency: history.currency,
      skuCount: sim.skus.length,
      excludedSkuCount: sim.excluded,
      suppliers: history.suppliers.map((s) => ({ name: s.name, quotedDays: s.quotedDays, observed: s.leadTimes.length, ...supplierSpecFromLeadTimes(s.leadTimes, s.quotedDays) })),
      simulated,
      actual: actualOutcome(history, sim),
    };
    await completeReportRun(shopId, runId, result, deps.now());
    await deps.reportProgress?.(100);
    return result;
  } catch (error) {
    await failReportRun(shopId, runId, error instanceof Error ? error.message : String(error), deps.now());
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm run simulate -- --history file --json --progress`, parsed. */
export function runSimulateCli(historyFile: string, onProgress: (percent: number) => void): Promise<SimulationMetrics[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SIMULATE_SCRIPT, "--history", historyFile, "--json", "--progress"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /^progress (\d+)$/.exec(line);
        if (m) onProgress(Number(m[1]));
        else stderr += `${line}\n`;
      }
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`simulate exited with ${code}: ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout) as SimulationMetrics[]);
      } catch (error) {
        reject(new Error(`simulate printed no JSON: ${(error as Error).message}`));
      }
    });
  });
}

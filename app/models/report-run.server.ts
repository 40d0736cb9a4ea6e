import type { Prisma } from "@prisma/client";
import { forShop } from "#app/models/scoped-db.server.ts";

/**
 * Background report runs (the trust report): created QUEUED by the page, advanced by the job. The result
 * is stored as one JSON text inside the jsonb column: jsonb keeps numbers as `numeric`, and the round trip
 * through it does not give back every double bit for bit — the trust report must equal the simulator's
 * figures exactly.
 */

export type ReportRunStatus = "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED";

export interface ReportRunRow {
  id: string;
  kind: string;
  status: ReportRunStatus;
  progress: number;
  parameters: Prisma.JsonValue;
  result: Prisma.JsonValue;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function withParsedResult<T extends { result: Prisma.JsonValue } | null>(row: T): T {
  if (row && typeof row.result === "string") return { ...row, result: JSON.parse(row.result) as Prisma.JsonValue };
  return row;
}

export async function createReportRun(shopId: string, kind: string, parameters: Prisma.InputJsonValue): Promise<ReportRunRow> {
  return (await forShop(shopId).reportRun.create({ data: { shopId, kind, parameters } })) as ReportRunRow;
}

export async function findReportRun(shopId: string, id: string): Promise<ReportRunRow | null> {
  return withParsedResult((await forShop(shopId).reportRun.findFirst({ where: { id } })) as ReportRunRow | null);
}

export async function latestReportRun(shopId: string, kind: string): Promise<ReportRunRow | null> {
  return withParsedResult((await forShop(shopId).reportRun.findFirst({ where: { kind }, orderBy: { createdAt: "desc" } })) as ReportRunRow | null);
}

/** The newest completed run, shown while a newer one is still running. */
export async function latestCompletedReportRun(shopId: string, kind: string): Promise<ReportRunRow | null> {
  return withParsedResult((await forShop(shopId).reportRun.findFirst({ where: { kind, status: "COMPLETED" }, orderBy: { createdAt: "desc" } })) as ReportRunRow | null);
}

export async function markReportRunStarted(shopId: string, id: string, at: Date): Promise<void> {
  await forShop(shopId).reportRun.update({ where: { id }, data: { status: "RUNNING", startedAt: at, progress: 0, error: null } });
}

export async function setReportRunProgress(shopId: string, id: string, progress: number): Promise<void> {
  await forShop(shopId).reportRun.update({ where: { id }, data: { progress } });
}

export async function completeReportRun(shopId: string, id: string, result: unknown, at: Date): Promise<void> {
  await forShop(shopId).reportRun.update({ where: { id }, data: { status: "COMPLETED", progress: 100, result: JSON.stringify(result), finishedAt: at } });
}

export async function failReportRun(shopId: string, id: string, error: string, at: Date): Promise<void> {
  await forShop(shopId).reportRun.update({ where: { id }, data: { status: "FAILED", error: error.slice(0, 2000), finishedAt: at } });
}

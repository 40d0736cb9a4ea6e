import { z } from "zod";
import { formatCsv } from "#app/lib/csv.ts";
import { backInStockReport, getBackInStockSettingsForm, recordConversions, saveBackInStockSettings, type BackInStockSettingsForm } from "#app/models/back-in-stock-report.server.ts";

/** The admin Back-in-stock page: conversions are brought up to date, then demand per variant is read. */
export async function backInStockOverview(shopId: string) {
  await recordConversions(shopId);
  const [report, settings] = await Promise.all([backInStockReport(shopId), getBackInStockSettingsForm(shopId)]);
  return { ...report, settings };
}

export async function backInStockCsv(shopId: string, today: Date): Promise<{ filename: string; csv: string }> {
  await recordConversions(shopId);
  const { rows } = await backInStockReport(shopId);
  const csv = formatCsv(
    ["sku", "product", "status", "waiting", "pending_confirmation", "notified", "sent", "failed", "converted", "recovered_revenue", "oldest_waiting_since"],
    rows.map((r) => [r.code, r.product, r.status, r.waiting, r.pendingConfirmation, r.notified, r.sent, r.failed, r.converted, r.recoveredRevenue, r.oldestWaitingAt?.slice(0, 10) ?? ""]),
  );
  return { filename: `back-in-stock-${today.toISOString().slice(0, 10)}.csv`, csv };
}

// "Name <address>" or a bare address: what a From header may hold.
const SENDER = /^(?:[^<>@\r\n]{1,100} <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

export const settingsSchema = z.object({
  smsEnabled: z.enum(["true", "false"]).transform((v) => v === "true"),
  doubleOptIn: z.enum(["true", "false"]).transform((v) => v === "true"),
  sender: z
    .string()
    .trim()
    .max(200, "Keep the sender under 200 characters")
    .refine((v) => v === "" || SENDER.test(v), "Use an email address, or a name and address like: Harbor & Pine <hello@harborpine.com>")
    .transform((v) => (v === "" ? null : v)),
  notifyRatio: z
    .string()
    .trim()
    .refine((v) => v === "" || (/^\d+(\.\d{1,2})?$/.test(v) && Number(v) >= 0.5 && Number(v) <= 100), "Enter a number from 0.5 to 100, or leave empty to notify everyone")
    .transform((v) => (v === "" ? null : Number(v))),
});

export type SettingsErrors = Partial<Record<keyof BackInStockSettingsForm, string>>;

export async function updateBackInStockSettings(shopId: string, form: Record<string, unknown>): Promise<{ ok: true } | { ok: false; errors: SettingsErrors }> {
  const parsed = settingsSchema.safeParse(form);
  if (!parsed.success) {
    const errors: SettingsErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0]) as keyof BackInStockSettingsForm] ??= issue.message;
    return { ok: false, errors };
  }
  await saveBackInStockSettings(shopId, parsed.data);
  return { ok: true };
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { formatCents } from "#app/domain/shared/money.ts";
import { isAppError } from "#app/lib/app-error.ts";
import { confirmReceipt, unreceiveReceipt } from "./receiving.server.ts";

// The receiving screen's two form posts (confirm a count, un-receive a past receipt), for the PO and the
// transfer routes alike: parse → one service call → a message. Refusals come back as 422 with the
// service's explanation; the counts stay on the page because they live in the browser until booked.

const lineSchema = z.object({
  lineId: z.string().min(1),
  received: z.number({ error: "Quantities must be whole numbers" }),
  damaged: z.number({ error: "Quantities must be whole numbers" }).optional(),
  wrongItem: z.number({ error: "Quantities must be whole numbers" }).optional(),
});

const formSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("confirm"),
    receiptKey: z.string().min(1),
    lines: z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "The counts could not be read; reload the page" });
        return z.NEVER;
      }
    }).pipe(z.array(lineSchema)),
    receivedBy: z.string().max(120).optional(),
  }),
  z.object({ intent: z.literal("unreceive"), receiptId: z.string().min(1), by: z.string().max(120).optional() }),
]);

export type ReceivingActionResult =
  | { ok: true; notice: string; receiptId: string; error?: undefined }
  | { ok: false; error: string; notice?: undefined; receiptId?: undefined };

export function newReceiptKey(): string {
  return `rcv-${randomUUID()}`;
}

export async function runReceivingAction(shopId: string, document: { purchaseOrderId: string } | { transferId: string }, form: FormData): Promise<ReceivingActionResult> {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => i.message).join("; ") };
  try {
    if (parsed.data.intent === "confirm") {
      const result = await confirmReceipt(shopId, { ...document, receiptKey: parsed.data.receiptKey, lines: parsed.data.lines, receivedBy: parsed.data.receivedBy ?? null });
      const units = parsed.data.lines.reduce((sum, l) => sum + (Number.isFinite(l.received) ? l.received : 0), 0);
      const notice = result.replayed
        ? "This receipt was already booked; nothing was added twice"
        : `Receipt booked: ${units} unit${units === 1 ? "" : "s"} into stock (${formatCents(result.value)}), ${result.documentNumber} is now ${result.status.toLowerCase().replace(/_/g, " ")}${result.discrepancies.length ? `; ${result.discrepancies.length} discrepanc${result.discrepancies.length === 1 ? "y" : "ies"} flagged for review` : ""}`;
      return { ok: true, notice, receiptId: result.receiptId };
    }
    const result = await unreceiveReceipt(shopId, parsed.data.receiptId, { by: parsed.data.by ?? null });
    return { ok: true, notice: result.replayed ? "That receipt was already un-received" : "Receipt un-received: its stock, journal entries and payable were reversed", receiptId: result.receiptId };
  } catch (error) {
    if (isAppError(error) && (error.kind === "invalid" || error.kind === "conflict" || error.kind === "not_found")) return { ok: false, error: error.message };
    throw error;
  }
}

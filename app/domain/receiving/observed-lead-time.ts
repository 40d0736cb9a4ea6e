/**
 * The lead time a PO actually took: from placing it (sent to the supplier) to receiving it in full.
 * This is what the engine's lead-time distribution learns from (it reads PurchaseOrder.sentAt and
 * receivedAt); the receiving service reports it so the screen and the tests can show the figure.
 */
const DAY_MS = 86_400_000;

/** Days between placed and received, to one decimal; null while either end is unknown or reversed in time. */
export function observedLeadTimeDays(placedAt: Date | null, receivedAt: Date | null): number | null {
  if (!placedAt || !receivedAt) return null;
  const ms = receivedAt.getTime() - placedAt.getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.round((ms / DAY_MS) * 10) / 10;
}

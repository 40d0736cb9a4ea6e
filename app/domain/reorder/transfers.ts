/**
 * Moves stock between locations before buying: a location short of its reorder point takes units from a
 * location holding more than its own target, when a transfer arrives sooner than a supplier's PO.
 */
export interface LocationNeed {
  locationId: string;
  onHand: number;
  position: number;
  reorderPoint: number;
  target: number;
}

export interface TransferProposal {
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
}

export function proposeTransfers(
  locations: readonly LocationNeed[],
  options: { transferLeadTimeDays: number; supplierLeadTimeDays: number },
): TransferProposal[] {
  if (options.transferLeadTimeDays >= options.supplierLeadTimeDays || locations.length < 2) return [];
  const donors = locations
    .map((l) => ({ id: l.locationId, excess: Math.floor(Math.min(l.onHand, l.position - l.target)) }))
    .filter((d) => d.excess > 0)
    .sort((a, b) => b.excess - a.excess || (a.id < b.id ? -1 : 1));
  const needs = locations
    .filter((l) => l.position < l.reorderPoint)
    .map((l) => ({ id: l.locationId, need: Math.ceil(l.target - l.position) }))
    .sort((a, b) => b.need - a.need || (a.id < b.id ? -1 : 1));
  const out: TransferProposal[] = [];
  for (const n of needs) {
    for (const d of donors) {
      if (n.need <= 0) break;
      if (d.excess <= 0 || d.id === n.id) continue;
      const q = Math.min(n.need, d.excess);
      out.push({ fromLocationId: d.id, toLocationId: n.id, quantity: q });
      d.excess -= q;
      n.need -= q;
    }
  }
  return out;
}

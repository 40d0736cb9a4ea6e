/**
 * The supplier negotiation on top of the PO state machine (issue 5, item 4). Pure: the services load
 * the PO, its lines and its OFFER events, ask these functions, and persist the answer.
 *
 * An offer is a full proposal of the terms of every line it names (quantity, unit price, date) plus
 * notes. Offers alternate: the supplier counters, the merchant accepts or counters back, the supplier
 * accepts or counters again, any number of rounds. Whose turn it is follows from the latest offer:
 * nobody accepts their own offer (the state machine cannot tell, it only knows COUNTERED).
 */
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "../shared/day.ts";
import { lineTotalCents, sumCents, toPriceUnits, type Cents, type PriceUnits } from "../shared/money.ts";
import { err, ok, type Result } from "../shared/result.ts";

// Re-exported: the portal and its tests know them from here; the table itself is shared with the engine.
export { DEFAULT_TRANSIT_DAYS, isShipMethod, SHIP_METHODS, transitDaysTable, type ShipMethod } from "../shared/ship-methods.ts";
import type { ShipMethod } from "../shared/ship-methods.ts";

/** ETA = ship date + the method's transit days. */
export function estimatedArrival(shipDate: IsoDay, method: ShipMethod, table: Record<ShipMethod, number>): IsoDay {
  return addDays(shipDate, table[method]);
}

export type OfferParty = "SUPPLIER" | "MERCHANT";

export interface OfferLineTerms {
  lineId: string;
  quantity: number;
  /** Decimal text with up to 4 places, as stored in PurchaseOrderLine.unitCost. */
  unitCost: string;
  /** YYYY-MM-DD or null (no date promised). */
  expectedDate: IsoDay | null;
}

/** What an OFFER event's `data` holds. */
export interface OfferData {
  kind: "offer";
  round: number;
  lines: OfferLineTerms[];
  notes: string | null;
}

export interface CurrentLine {
  id: string;
  quantityOrdered: number;
  unitCost: string;
  expectedDate: IsoDay | null;
}

/** The form as typed: per line id the three fields as text (blank = keep the current value). */
export interface OfferInput {
  lines: Record<string, { quantity?: string; unitCost?: string; expectedDate?: string }>;
  notes?: string;
}

export type OfferFieldErrors = Record<string, string>;

export const MAX_NOTES_LENGTH = 4000;
const MAX_QUANTITY = 1_000_000;
const MAX_UNIT_COST = 1_000_000;
/** A promised date further ahead than this is a typo (a year 9999 is no date to plan on). */
export const MAX_PROMISE_DAYS_AHEAD = 730;

/** The field key of one line's input, shared by the form and the error map. */
export function offerFieldKey(lineId: string, field: "quantity" | "unitCost" | "expectedDate"): string {
  return `line.${lineId}.${field}`;
}

/**
 * Turns the typed counter-offer into terms for every line, or field errors (nothing is kept half).
 * A line left blank keeps its current terms; an offer that changes nothing at all is refused (the party
 * should accept instead). Quantity 0 drops the line from the order (the supplier cannot supply it).
 */
export function parseOffer(
  current: readonly CurrentLine[],
  input: OfferInput,
  today: IsoDay
): Result<{ lines: OfferLineTerms[]; notes: string | null }, OfferFieldErrors> {
  const errors: OfferFieldErrors = {};
  const lines: OfferLineTerms[] = [];
  let changed = false;
  for (const line of current) {
    const typed = input.lines[line.id] ?? {};
    const quantityText = (typed.quantity ?? "").trim();
    const costText = (typed.unitCost ?? "").trim().replace(/^\$/, "");
    const dateText = (typed.expectedDate ?? "").trim();
    let quantity = line.quantityOrdered;
    if (quantityText !== "") {
      if (!/^\d+$/.test(quantityText) || Number(quantityText) > MAX_QUANTITY) {
        errors[offerFieldKey(line.id, "quantity")] = `Enter a whole number of units from 0 to ${MAX_QUANTITY.toLocaleString("en-US")}`;
      } else quantity = Number(quantityText);
    }
    let unitCost = line.unitCost;
    if (costText !== "") {
      if (!/^\d+(\.\d{1,4})?$/.test(costText) || Number(costText) > MAX_UNIT_COST) {
        errors[offerFieldKey(line.id, "unitCost")] = "Enter a price such as 4.25 (up to 4 decimals)";
      } else unitCost = normaliseDecimal(costText);
    }
    let expectedDate = line.expectedDate;
    if (dateText !== "") {
      if (!isIsoDay(dateText)) errors[offerFieldKey(line.id, "expectedDate")] = "Enter a date as YYYY-MM-DD";
      else if (toDayNumber(dateText) < toDayNumber(today)) errors[offerFieldKey(line.id, "expectedDate")] = "The date cannot be in the past";
      else if (toDayNumber(dateText) - toDayNumber(today) > MAX_PROMISE_DAYS_AHEAD) {
        errors[offerFieldKey(line.id, "expectedDate")] = `The date can be at most 2 years (${MAX_PROMISE_DAYS_AHEAD} days) from today`;
      }
      else expectedDate = dateText;
    }
    if (quantity !== line.quantityOrdered || toPriceUnits(unitCost) !== toPriceUnits(line.unitCost) || expectedDate !== line.expectedDate) changed = true;
    lines.push({ lineId: line.id, quantity, unitCost, expectedDate });
  }
  const notes = (input.notes ?? "").trim();
  if (notes.length > MAX_NOTES_LENGTH) errors.notes = `Notes can be at most ${MAX_NOTES_LENGTH} characters`;
  if (Object.keys(errors).length === 0 && !changed) errors.form = "This offer changes nothing. Change a quantity, price or date, or accept the order as it is.";
  if (Object.keys(errors).length === 0 && lines.every((l) => l.quantity === 0))
    errors.form = "An offer needs at least one line with a quantity; to decline the whole order, say so in a comment.";
  if (Object.keys(errors).length > 0) return err(errors);
  return ok({ lines, notes: notes === "" ? null : notes });
}

/** The latest offer decides whose move it is; null when no offer is open. */
export function whoseTurn(status: string, latestOffer: { party: OfferParty } | null): OfferParty | null {
  if (status !== "COUNTERED" || latestOffer === null) return null;
  return latestOffer.party === "SUPPLIER" ? "MERCHANT" : "SUPPLIER";
}

/** Reads an OFFER event's data back; null when it is not one (an older or foreign shape). */
export function readOfferData(data: unknown): OfferData | null {
  if (!data || typeof data !== "object") return null;
  const d = data as Partial<OfferData>;
  if (d.kind !== "offer" || !Array.isArray(d.lines) || typeof d.round !== "number") return null;
  for (const l of d.lines) {
    if (!l || typeof l.lineId !== "string" || typeof l.quantity !== "number" || typeof l.unitCost !== "string") return null;
  }
  return { kind: "offer", round: d.round, lines: d.lines, notes: typeof d.notes === "string" ? d.notes : null };
}

/** Subtotal of the lines under the given terms, in cents. */
export function offerSubtotal(lines: readonly { quantity: number; unitCost: string }[]): Cents {
  return sumCents(lines.map((l) => lineTotalCents(l.quantity, toPriceUnits(l.unitCost) as PriceUnits)));
}

export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    return fromDayNumber(toDayNumber(text)) === text;
  } catch {
    return false;
  }
}

function normaliseDecimal(text: string): string {
  const [whole = "0", fraction = ""] = text.split(".");
  const trimmedWhole = whole.replace(/^0+(?=\d)/, "");
  return fraction === "" ? trimmedWhole : `${trimmedWhole}.${fraction}`;
}

/** The longest "Your name" the portal records against a supplier's action (the page stops typing there too). */
export const MAX_SUPPLIER_NAME_LENGTH = 120;

/** Portal uploads: the limits the page states and the service enforces (it also checks each file's content). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ALLOWED_ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "xlsx", "csv", "txt"] as const;

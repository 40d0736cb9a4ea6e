import { formatCents, formatPrice, PRICE_SCALE, toPriceUnits } from "../domain/shared/money.ts";

/**
 * Money on admin pages has two decimals. A unit cost agreed with sub-cent precision (£0.415) is shown
 * rounded like the rest, with the exact figure as small print: the line total and the supplier's
 * PDF/CSV use the exact price, so that is the one place the extra digits matter.
 */
export function unitCostDisplay(unitCost: string | number, currency: string): { shown: string; exact: string | null } {
  const exact = toPriceUnits(unitCost);
  const unitsPerCent = PRICE_SCALE / 100;
  const cents = Math.round(exact / unitsPerCent);
  return { shown: formatCents(cents, currency), exact: cents * unitsPerCent === exact ? null : formatPrice(exact, currency) };
}

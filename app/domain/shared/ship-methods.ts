/**
 * Ship methods and their door-to-door transit days after the ship date. One table for the whole app:
 * the supplier portal's ETA (ship date + transit) and the engine's lead time (placed → shipped + transit,
 * for suppliers that quote ship dates) must add the same days, and a shop's own values
 * (ShopSettings.shipMethodTransitDays) replace the defaults in both.
 */
export const SHIP_METHODS = ["ocean", "air", "ground", "express"] as const;
export type ShipMethod = (typeof SHIP_METHODS)[number];

export const DEFAULT_TRANSIT_DAYS: Readonly<Record<ShipMethod, number>> = Object.freeze({ ocean: 35, air: 7, ground: 5, express: 3 });

export function isShipMethod(value: string): value is ShipMethod {
  return (SHIP_METHODS as readonly string[]).includes(value);
}

/** The defaults with the shop's overrides; unreadable overrides are ignored (the default is never unsafe). */
export function transitDaysTable(overrides: unknown): Record<ShipMethod, number> {
  const table = { ...DEFAULT_TRANSIT_DAYS };
  if (overrides && typeof overrides === "object" && !Array.isArray(overrides)) {
    for (const [method, days] of Object.entries(overrides)) {
      if (isShipMethod(method) && typeof days === "number" && Number.isInteger(days) && days >= 0 && days <= 365) table[method] = days;
    }
  }
  return table;
}

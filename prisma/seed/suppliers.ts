/**
 * The demo's suppliers: fixed, fictional profiles (names, contacts, terms, how POs reach them) plus lead
 * times drawn with a seeded PRNG exactly as issue 3's default simulator scenario does: a low of 5–21
 * days and a high of low + 3–17 days, with some suppliers occasionally 60 % late. Products are assigned
 * round-robin by revenue rank, so every supplier gets a mix of fast and slow sellers.
 */
import { createRng } from "#app/domain/shared/random.ts";

export interface SupplierProfile {
  name: string;
  /** Short code used in supplier part numbers (e.g. HLG-85123A). */
  code: string;
  contactName: string;
  country: string;
  paymentTermsDays: number;
  /** Share paid up front (0.5 = 50 % deposit). */
  depositPct: number;
  poDelivery: "EMAIL" | "PORTAL";
  documentFormat: "PDF" | "CSV";
  defaultShipMethod: "ground" | "ocean" | "air";
}

// Fictional companies; phone numbers are from Ofcom's drama range (01632 960000–960999), never real.
export const SUPPLIER_PROFILES: readonly SupplierProfile[] = [
  { name: "Harbour Lane Giftware Ltd", code: "HLG", contactName: "Amelia Hart", country: "GB", paymentTermsDays: 30, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Retrospot Textiles Co.", code: "RTX", contactName: "Daniel Okafor", country: "GB", paymentTermsDays: 30, depositPct: 0, poDelivery: "PORTAL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Kingfisher Candle & Light", code: "KCL", contactName: "Sophie Bennett", country: "GB", paymentTermsDays: 45, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Ningbo Bright Star Crafts", code: "NBS", contactName: "Li Wei", country: "CN", paymentTermsDays: 30, depositPct: 0.5, poDelivery: "PORTAL", documentFormat: "PDF", defaultShipMethod: "ocean" },
  { name: "Bramble Home Ceramics", code: "BHC", contactName: "Oliver Reed", country: "GB", paymentTermsDays: 30, depositPct: 0, poDelivery: "EMAIL", documentFormat: "CSV", defaultShipMethod: "ground" },
  { name: "Northgate Paper Goods", code: "NPG", contactName: "Hannah Shaw", country: "GB", paymentTermsDays: 60, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Willow & Wicker Imports", code: "WWI", contactName: "Priya Nair", country: "GB", paymentTermsDays: 30, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Shenzhen Lantern Works", code: "SLW", contactName: "Chen Jing", country: "CN", paymentTermsDays: 14, depositPct: 0.3, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ocean" },
  { name: "Lisboa Tin & Enamel Lda", code: "LTE", contactName: "Marta Sousa", country: "PT", paymentTermsDays: 45, depositPct: 0, poDelivery: "EMAIL", documentFormat: "CSV", defaultShipMethod: "ground" },
  { name: "Hanseatic Toys GmbH", code: "HTG", contactName: "Jonas Weber", country: "DE", paymentTermsDays: 30, depositPct: 0, poDelivery: "PORTAL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Cotswold Kitchenware", code: "CKW", contactName: "George Palmer", country: "GB", paymentTermsDays: 30, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Delft Blue Decor BV", code: "DBD", contactName: "Eva de Vries", country: "NL", paymentTermsDays: 30, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
  { name: "Jaipur Block Print Exports", code: "JBP", contactName: "Arjun Mehta", country: "IN", paymentTermsDays: 30, depositPct: 0.5, poDelivery: "PORTAL", documentFormat: "PDF", defaultShipMethod: "air" },
  { name: "Yorkshire Vintage Signs", code: "YVS", contactName: "Grace Whitaker", country: "GB", paymentTermsDays: 14, depositPct: 0, poDelivery: "EMAIL", documentFormat: "PDF", defaultShipMethod: "ground" },
];

export interface DemoSupplier extends SupplierProfile {
  index: number;
  orderEmail: string;
  phone: string;
  /** Lead-time range a PO's placed → received days are drawn from. */
  leadTimeLow: number;
  leadTimeHigh: number;
  /** Quoted lead time (Supplier.leadTimeDays): the middle of the range. */
  leadTimeDays: number;
  /** Chance that one PO arrives 60 % later than drawn. */
  lateChance: number;
  /** Days between this supplier's regular POs, per location (14–35: at least 8 received POs a year). */
  orderCycleDays: number;
  /** Share of received units found defective, for the engine's supplier score. */
  defectRate: number;
  moqFlexibility: number;
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function buildSuppliers(count: number, seed: number): DemoSupplier[] {
  if (count < 1 || count > SUPPLIER_PROFILES.length) throw new RangeError(`supplier count must be 1–${SUPPLIER_PROFILES.length}, got ${count}`);
  const rng = createRng(seed ^ 0x5eed5);
  return SUPPLIER_PROFILES.slice(0, count).map((profile, index) => {
    const leadTimeLow = rng.int(5, 21);
    const leadTimeHigh = leadTimeLow + rng.int(3, 17);
    const lateChance = rng.next() < 0.3 ? 0.15 : 0;
    return {
      ...profile,
      index,
      orderEmail: `${slug(profile.name)}@example.com`,
      phone: `+44 1632 960${String(100 + index * 37).padStart(3, "0")}`,
      leadTimeLow,
      leadTimeHigh,
      leadTimeDays: Math.round((leadTimeLow + leadTimeHigh) / 2),
      lateChance,
      orderCycleDays: rng.int(14, 35),
      defectRate: Math.round(rng.next() * 300) / 10_000, // 0–3 %
      moqFlexibility: Math.round((0.2 + rng.next() * 0.6) * 100) / 100,
    };
  });
}

/** Round-robin by revenue rank. */
export function supplierIndexForRank(rank: number, supplierCount: number): number {
  return rank % supplierCount;
}

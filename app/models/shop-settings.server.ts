import { Prisma, type ApprovalMode, type ForecastMethod } from "@prisma/client";
import { transitDaysTable, type ShipMethod } from "../domain/purchasing/negotiation.ts";
import { toCents, type Cents } from "../domain/shared/money.ts";
import { forShop } from "./scoped-db.server.ts";

/** The settings the admin's Settings page edits (the rest of ShopSettings belongs to later features). */
export type EditableShopSettings = {
  approvalMode: ApprovalMode;
  approvalThreshold: Cents;
  /** Fractions (0.97 = 97 %) of cycles without a stockout, per ABC class. */
  serviceLevelA: number;
  serviceLevelB: number;
  serviceLevelC: number;
  reviewCadenceDays: number;
  leadTimePercentile: number;
  /** 0 = Sunday … 6 = Saturday. */
  digestWeekday: number;
  /** Left unchanged when not given. */
  digestFrequency?: "WEEKLY" | "DAILY" | "OFF";
  digestRecipients?: string[];
  /**
   * Under AUTONOMOUS: only POs whose lines are all of these ABC classes, or from these suppliers, skip
   * review (both empty = autonomy for every PO). Left unchanged when not given.
   */
  autonomousScope?: AutonomousScopeSetting;
  /** Transit days per ship method (the portal's ETA); all four are stored together. Left unchanged when not given. */
  shipMethodTransitDays?: Record<ShipMethod, number>;
  /** Which velocity estimator the engine plans on (AUTO = the simulator's winner). Left unchanged when not given. */
  forecastMethod?: ForecastMethod;
  /** How a SKU's supplier is chosen among several, in whole percent adding up to 100. Left unchanged when not given. */
  supplierWeights?: SupplierWeightsSetting;
};

export type SupplierWeightsSetting = { price: number; leadTime: number; quality: number; moqFlexibility: number };

export type AutonomousScopeSetting = { abcClasses: ("A" | "B" | "C")[]; supplierIds: string[] };

export type ShopSettingsView = Omit<EditableShopSettings, "digestFrequency" | "digestRecipients" | "autonomousScope" | "shipMethodTransitDays" | "forecastMethod" | "supplierWeights"> & {
  forecastMethod: ForecastMethod;
  supplierWeights: SupplierWeightsSetting;
  digestFrequency: string;
  digestRecipients: string[];
  autonomousScope: AutonomousScopeSetting;
  /** The defaults with the shop's own values on top: exactly the table the portal's ETA uses. */
  shipMethodTransitDays: Record<ShipMethod, number>;
  /** Null when the shop has none (made before trust periods, or a demo shop); it may lie in the past. */
  trustPeriodEndsAt: Date | null;
  updatedAt: Date;
};

/** The stored Json as the form's shape; anything unreadable reads as "no scope" (the policy fails closed on it). */
function readScope(value: unknown): AutonomousScopeSetting {
  const raw = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as { abcClasses?: unknown; supplierIds?: unknown };
  const classes = Array.isArray(raw.abcClasses) ? raw.abcClasses.filter((c): c is "A" | "B" | "C" => c === "A" || c === "B" || c === "C") : [];
  const suppliers = Array.isArray(raw.supplierIds) ? raw.supplierIds.filter((id): id is string => typeof id === "string") : [];
  return { abcClasses: classes, supplierIds: suppliers };
}

const select = {
  approvalMode: true,
  approvalThreshold: true,
  serviceLevelA: true,
  serviceLevelB: true,
  serviceLevelC: true,
  reviewCadenceDays: true,
  leadTimePercentile: true,
  digestWeekday: true,
  digestFrequency: true,
  digestRecipients: true,
  autonomousScope: true,
  shipMethodTransitDays: true,
  forecastMethod: true,
  supplierWeightPrice: true,
  supplierWeightLeadTime: true,
  supplierWeightQuality: true,
  supplierWeightMoq: true,
  trustPeriodEndsAt: true,
  updatedAt: true,
} as const;

type Row = {
  approvalMode: ApprovalMode;
  approvalThreshold: { toString(): string };
  serviceLevelA: { toString(): string };
  serviceLevelB: { toString(): string };
  serviceLevelC: { toString(): string };
  reviewCadenceDays: number;
  leadTimePercentile: number;
  digestWeekday: number;
  digestFrequency: string;
  digestRecipients: string[];
  autonomousScope: unknown;
  shipMethodTransitDays: unknown;
  forecastMethod: ForecastMethod;
  supplierWeightPrice: number;
  supplierWeightLeadTime: number;
  supplierWeightQuality: number;
  supplierWeightMoq: number;
  trustPeriodEndsAt: Date | null;
  updatedAt: Date;
};

function toView(row: Row): ShopSettingsView {
  return {
    approvalMode: row.approvalMode,
    approvalThreshold: toCents(row.approvalThreshold.toString()),
    serviceLevelA: Number(row.serviceLevelA.toString()),
    serviceLevelB: Number(row.serviceLevelB.toString()),
    serviceLevelC: Number(row.serviceLevelC.toString()),
    reviewCadenceDays: row.reviewCadenceDays,
    leadTimePercentile: row.leadTimePercentile,
    digestWeekday: row.digestWeekday,
    digestFrequency: row.digestFrequency,
    digestRecipients: row.digestRecipients,
    autonomousScope: readScope(row.autonomousScope),
    shipMethodTransitDays: transitDaysTable(row.shipMethodTransitDays),
    forecastMethod: row.forecastMethod,
    supplierWeights: { price: row.supplierWeightPrice, leadTime: row.supplierWeightLeadTime, quality: row.supplierWeightQuality, moqFlexibility: row.supplierWeightMoq },
    trustPeriodEndsAt: row.trustPeriodEndsAt,
    updatedAt: row.updatedAt,
  };
}

/** The shop's settings; a shop created before settings existed gets the defaults on first read. */
export async function getShopSettings(shopId: string): Promise<ShopSettingsView> {
  const row = await forShop(shopId).shopSettings.upsert({ where: { shopId }, create: { shopId }, update: {}, select });
  return toView(row);
}

export async function updateShopSettings(shopId: string, input: EditableShopSettings): Promise<ShopSettingsView> {
  const values = {
    approvalMode: input.approvalMode,
    // Decimal columns take strings: exact, no binary-float detour.
    approvalThreshold: (input.approvalThreshold / 100).toFixed(2),
    serviceLevelA: input.serviceLevelA.toFixed(4),
    serviceLevelB: input.serviceLevelB.toFixed(4),
    serviceLevelC: input.serviceLevelC.toFixed(4),
    reviewCadenceDays: input.reviewCadenceDays,
    leadTimePercentile: input.leadTimePercentile,
    digestWeekday: input.digestWeekday,
    ...(input.digestFrequency !== undefined ? { digestFrequency: input.digestFrequency } : {}),
    ...(input.digestRecipients !== undefined ? { digestRecipients: input.digestRecipients } : {}),
    ...(input.autonomousScope !== undefined
      ? {
          autonomousScope:
            input.autonomousScope.abcClasses.length === 0 && input.autonomousScope.supplierIds.length === 0
              ? Prisma.DbNull
              : { abcClasses: input.autonomousScope.abcClasses, supplierIds: input.autonomousScope.supplierIds },
        }
      : {}),
    ...(input.forecastMethod !== undefined ? { forecastMethod: input.forecastMethod } : {}),
    ...(input.supplierWeights !== undefined
      ? {
          supplierWeightPrice: input.supplierWeights.price,
          supplierWeightLeadTime: input.supplierWeights.leadTime,
          supplierWeightQuality: input.supplierWeights.quality,
          supplierWeightMoq: input.supplierWeights.moqFlexibility,
        }
      : {}),
    // All four, not only the changed ones: what the page showed is what the portal will use.
    ...(input.shipMethodTransitDays !== undefined
      ? {
          shipMethodTransitDays: {
            ocean: input.shipMethodTransitDays.ocean,
            air: input.shipMethodTransitDays.air,
            ground: input.shipMethodTransitDays.ground,
            express: input.shipMethodTransitDays.express,
          },
        }
      : {}),
  };
  const row = await forShop(shopId).shopSettings.upsert({ where: { shopId }, create: { shopId, ...values }, update: values, select });
  return toView(row);
}

import type { ApprovalMode } from "@prisma/client";
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
};

export type ShopSettingsView = Omit<EditableShopSettings, "digestFrequency" | "digestRecipients"> & { digestFrequency: string; digestRecipients: string[]; updatedAt: Date };

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
  };
  const row = await forShop(shopId).shopSettings.upsert({ where: { shopId }, create: { shopId, ...values }, update: values, select });
  return toView(row);
}

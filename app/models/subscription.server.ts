import { randomBytes } from "node:crypto";
import { Prisma, type BackInStockSubscription, type ContactType } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { OPEN_PO_STATUSES, type IncomingLine } from "#app/domain/back-in-stock/expected-ship-date.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { queueNotifications } from "#app/services/notification-outbox.server.ts";

export type StorefrontSku = { id: string; title: string; variantTitle: string | null; shopifyVariantId: string | null };

/**
 * The SKU behind a storefront variant id. The block only knows the numeric id the theme renders; we
 * store Admin GraphQL gids, so both spellings are looked up.
 */
export async function findSkuByVariantId(shopId: string, variantId: string): Promise<StorefrontSku | null> {
  const numeric = variantId.replace(/^gid:\/\/shopify\/ProductVariant\//, "");
  return forShop(shopId).sku.findFirst({
    where: { shopifyVariantId: { in: [`gid://shopify/ProductVariant/${numeric}`, numeric] } },
    select: { id: true, title: true, variantTitle: true, shopifyVariantId: true },
  });
}

export type BackInStockSettings = { backInStockSmsEnabled: boolean; backInStockDoubleOptIn: boolean };

/** The shop's back-in-stock switches; a shop without a settings row gets the schema defaults (both off). */
export async function getBackInStockSettings(shopId: string): Promise<BackInStockSettings> {
  const row = await prisma.shopSettings.findUnique({ where: { shopId }, select: { backInStockSmsEnabled: true, backInStockDoubleOptIn: true } });
  return row ?? { backInStockSmsEnabled: false, backInStockDoubleOptIn: false };
}

/** Open PO lines of one SKU, shaped for the pure ETA rule. */
export async function listIncomingLines(shopId: string, skuId: string): Promise<IncomingLine[]> {
  const lines = await forShop(shopId).purchaseOrderLine.findMany({
    where: { skuId, purchaseOrder: { status: { in: [...OPEN_PO_STATUSES] } } },
    select: {
      quantityOrdered: true,
      quantityReceived: true,
      quantityDamaged: true,
      expectedDate: true,
      purchaseOrder: { select: { status: true, expectedArrivalDate: true } },
    },
  });
  return lines.map((line) => ({
    status: line.purchaseOrder.status,
    expectedArrivalDate: line.purchaseOrder.expectedArrivalDate,
    lineExpectedDate: line.expectedDate,
    quantityOrdered: line.quantityOrdered,
    quantityReceived: line.quantityReceived,
    quantityDamaged: line.quantityDamaged,
  }));
}

export type NewSubscription = {
  shopId: string;
  skuId: string;
  contactType: ContactType;
  contact: string;
  consentText: string;
  consentAt: Date;
  locale: string | null;
  customerId: string | null;
  doubleOptIn: boolean;
  /** The OPT_IN message written to the outbox with the row when double opt-in is on. */
  optIn?: (subscription: BackInStockSubscription) => { subject: string; bodyText: string; bodyHtml?: string };
};

export type CreateSubscriptionResult =
  | { outcome: "created" | "reactivated"; subscription: BackInStockSubscription; /** Outbox rows to dispatch after commit. */ notificationIds: string[] }
  | { outcome: "duplicate" };

/**
 * Inserts the subscription (and its OPT_IN outbox row, in the same transaction). De-duplication is
 * the unique index (shopId, skuId, contactType, contact): two simultaneous submits race on the insert,
 * one wins and the other gets P2002, so nothing is ever stored twice. A contact whose earlier
 * subscription ended (unsubscribed, notified, closed) signs up again by reviving that row.
 */
export async function createSubscription(input: NewSubscription): Promise<CreateSubscriptionResult> {
  const status = input.doubleOptIn ? "PENDING_CONFIRMATION" : "ACTIVE";
  const consent = { consentAt: input.consentAt, consentText: input.consentText, locale: input.locale, customerId: input.customerId };
  try {
    const subscription = await prisma.$transaction(async (tx) => {
      const created = await tx.backInStockSubscription.create({
        data: {
          shopId: input.shopId,
          skuId: input.skuId,
          contactType: input.contactType,
          contact: input.contact,
          status,
          ...consent,
          confirmedAt: input.doubleOptIn ? null : input.consentAt,
          unsubscribeToken: newToken(),
        },
      });
      const notificationIds = await writeOptIn(tx, input, created);
      return { created, notificationIds };
    });
    return { outcome: "created", subscription: subscription.created, notificationIds: subscription.notificationIds };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }

  // The row exists. Revive it only if it had ended; an ACTIVE or PENDING one is "already on the list".
  return prisma.$transaction(async (tx) => {
    const key = { shopId: input.shopId, skuId: input.skuId, contactType: input.contactType, contact: input.contact };
    const revived = await tx.backInStockSubscription.updateMany({
      where: { ...key, status: { in: ["UNSUBSCRIBED", "NOTIFIED", "CLOSED"] } },
      data: { status, ...consent, confirmedAt: input.doubleOptIn ? null : input.consentAt, notifiedAt: null },
    });
    if (revived.count === 0) return { outcome: "duplicate" as const };
    const subscription = await tx.backInStockSubscription.findUniqueOrThrow({ where: { shopId_skuId_contactType_contact: key } });
    const notificationIds = await writeOptIn(tx, input, subscription);
    return { outcome: "reactivated" as const, subscription, notificationIds };
  });
}

async function writeOptIn(tx: Prisma.TransactionClient, input: NewSubscription, subscription: BackInStockSubscription): Promise<string[]> {
  if (!input.doubleOptIn || !input.optIn) return [];
  const message = input.optIn(subscription);
  const queued = await queueNotifications(tx, input.shopId, [
    {
      channel: input.contactType,
      kind: "OPT_IN",
      recipient: input.contact,
      subject: message.subject,
      bodyText: message.bodyText,
      bodyHtml: input.contactType === "EMAIL" ? (message.bodyHtml ?? null) : null,
      payload: { subscriptionId: subscription.id, skuId: input.skuId, unsubscribeToken: subscription.unsubscribeToken },
      // One confirmation request per sign-up (a revived row signs up again at a new consent time).
      dedupeKey: `opt-in:${subscription.id}:${input.consentAt.getTime()}`,
      subscriptionId: subscription.id,
    },
  ]);
  return queued.ids;
}

function newToken(): string {
  return randomBytes(24).toString("base64url");
}

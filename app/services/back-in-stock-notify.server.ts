import type { Prisma } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import {
  addToCartUrl,
  discontinuedEmail,
  discontinuedSms,
  etaChangeEmail,
  etaChangeSentence,
  etaChangeSms,
  formatPrice,
  productUrl,
  restockAudienceSize,
  restockEmail,
  restockSms,
  type ProductView,
} from "#app/domain/back-in-stock/messages.ts";
import { normalizeEmail, normalizePhone } from "#app/domain/back-in-stock/contact.ts";
import { getEnv } from "#app/env.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { getProducerQueues, type QueueRegistry } from "#app/lib/queue.server.ts";
import {
  loadBackInStockShop,
  loadSkuForMessage,
  SKU_FOR_MESSAGE,
  skusWithWaitingSubscribers,
  storefrontAvailable,
  type BackInStockShop,
  type SkuForMessage,
} from "#app/models/back-in-stock.server.ts";
import { dispatchNotifications, queueNotifications, type NotificationInput } from "#app/services/notification-outbox.server.ts";
import { jobId } from "#workers/queues.ts";

/**
 * Restock, ETA-change and discontinued messages to back-in-stock subscribers (issue 6 items 3–5),
 * all through the notifications outbox.
 *
 * Restock trigger: every path that changes stock (receiving, order sync, transfers, write-offs) asks for
 * a channel push through `requestStockPush`, which also calls `onAvailabilityChanged`; the Shopify
 * `inventory_levels/update` webhook (a manual adjustment in Shopify) calls it with Shopify's before and
 * after. A SKU with waiting subscribers whose storefront quantity is now > 0 gets one `notify-restock`
 * job. Subscribers are told first come first served (up to ratio × units when the merchant set a
 * ratio); those told become NOTIFIED in the same transaction as their message. Everything a single
 * restock triggers several times (the receipt, then Shopify's webhook for our own push) is one
 * "episode": subscribers told within the last hour count against the audience, so a repeat tells nobody
 * new and the ones left waiting by the ratio wait for the next restock, as promised.
 */

export const RESTOCK_EPISODE_MS = 60 * 60_000;
/** Subscribers per transaction: bounded transactions, and the first messages go out while later ones are written. */
export const RESTOCK_BATCH = 1_000;
/** A burst of stock changes within this window becomes one job per SKU. */
export const RESTOCK_COALESCE_MS = 1_000;

export type AvailabilityChange = string | { skuId: string; before?: number | null; after?: number | null };

export type AvailabilityOptions = { queues?: QueueRegistry };

/**
 * Call after stock changed (after commit). Cheap when nobody waits: one grouped query. Never throws:
 * a failed check is logged, and the next stock change checks again.
 */
export async function onAvailabilityChanged(shopId: string, changes: readonly AvailabilityChange[], options: AvailabilityOptions = {}): Promise<{ requested: string[] }> {
  try {
    const bySku = new Map<string, { before?: number | null; after?: number | null }>();
    for (const change of changes) {
      const c = typeof change === "string" ? { skuId: change } : change;
      bySku.set(c.skuId, { ...bySku.get(c.skuId), ...c });
    }
    // A change we know started above zero, or ended at or below it, is not a restock.
    const candidates = [...bySku].filter(([, c]) => !(typeof c.before === "number" && c.before > 0) && !(typeof c.after === "number" && c.after <= 0)).map(([id]) => id);
    const waiting = await skusWithWaitingSubscribers(shopId, candidates);
    if (waiting.length === 0) return { requested: [] };
    const unknown = waiting.filter((id) => typeof bySku.get(id)?.after !== "number");
    const available = await storefrontAvailable(shopId, unknown);
    const requested: string[] = [];
    const queues = options.queues ?? getProducerQueues();
    for (const skuId of waiting) {
      const after = bySku.get(skuId)?.after;
      const units = typeof after === "number" ? after : (available.get(skuId) ?? 0);
      if (units <= 0) continue;
      await queues.enqueue(
        "back-in-stock",
        "notify-restock",
        { shopId, skuId, restockedQuantity: units },
        { delay: RESTOCK_COALESCE_MS, deduplication: { id: jobId("notify-restock", shopId, skuId) }, removeOnComplete: { count: 1_000 } },
      );
      requested.push(skuId);
    }
    return { requested };
  } catch (error) {
    logger.warn({ err: error, shopId }, "back-in-stock availability check failed");
    return { requested: [] };
  }
}

export type NotifyDeps = { queues: QueueRegistry; now: () => Date; db?: typeof prisma };

export type RestockResult =
  | { outcome: "notified"; notified: number; waitingLeft: number; available: number }
  | { outcome: "skipped"; reason: "shop_inactive" | "sku_missing" | "not_in_stock" | "same_restock" | "nobody_waiting" };

export async function notifyRestock(input: { shopId: string; skuId: string; restockedQuantity?: number }, deps: NotifyDeps): Promise<RestockResult> {
  const { shopId, skuId } = input;
  const now = deps.now();
  const shop = await loadBackInStockShop(shopId);
  if (!shop || shop.status !== "ACTIVE") return { outcome: "skipped", reason: "shop_inactive" };
  const sku = await loadSkuForMessage(shopId, skuId);
  if (!sku) return { outcome: "skipped", reason: "sku_missing" };

  // Our own figure when we hold stock; Shopify's (from its webhook) when only Shopify knows.
  const ours = (await storefrontAvailable(shopId, [skuId])).get(skuId) ?? 0;
  const available = Math.max(ours, ours > 0 ? 0 : (input.restockedQuantity ?? 0));
  if (available <= 0) return { outcome: "skipped", reason: "not_in_stock" };

  // Subscribers already told in this restock episode (an earlier trigger of the same restock, or an
  // earlier attempt of this job) count against the audience, so a repeat tells nobody new.
  const episode = await prisma.backInStockSubscription.aggregate({
    where: { shopId, skuId, status: "NOTIFIED", notifiedAt: { gte: new Date(now.getTime() - RESTOCK_EPISODE_MS) } },
    _count: { _all: true },
  });
  const alreadyTold = episode._count._all;

  const channels: ("EMAIL" | "SMS")[] = shop.settings.smsEnabled ? ["EMAIL", "SMS"] : ["EMAIL"];
  const waitingWhere = { shopId, skuId, status: "ACTIVE" as const, contactType: { in: channels } };
  const waiting = await prisma.backInStockSubscription.count({ where: waitingWhere });
  if (waiting === 0) return { outcome: "skipped", reason: "nobody_waiting" };
  const audience = restockAudienceSize(waiting + alreadyTold, available, shop.settings.notifyRatio) - alreadyTold;
  if (audience <= 0) return { outcome: "skipped", reason: "same_restock" };

  const product = productView(shop, sku);
  let notified = 0;
  while (notified < audience) {
    const batch = await prisma.backInStockSubscription.findMany({
      where: waitingWhere,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: Math.min(RESTOCK_BATCH, audience - notified),
      select: { id: true, contactType: true, contact: true, unsubscribeToken: true },
    });
    if (batch.length === 0) break;
    const ids = await prisma.$transaction(async (tx) => {
      const inputs = batch.map((sub) => restockMessage(shop, sku, product, sub, now));
      const queued = await queueNotifications(tx, shopId, inputs);
      await tx.backInStockSubscription.updateMany({ where: { shopId, id: { in: batch.map((s) => s.id) }, status: "ACTIVE" }, data: { status: "NOTIFIED", notifiedAt: now } });
      return queued.ids;
    });
    await dispatchNotifications(shopId, ids, { queues: deps.queues });
    notified += batch.length;
  }
  return { outcome: "notified", notified, waitingLeft: waiting - notified, available };
}

export function unsubscribeUrl(token: string): string {
  return new URL(`/bis/unsubscribe/${encodeURIComponent(token)}`, getEnv().SHOPIFY_APP_URL).toString();
}

export function confirmUrl(token: string): string {
  return new URL(`/bis/confirm/${encodeURIComponent(token)}`, getEnv().SHOPIFY_APP_URL).toString();
}

function productName(sku: Pick<SkuForMessage, "title" | "variantTitle">): string {
  return sku.variantTitle && sku.variantTitle !== "Default Title" ? `${sku.title} (${sku.variantTitle})` : sku.title;
}

function productView(shop: BackInStockShop, sku: SkuForMessage): ProductView {
  return {
    name: productName(sku),
    imageUrl: sku.imageUrl,
    price: formatPrice(sku.price?.toString(), shop.currency),
    productUrl: productUrl(shop.domain, sku.shopifyVariantId),
    addToCartUrl: addToCartUrl(shop.domain, sku.shopifyVariantId),
  };
}

type SubscriberRef = { id: string; contactType: "EMAIL" | "SMS"; contact: string; unsubscribeToken: string };

function senderPayload(shop: BackInStockShop, token: string): Record<string, unknown> {
  const unsubscribe = unsubscribeUrl(token);
  return {
    ...(shop.settings.sender ? { from: shop.settings.sender } : {}),
    // One-click unsubscribe (RFC 8058), which mailbox providers now expect of bulk senders.
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

function restockMessage(shop: BackInStockShop, sku: SkuForMessage, product: ProductView, sub: SubscriberRef, now: Date): NotificationInput {
  const ctx = { shopName: shop.name, unsubscribeUrl: unsubscribeUrl(sub.unsubscribeToken) };
  const base = { kind: "BACK_IN_STOCK", recipient: sub.contact, subscriptionId: sub.id, dedupeKey: `restock:${sub.id}:${now.getTime()}` };
  if (sub.contactType === "SMS") return { ...base, channel: "SMS", bodyText: restockSms(product, ctx), payload: { skuId: sku.id } };
  const email = restockEmail(product, ctx);
  return { ...base, channel: "EMAIL", subject: email.subject, bodyText: email.text, bodyHtml: email.html, payload: { skuId: sku.id, ...senderPayload(shop, sub.unsubscribeToken) } };
}

// ───────────── ETA changes ─────────────

export type EtaChange = { skuId: string; previousEta: Date | null; newEta: Date; purchaseOrderId: string };

export type EtaChangeResult = {
  ids: string[];
  subscribers: number;
  backorders: number;
  /** Enqueues delivery; call after your transaction committed (the outbox sweeper does it otherwise within a couple of minutes). */
  dispatch: () => Promise<void>;
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * One update per recipient when an open PO's ETA for a variant moves: waiting subscribers, and
 * customers whose orders of that variant are not shipped yet (backorders). Pass the caller's
 * transaction to write the messages together with the ETA change; without one it commits and
 * dispatches by itself. The same change reported twice (a retried job) is stored once.
 */
export async function notifyEtaChanged(
  tx: Prisma.TransactionClient | undefined | null,
  shopId: string,
  change: EtaChange,
  options: { now?: Date; queues?: QueueRegistry } = {},
): Promise<EtaChangeResult> {
  const now = options.now ?? new Date();
  const noop: EtaChangeResult = { ids: [], subscribers: 0, backorders: 0, dispatch: async () => {} };
  if (!change.previousEta || isoDay(change.previousEta) === isoDay(change.newEta)) return noop;
  const run = async (db: Prisma.TransactionClient) => {
    const shop = await loadBackInStockShop(shopId, db);
    const sku = await loadSkuForMessage(shopId, change.skuId, db);
    if (!shop || shop.status !== "ACTIVE" || !sku) return { ids: [], subscribers: 0, backorders: 0 };
    const product = productView(shop, sku);
    const channels: ("EMAIL" | "SMS")[] = shop.settings.smsEnabled ? ["EMAIL", "SMS"] : ["EMAIL"];
    const subs = await db.backInStockSubscription.findMany({
      where: { shopId, skuId: change.skuId, status: "ACTIVE", contactType: { in: channels } },
      select: { id: true, contactType: true, contact: true, unsubscribeToken: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    const lines = await db.salesOrderLine.findMany({
      where: { shopId, skuId: change.skuId, unshippedQuantity: { gt: 0 }, order: { cancelledAt: null, customerEmail: { not: null } } },
      select: { order: { select: { id: true, customerEmail: true, placedAt: true } } },
    });
    const inputs: NotificationInput[] = [];
    const emailed = new Set<string>();
    const key = `eta:${change.purchaseOrderId}:${change.skuId}:${isoDay(change.newEta)}`;
    for (const sub of subs) {
      const sentence = etaChangeSentence({ saidAt: sub.createdAt, previousEta: change.previousEta!, newEta: change.newEta, now });
      const ctx = { shopName: shop.name, unsubscribeUrl: unsubscribeUrl(sub.unsubscribeToken) };
      const base = { kind: "ETA_UPDATE", recipient: sub.contact, subscriptionId: sub.id, dedupeKey: `${key}:${sub.contactType}:${sub.contact}` };
      if (sub.contactType === "SMS") {
        inputs.push({ ...base, channel: "SMS", bodyText: etaChangeSms(product, ctx, sentence), payload: { skuId: sku.id, purchaseOrderId: change.purchaseOrderId } });
      } else {
        emailed.add(sub.contact);
        const email = etaChangeEmail(product, ctx, sentence, "subscriber");
        inputs.push({ ...base, channel: "EMAIL", subject: email.subject, bodyText: email.text, bodyHtml: email.html, payload: { skuId: sku.id, purchaseOrderId: change.purchaseOrderId, ...senderPayload(shop, sub.unsubscribeToken) } });
      }
    }
    let backorders = 0;
    for (const { order } of lines) {
      const normalized = normalizeEmail(order.customerEmail ?? "");
      if (!normalized.ok || emailed.has(normalized.contact)) continue;
      emailed.add(normalized.contact);
      backorders++;
      const sentence = etaChangeSentence({ saidAt: order.placedAt, previousEta: change.previousEta!, newEta: change.newEta, now });
      // Order updates are transactional messages; the "unsubscribe" link points at the shop instead.
      const email = etaChangeEmail(product, { shopName: shop.name, unsubscribeUrl: `https://${shop.domain}/account` }, sentence, "backorder");
      inputs.push({
        channel: "EMAIL",
        kind: "ETA_UPDATE",
        recipient: normalized.contact,
        subject: email.subject,
        bodyText: email.text,
        bodyHtml: email.html,
        dedupeKey: `${key}:EMAIL:${normalized.contact}`,
        payload: { skuId: sku.id, purchaseOrderId: change.purchaseOrderId, salesOrderId: order.id, ...(shop.settings.sender ? { from: shop.settings.sender } : {}) },
      });
    }
    const queued = await queueNotifications(db, shopId, inputs);
    return { ids: queued.ids, subscribers: subs.length, backorders };
  };
  const result = tx ? await run(tx) : await prisma.$transaction(run);
  const dispatch = () => dispatchNotifications(shopId, result.ids, { queues: options.queues }).then(() => undefined);
  if (!tx) await dispatch();
  return { ...result, dispatch };
}

// ───────────── Discontinued ─────────────

export const DISCONTINUED_WAIT_DAYS = 90;
const DISCONTINUED_STATUSES = ["DISCONTINUED", "END_OF_LIFE"] as const;

/**
 * Subscribers waiting more than 90 days on a discontinued variant get a "no longer available" message
 * with up to three in-stock alternatives of the same product type, and their subscription closes
 * (in the same transaction as the message). Runs daily for every active shop, or for one.
 */
export async function closeDiscontinued(input: { shopId?: string }, deps: NotifyDeps): Promise<{ closed: number; shops: number }> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - DISCONTINUED_WAIT_DAYS * 86_400_000);
  const shopIds = input.shopId ? [input.shopId] : (await prisma.shop.findMany({ where: { status: "ACTIVE" }, select: { id: true } })).map((s) => s.id);
  let closed = 0;
  for (const shopId of shopIds) {
    const shop = await loadBackInStockShop(shopId);
    if (!shop || shop.status !== "ACTIVE") continue;
    const subs = await prisma.backInStockSubscription.findMany({
      where: { shopId, status: { in: ["ACTIVE", "PENDING_CONFIRMATION"] }, createdAt: { lt: cutoff }, sku: { status: { in: [...DISCONTINUED_STATUSES] } } },
      select: { id: true, skuId: true, contactType: true, contact: true, unsubscribeToken: true, status: true },
      orderBy: { createdAt: "asc" },
    });
    const bySku = new Map<string, typeof subs>();
    for (const sub of subs) bySku.set(sub.skuId, [...(bySku.get(sub.skuId) ?? []), sub]);
    for (const [skuId, list] of bySku) {
      const sku = await loadSkuForMessage(shopId, skuId);
      if (!sku) continue;
      const product = productView(shop, sku);
      const alternatives = (await findAlternatives(shop, sku)).map((alt) => productView(shop, alt));
      const ids = await prisma.$transaction(async (tx) => {
        const inputs: NotificationInput[] = list
          // Never confirmed: they never asked for messages, so the alert closes silently.
          .filter((sub) => sub.status === "ACTIVE" && (sub.contactType === "EMAIL" || shop.settings.smsEnabled))
          .map((sub) => {
            const ctx = { shopName: shop.name, unsubscribeUrl: unsubscribeUrl(sub.unsubscribeToken) };
            const base = { kind: "DISCONTINUED", recipient: sub.contact, subscriptionId: sub.id, dedupeKey: `discontinued:${sub.id}` };
            if (sub.contactType === "SMS") return { ...base, channel: "SMS" as const, bodyText: discontinuedSms(product, alternatives, ctx), payload: { skuId } };
            const email = discontinuedEmail(product, alternatives, ctx);
            return { ...base, channel: "EMAIL" as const, subject: email.subject, bodyText: email.text, bodyHtml: email.html, payload: { skuId, alternatives: alternatives.map((a) => a.name), ...senderPayload(shop, sub.unsubscribeToken) } };
          });
        const queued = await queueNotifications(tx, shopId, inputs);
        await tx.backInStockSubscription.updateMany({ where: { shopId, id: { in: list.map((s) => s.id) }, status: { in: ["ACTIVE", "PENDING_CONFIRMATION"] } }, data: { status: "CLOSED" } });
        return queued.ids;
      });
      await dispatchNotifications(shopId, ids, { queues: deps.queues });
      closed += list.length;
    }
  }
  return { closed, shops: shopIds.length };
}

/** Up to three in-stock variants of other products of the same product type, most units first. */
async function findAlternatives(shop: BackInStockShop, sku: SkuForMessage): Promise<SkuForMessage[]> {
  if (!sku.productType) return [];
  const candidates = await prisma.sku.findMany({
    where: { shopId: shop.id, productType: sku.productType, status: { in: ["ACTIVE", "SEASONAL"] }, id: { not: sku.id }, title: { not: sku.title } },
    select: SKU_FOR_MESSAGE,
    take: 200,
  });
  const available = await storefrontAvailable(shop.id, candidates.map((c) => c.id));
  const seen = new Set<string>();
  return candidates
    .filter((c) => (available.get(c.id) ?? 0) > 0)
    .sort((a, b) => (available.get(b.id) ?? 0) - (available.get(a.id) ?? 0) || a.title.localeCompare(b.title))
    // One variant per product: three different alternatives, not three sizes of one.
    .filter((c) => (seen.has(c.title) ? false : (seen.add(c.title), true)))
    .slice(0, 3);
}

// ───────────── Shopper links: confirm (double opt-in) and unsubscribe ─────────────

export type LinkOutcome = { ok: boolean; message: string; productName?: string; shopName?: string };

export async function findSubscriptionByToken(token: string) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  return prisma.backInStockSubscription.findUnique({
    where: { unsubscribeToken: token },
    select: { id: true, shopId: true, skuId: true, status: true, contact: true, sku: { select: { title: true, variantTitle: true } }, shop: { select: { name: true } } },
  });
}

export async function unsubscribeByToken(token: string): Promise<LinkOutcome> {
  const sub = await findSubscriptionByToken(token);
  if (!sub) return { ok: false, message: "This link is not valid any more." };
  await prisma.backInStockSubscription.updateMany({ where: { id: sub.id, status: { in: ["ACTIVE", "PENDING_CONFIRMATION", "NOTIFIED"] } }, data: { status: "UNSUBSCRIBED" } });
  // Messages written but not sent yet are not sent after an unsubscribe.
  await prisma.notification.updateMany({ where: { shopId: sub.shopId, subscriptionId: sub.id, status: "PENDING" }, data: { status: "FAILED", lastError: "unsubscribed before delivery" } });
  return { ok: true, message: `You won't get alerts about ${productName(sub.sku)} from ${sub.shop.name} any more.`, productName: productName(sub.sku), shopName: sub.shop.name };
}

export async function confirmByToken(token: string, options: { now?: Date; queues?: QueueRegistry } = {}): Promise<LinkOutcome> {
  const sub = await findSubscriptionByToken(token);
  if (!sub) return { ok: false, message: "This link is not valid any more." };
  const name = productName(sub.sku);
  if (sub.status === "UNSUBSCRIBED" || sub.status === "CLOSED") return { ok: false, message: `This alert for ${name} has ended. Sign up again on the product page.` };
  if (sub.status === "PENDING_CONFIRMATION") {
    await prisma.backInStockSubscription.updateMany({ where: { id: sub.id, status: "PENDING_CONFIRMATION" }, data: { status: "ACTIVE", confirmedAt: options.now ?? new Date() } });
    // It may have come back while the shopper was reading their inbox.
    await onAvailabilityChanged(sub.shopId, [sub.skuId], { queues: options.queues });
  }
  return { ok: true, message: `Confirmed: ${sub.shop.name} will tell you when ${name} is back in stock.`, productName: name, shopName: sub.shop.name };
}

// ───────────── Privacy (customers/redact, shop/redact, customers/data_request) ─────────────

export type CustomerRef = { email?: string | null; phone?: string | null; customerId?: string | number | null };

function customerWhere(shopId: string, customer: CustomerRef): Prisma.BackInStockSubscriptionWhereInput | null {
  const contacts: string[] = [];
  if (customer.email) {
    const e = normalizeEmail(customer.email);
    contacts.push(e.ok ? e.contact : customer.email.trim().toLowerCase());
  }
  if (customer.phone) {
    const p = normalizePhone(customer.phone);
    if (p.ok) contacts.push(p.contact);
  }
  const or: Prisma.BackInStockSubscriptionWhereInput[] = [];
  if (contacts.length) or.push({ contact: { in: contacts } });
  if (customer.customerId !== null && customer.customerId !== undefined && String(customer.customerId) !== "") {
    const id = String(customer.customerId);
    or.push({ customerId: { in: [id, `gid://shopify/Customer/${id}`] } });
  }
  return or.length ? { shopId, OR: or } : null;
}

function customerContacts(customer: CustomerRef): string[] {
  const out: string[] = [];
  if (customer.email) {
    const e = normalizeEmail(customer.email);
    out.push(e.ok ? e.contact : customer.email.trim().toLowerCase());
  }
  if (customer.phone) {
    const p = normalizePhone(customer.phone);
    if (p.ok) out.push(p.contact);
  }
  return out;
}

/** Deletes a customer's subscriptions and the messages sent to them. */
export async function redactCustomer(shopId: string, customer: CustomerRef): Promise<{ subscriptions: number; notifications: number }> {
  const where = customerWhere(shopId, customer);
  if (!where) return { subscriptions: 0, notifications: 0 };
  return prisma.$transaction(async (tx) => {
    const subs = await tx.backInStockSubscription.findMany({ where, select: { id: true, contact: true } });
    const recipients = [...new Set([...customerContacts(customer), ...subs.map((s) => s.contact)])];
    const notifications = await tx.notification.deleteMany({
      where: { shopId, OR: [{ subscriptionId: { in: subs.map((s) => s.id) } }, ...(recipients.length ? [{ recipient: { in: recipients } }] : [])] },
    });
    const deleted = await tx.backInStockSubscription.deleteMany({ where: { shopId, id: { in: subs.map((s) => s.id) } } });
    return { subscriptions: deleted.count, notifications: notifications.count };
  });
}

/** Deletes every subscriber of the shop and the shopper messages sent to them (48 h after uninstall). */
export async function redactShopSubscribers(shopId: string): Promise<{ subscriptions: number; notifications: number }> {
  return prisma.$transaction(async (tx) => {
    const notifications = await tx.notification.deleteMany({ where: { shopId, OR: [{ subscriptionId: { not: null } }, { kind: { in: ["BACK_IN_STOCK", "ETA_UPDATE", "DISCONTINUED", "OPT_IN"] } }] } });
    const subscriptions = await tx.backInStockSubscription.deleteMany({ where: { shopId } });
    return { subscriptions: subscriptions.count, notifications: notifications.count };
  });
}

export type CustomerDataExport = {
  subscriptions: { product: string; sku: string; contactType: string; contact: string; status: string; consentAt: string; consentText: string; confirmedAt: string | null; notifiedAt: string | null; createdAt: string }[];
  messages: { kind: string; channel: string; recipient: string; subject: string | null; status: string; sentAt: string | null; createdAt: string }[];
};

/** Everything we hold about a shopper as a back-in-stock subscriber (customers/data_request). */
export async function exportCustomerData(shopId: string, customer: CustomerRef): Promise<CustomerDataExport> {
  const where = customerWhere(shopId, customer);
  if (!where) return { subscriptions: [], messages: [] };
  const subs = await prisma.backInStockSubscription.findMany({ where, include: { sku: { select: { code: true, title: true, variantTitle: true } } }, orderBy: { createdAt: "asc" } });
  const recipients = [...new Set([...customerContacts(customer), ...subs.map((s) => s.contact)])];
  const messages = await prisma.notification.findMany({
    where: { shopId, OR: [{ subscriptionId: { in: subs.map((s) => s.id) } }, ...(recipients.length ? [{ recipient: { in: recipients } }] : [])] },
    orderBy: { createdAt: "asc" },
  });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    subscriptions: subs.map((s) => ({
      product: productName(s.sku),
      sku: s.sku.code,
      contactType: s.contactType,
      contact: s.contact,
      status: s.status,
      consentAt: s.consentAt.toISOString(),
      consentText: s.consentText,
      confirmedAt: iso(s.confirmedAt),
      notifiedAt: iso(s.notifiedAt),
      createdAt: s.createdAt.toISOString(),
    })),
    messages: messages.map((m) => ({ kind: m.kind, channel: m.channel, recipient: m.recipient, subject: m.subject, status: m.status, sentAt: iso(m.sentAt), createdAt: m.createdAt.toISOString() })),
  };
}

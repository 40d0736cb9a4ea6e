import { Prisma, type WebhookEvent } from "@prisma/client";
import { prisma } from "../db.server.ts";

export type IncomingWebhook = {
  shopDomain: string;
  topic: string;
  dedupeKey: string;
  webhookId: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: Prisma.InputJsonValue;
};

/**
 * Stores a delivery once. Shopify retries a delivery with the same ids, and (shopDomain, topic,
 * dedupeKey) is unique, so a retry returns the stored row with `created: false` instead of a copy.
 */
export async function recordWebhookEvent(event: IncomingWebhook): Promise<{ event: WebhookEvent; created: boolean }> {
  const shop = await prisma.shop.findUnique({ where: { domain: event.shopDomain }, select: { id: true } });
  try {
    const created = await prisma.webhookEvent.create({ data: { ...event, shopId: shop?.id ?? null } });
    return { event: created, created: true };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await prisma.webhookEvent.findUniqueOrThrow({
        where: { shopDomain_topic_dedupeKey: { shopDomain: event.shopDomain, topic: event.topic, dedupeKey: event.dedupeKey } },
      });
      return { event: existing, created: false };
    }
    throw error;
  }
}

export async function findWebhookEvent(id: string): Promise<WebhookEvent | null> {
  return prisma.webhookEvent.findUnique({ where: { id } });
}

/** Events stored but never processed (e.g. the queue was down when they arrived). */
export async function listUnprocessedWebhookEvents(olderThan: Date, limit = 500): Promise<Pick<WebhookEvent, "id">[]> {
  return prisma.webhookEvent.findMany({
    where: { status: "RECEIVED", receivedAt: { lt: olderThan } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
}

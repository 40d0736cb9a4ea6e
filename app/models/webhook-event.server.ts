import { randomUUID } from "node:crypto";
import type { WebhookEvent } from "@prisma/client";
import { prisma } from "../db.server.ts";

export type IncomingWebhook = {
  shopDomain: string;
  topic: string;
  dedupeKey: string;
  webhookId: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: unknown;
};

export type StoredWebhook = Pick<WebhookEvent, "id" | "status" | "topic">;

/**
 * Stores a delivery once. Shopify retries a delivery with the same ids, and (shopDomain, topic,
 * dedupeKey) is unique, so a retry returns the stored row with `created: false` instead of a copy.
 * One statement on the hot path (intake runs per delivery): the shop id is resolved inside the INSERT,
 * and only a repeated delivery pays a second query to read the row it collided with.
 */
export async function recordWebhookEvent(event: IncomingWebhook): Promise<{ event: StoredWebhook; created: boolean }> {
  const inserted = await prisma.$queryRaw<StoredWebhook[]>`
    INSERT INTO "WebhookEvent" ("id", "shopDomain", "shopId", "topic", "dedupeKey", "webhookId", "apiVersion", "triggeredAt", "payload")
    VALUES (${randomUUID()}, ${event.shopDomain}, (SELECT "id" FROM "Shop" WHERE "domain" = ${event.shopDomain}), ${event.topic},
            ${event.dedupeKey}, ${event.webhookId}, ${event.apiVersion}, ${event.triggeredAt}, ${JSON.stringify(event.payload)}::jsonb)
    ON CONFLICT ("shopDomain", "topic", "dedupeKey") DO NOTHING
    RETURNING "id", "status"::text AS "status", "topic"`;
  if (inserted[0]) return { event: inserted[0], created: true };
  const existing = await prisma.webhookEvent.findUniqueOrThrow({
    where: { shopDomain_topic_dedupeKey: { shopDomain: event.shopDomain, topic: event.topic, dedupeKey: event.dedupeKey } },
    select: { id: true, status: true, topic: true },
  });
  return { event: existing, created: false };
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

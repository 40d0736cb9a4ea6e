import { randomUUID } from "node:crypto";
import type { WebhookEvent } from "@prisma/client";
import { getPgPool, prisma } from "../db.server.ts";

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

export type IncomingWebhookRaw = Omit<IncomingWebhook, "payload"> & {
  /** The delivery's body as received (already checked to be JSON): stored as jsonb without a re-serialisation. */
  rawPayload: string;
};

/**
 * Stores many deliveries in one statement (the intake's micro-batches): rows are inserted once per
 * (shopDomain, topic, dedupeKey), and every input gets its stored row back, `created: false` for a
 * delivery stored before (by an earlier request or an earlier copy in the same batch).
 */
export async function recordWebhookEvents(events: readonly IncomingWebhookRaw[]): Promise<Array<{ event: StoredWebhook; created: boolean }>> {
  if (events.length === 0) return [];
  type Row = StoredWebhook & { shopDomain: string; dedupeKey: string };
  // Plain pg on Prisma's own pool: this statement is the intake's whole latency, and Prisma's per-query
  // work was most of it.
  const pool = getPgPool();
  const inserted = await pool.query<Row>(
    `INSERT INTO "WebhookEvent" ("id", "shopDomain", "shopId", "topic", "dedupeKey", "webhookId", "apiVersion", "triggeredAt", "payload")
     SELECT v.id, v.domain, s."id", v.topic, v.key, v.webhook, v.version, v.triggered::timestamp(3), v.payload::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
          WITH ORDINALITY AS v(id, domain, topic, key, webhook, version, triggered, payload, n)
     LEFT JOIN "Shop" s ON s."domain" = v.domain
     ORDER BY v.n
     ON CONFLICT ("shopDomain", "topic", "dedupeKey") DO NOTHING
     RETURNING "id", "status"::text AS "status", "topic", "shopDomain", "dedupeKey"`,
    [
      events.map(() => randomUUID()),
      events.map((e) => e.shopDomain),
      events.map((e) => e.topic),
      events.map((e) => e.dedupeKey),
      events.map((e) => e.webhookId),
      events.map((e) => e.apiVersion),
      events.map((e) => e.triggeredAt?.toISOString() ?? null),
      events.map((e) => e.rawPayload),
    ],
  );
  const key = (e: { shopDomain: string; topic: string; dedupeKey: string }) => `${e.shopDomain}\u0000${e.topic}\u0000${e.dedupeKey}`;
  const created = new Map(inserted.rows.map((row) => [key(row), row]));
  const missing = events.filter((e) => !created.has(key(e)));
  const existing = new Map<string, StoredWebhook>();
  if (missing.length > 0) {
    const rows = await pool.query<Row>(
      `SELECT w."id", w."status"::text AS "status", w."topic", w."shopDomain", w."dedupeKey"
       FROM "WebhookEvent" w
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS v(domain, topic, key) ON w."shopDomain" = v.domain AND w."topic" = v.topic AND w."dedupeKey" = v.key`,
      [missing.map((e) => e.shopDomain), missing.map((e) => e.topic), missing.map((e) => e.dedupeKey)],
    );
    for (const row of rows.rows) existing.set(key(row), row);
  }
  // Only the first copy of a key in this batch was created; later copies are repeats of it.
  const claimed = new Set<string>();
  return events.map((e) => {
    const k = key(e);
    const row = created.get(k);
    if (row && !claimed.has(k)) {
      claimed.add(k);
      return { event: { id: row.id, status: row.status, topic: row.topic }, created: true };
    }
    const stored = row ?? existing.get(k);
    if (!stored) throw new Error(`webhook ${e.topic} ${e.dedupeKey} was neither stored nor found`);
    return { event: { id: stored.id, status: stored.status, topic: stored.topic }, created: false };
  });
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

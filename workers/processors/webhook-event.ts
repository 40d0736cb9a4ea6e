import type { WebhookEvent } from "@prisma/client";
import { AppError } from "#app/lib/app-error.ts";
import type { JobData } from "#workers/queues.ts";
import { removeShopSchedulers } from "#workers/schedulers.ts";
import type { ProcessorDeps } from "./deps.ts";
import { channelWebhookHandlers } from "./webhook-handlers/index.ts";
import { privacyWebhookHandlers } from "./webhook-handlers/privacy.ts";

/**
 * `webhooks/process-webhook`: the slow half of a webhook (ARCHITECTURE principle 9). The route
 * verified the HMAC, stored the WebhookEvent and answered 200; this loads the stored event and hands
 * it to the handler for its topic. Repeats are harmless: an event already PROCESSED is skipped, and
 * handlers are written to be idempotent.
 */

export interface WebhookHandlerResult {
  /** Recorded on the event when the handler had nothing to do (e.g. "shop already uninstalled"). */
  note?: string;
}

export type WebhookHandler = (event: WebhookEvent, deps: ProcessorDeps) => Promise<WebhookHandlerResult | void>;

/** Topic (as Shopify sends it, e.g. "orders/create") → handler. Business topics arrive in later issues. */
export type WebhookHandlers = Readonly<Record<string, WebhookHandler>>;

/** `app/uninstalled`: the shop is marked UNINSTALLED and all its recurring jobs stop. */
export const handleAppUninstalled: WebhookHandler = async (event, deps) => {
  const shop = event.shopId
    ? await deps.db.shop.findUnique({ where: { id: event.shopId } })
    : await deps.db.shop.findUnique({ where: { domain: event.shopDomain } });
  if (!shop) return { note: `no shop for ${event.shopDomain}` };
  if (shop.status !== "UNINSTALLED") {
    await deps.db.shop.update({ where: { id: shop.id }, data: { status: "UNINSTALLED", uninstalledAt: deps.now() } });
  }
  // Even when the shop was already marked, a previous attempt may have died before this step.
  await removeShopSchedulers(shop.id, deps.queues);
  deps.logger.info({ shopId: shop.id }, "shop uninstalled, schedulers removed");
  return shop.status === "UNINSTALLED" ? { note: "shop already uninstalled" } : {};
};

export const defaultWebhookHandlers: WebhookHandlers = {
  "app/uninstalled": handleAppUninstalled,
  ...channelWebhookHandlers,
  ...privacyWebhookHandlers,
};

export type ProcessWebhookResult = { status: "PROCESSED" | "SKIPPED"; topic: string; note?: string };

export async function processWebhookEvent(data: JobData<"webhooks", "process-webhook">, deps: ProcessorDeps): Promise<ProcessWebhookResult> {
  const { db, logger, now } = deps;
  const event = await db.webhookEvent.findUnique({ where: { id: data.webhookEventId } });
  if (!event) throw new AppError("not_found", `webhook event ${data.webhookEventId} not found`);
  if (event.status === "PROCESSED") return { status: "SKIPPED", topic: event.topic, note: "already processed" };

  await db.webhookEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 } } });

  const handler = deps.webhookHandlers[event.topic];
  if (!handler) {
    // Recorded, acknowledged, and nothing to do yet: not a failure, so not FAILED. The schema has no
    // separate note column, so the note goes in `error` next to status PROCESSED.
    const note = `no handler for topic ${event.topic} yet (event recorded only)`;
    await db.webhookEvent.update({ where: { id: event.id }, data: { status: "PROCESSED", processedAt: now(), error: note } });
    logger.info({ webhookEventId: event.id, topic: event.topic }, note);
    return { status: "PROCESSED", topic: event.topic, note };
  }

  try {
    const result = (await handler(event, deps)) ?? {};
    await db.webhookEvent.update({
      where: { id: event.id },
      data: { status: "PROCESSED", processedAt: now(), error: result.note ?? null },
    });
    return { status: "PROCESSED", topic: event.topic, ...(result.note ? { note: result.note } : {}) };
  } catch (error) {
    await db.webhookEvent.update({
      where: { id: event.id },
      data: { status: "FAILED", error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}

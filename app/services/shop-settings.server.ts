import type { Shop } from "@prisma/client";
import { logger } from "../lib/logger.server.ts";
import { getProducerQueues, type QueueRegistry } from "../lib/queue.server.ts";
import { updateShopSettings, type EditableShopSettings, type ShopSettingsView } from "../models/shop-settings.server.ts";
import { syncShopSchedulers } from "#workers/schedulers.ts";

/**
 * Saves the settings, then moves the shop's digest schedule to the new day/frequency. The schedule is
 * best effort here: the settings are stored either way, the digest job re-reads them before sending
 * (so it never goes out on a day the merchant left), and the workers re-sync every shop's schedulers
 * when they start.
 */
export async function saveShopSettings(shop: Pick<Shop, "id" | "timezone">, input: EditableShopSettings, options: { queues?: QueueRegistry } = {}): Promise<ShopSettingsView> {
  const saved = await updateShopSettings(shop.id, input);
  try {
    await syncShopSchedulers({ id: shop.id, timezone: shop.timezone, settings: { digestWeekday: saved.digestWeekday, digestFrequency: saved.digestFrequency } }, options.queues ?? getProducerQueues());
  } catch (error) {
    logger.warn({ err: error, shopId: shop.id }, "settings saved; the digest schedule will follow when the workers restart");
  }
  return saved;
}

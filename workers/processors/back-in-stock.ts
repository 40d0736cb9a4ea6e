import { closeDiscontinued, notifyRestock } from "#app/services/back-in-stock-notify.server.ts";
import type { JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/** A SKU came back in stock: tell its waiting subscribers (first come first served), through the outbox. */
export function notifyRestockJob(data: JobData<"back-in-stock", "notify-restock">, deps: ProcessorDeps) {
  return notifyRestock(data, { queues: deps.queues, now: deps.now });
}

/** Daily: close alerts waiting > 90 days on discontinued variants, with in-stock alternatives. */
export function closeDiscontinuedJob(data: JobData<"back-in-stock", "close-discontinued">, deps: ProcessorDeps) {
  return closeDiscontinued(data, { queues: deps.queues, now: deps.now });
}

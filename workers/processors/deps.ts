import type { PrismaClient } from "@prisma/client";
import type { Logger } from "pino";
import type { Mailer } from "#app/lib/mailer.server.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import type { SmsClient } from "#app/lib/sms.server.ts";
import type { JobData, JobName, QueueName } from "#workers/queues.ts";
import type { PlanForShop } from "./reorder.ts";
import type { WebhookHandlers } from "./webhook-event.ts";

/**
 * Everything a processor may use, passed in rather than imported, so a test calls a processor
 * directly with the same deps a real Worker gives it (or with fakes for the services).
 */
export interface ProcessorDeps {
  db: PrismaClient;
  logger: Logger;
  /** The clock: processors never call `new Date()` themselves, so tests can pin the time. */
  now: () => Date;
  /** Queues to enqueue follow-up jobs on and to manage job schedulers with. */
  queues: QueueRegistry;
  /** The reorder engine entry point (app/domain/reorder + its service), injected. */
  planForShop: PlanForShop;
  /** Webhook topic → handler. */
  webhookHandlers: WebhookHandlers;
  /** Email and SMS senders for the outbox; default to SMTP_URL / the TWILIO_* API when absent. */
  mailer?: Pick<Mailer, "sendEmail">;
  sms?: SmsClient;
  /** The running job's progress (0–100), for pages that poll it; set by the BullMQ adapter, absent in direct calls. */
  reportProgress?: (percent: number) => Promise<void>;
}

/** A processor: plain function of the parsed job data and its deps. */
export type JobProcessor<Q extends QueueName, J extends JobName<Q>> = (data: JobData<Q, J>, deps: ProcessorDeps) => Promise<unknown>;

/** The processors of one queue, by job name. A missing entry means "not built yet". */
export type QueueProcessors<Q extends QueueName> = { [J in JobName<Q>]?: JobProcessor<Q, J> };

export type ProcessorTable = { [Q in QueueName]?: QueueProcessors<Q> };

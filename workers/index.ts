import { pathToFileURL } from "node:url";
import { Worker } from "bullmq";
import { disconnectPrisma, prisma } from "#app/db.server.ts";
import { getEnv, initEnv } from "#app/env.server.ts";
import { logger as rootLogger } from "#app/lib/logger.server.ts";
import { createQueueRegistry, createRedisConnection, type QueueRegistry } from "#app/lib/queue.server.ts";
import { planForShop } from "#app/services/replenishment.server.ts";
import { toBullProcessor } from "#workers/processors/bull-adapter.ts";
import type { ProcessorDeps, ProcessorTable, QueueProcessors } from "#workers/processors/deps.ts";
import { processors as defaultProcessors } from "#workers/processors/registry.ts";
import { defaultWebhookHandlers } from "#workers/processors/webhook-event.ts";
import { QUEUE_NAMES, queueConcurrency, type QueueName } from "#workers/queues.ts";
import { syncAllSchedulers } from "#workers/schedulers.ts";

/**
 * The worker process (`npm run workers`), and `startWorkers()` for running the same workers inside
 * another process (the demo, tests). Workers only orchestrate: each job is parsed and handed to a
 * plain processor with its deps (ARCHITECTURE principle 10).
 */

export interface StartWorkersOptions {
  /** Overrides for the processors' deps (a wired `planForShop`, a fixed clock, fakes in tests). */
  processorsDeps?: Partial<ProcessorDeps>;
  /** Defaults to the processor registry; tests pass their own table. */
  processors?: ProcessorTable;
  /** Defaults to REDIS_URL / QUEUE_PREFIX from the environment. */
  redisUrl?: string;
  prefix?: string;
  /** Worker concurrency per queue, instead of `queueConcurrency` (benchmarks, tests). */
  concurrency?: Partial<Record<QueueName, number>>;
  /** The notifications worker's provider rate limit (default NOTIFICATIONS_PER_SECOND per second). */
  notificationsLimiter?: { max: number; duration: number };
  /** Upsert every shop's job schedulers before starting (default true). */
  syncSchedulers?: boolean;
}

export interface RunningWorkers {
  workers: ReadonlyMap<QueueName, Worker>;
  queues: QueueRegistry;
  /** Stops fetching, waits for the jobs in progress to finish, then closes queues and connections. */
  close(): Promise<void>;
}

/**
 * Global rate limits set by `worker.rateLimit` are only enforced by BullMQ when the worker has a
 * limiter configured, so every worker has one, set far above any real throughput.
 */
const LIMITER = { max: 10_000, duration: 1_000 };

export async function startWorkers(options: StartWorkersOptions = {}): Promise<RunningWorkers> {
  const env = getEnv();
  const log = (options.processorsDeps?.logger ?? rootLogger).child({ process: "workers" });
  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const redisUrl = options.redisUrl ?? env.REDIS_URL;
  // Workers wait for Redis (offline queue, unlimited retries) instead of failing like web producers.
  const connection = createRedisConnection("worker", redisUrl);
  const queues = createQueueRegistry({ connection, prefix, ownsConnection: true });

  const deps: ProcessorDeps = {
    db: prisma,
    now: () => new Date(),
    queues,
    planForShop,
    webhookHandlers: defaultWebhookHandlers,
    ...options.processorsDeps,
    logger: log,
  };

  const table = options.processors ?? defaultProcessors;
  const workers = new Map<QueueName, Worker>();
  for (const name of QUEUE_NAMES) {
    const queueProcessors = table[name] as QueueProcessors<typeof name> | undefined;
    if (!queueProcessors || Object.keys(queueProcessors).length === 0) continue;
    // The processor closes over `worker` so a rate-limited job can pause this queue.
    const worker: Worker = new Worker(name, (job) => processor(job), {
      connection,
      prefix,
      concurrency: options.concurrency?.[name] ?? queueConcurrency[name],
      // The email/SMS provider's rate limit applies to the notifications queue as a whole.
      limiter: name === "notifications" ? (options.notificationsLimiter ?? { max: env.NOTIFICATIONS_PER_SECOND, duration: 1_000 }) : LIMITER,
    });
    const processor = toBullProcessor(name, queueProcessors, deps, { rateLimit: (ms) => worker.rateLimit(ms) });
    worker.on("error", (error) => log.error({ err: error, queue: name }, "worker error"));
    worker.on("failed", (job, error) => {
      const attempts = job?.opts.attempts ?? 1;
      const final = !job || job.attemptsMade >= attempts || error.name === "UnrecoverableError";
      log[final ? "error" : "warn"](
        { queue: name, jobName: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, attempts, reason: error.message },
        final ? "job failed for good" : "job attempt failed",
      );
    });
    workers.set(name, worker);
  }
  const idle = QUEUE_NAMES.filter((name) => !workers.has(name));
  log.info({ prefix, queues: [...workers.keys()], withoutProcessor: idle }, "workers started");

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // close() stops fetching and resolves once the jobs in progress have completed or failed.
      await Promise.all([...workers.values()].map((worker) => worker.close()));
      await queues.close();
      log.info("workers closed");
    })());

  if (options.syncSchedulers ?? true) {
    try {
      await syncAllSchedulers({ db: deps.db, queues, logger: log });
    } catch (error) {
      // Do not leave half-started workers (and open connections) behind a failed start.
      await close();
      throw error;
    }
  }

  return { workers, queues, close };
}

async function main(): Promise<void> {
  // First: a missing or malformed variable prints one line naming it and exits 1.
  initEnv();

  // Handlers go in before the workers start: they take jobs before startWorkers() resolves, and a
  // SIGTERM in that window would otherwise kill the process mid-job (exit 143).
  let running: RunningWorkers | undefined;
  let stopping = false;
  let signals = 0;
  const closeAndExit = (workers: RunningWorkers) =>
    workers
      .close()
      .then(() => disconnectPrisma())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          rootLogger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C means "now": active jobs are left to BullMQ's stalled-job recovery.
      rootLogger.warn({ signal }, "second signal, exiting without waiting for jobs");
      process.exit(1);
    }
    rootLogger.info({ signal }, "shutting down: finishing the jobs in progress");
    stopping = true;
    if (running) void closeAndExit(running); // else: still starting, closed right after start-up below
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  running = await startWorkers();
  if (stopping) await closeAndExit(running);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    rootLogger.fatal({ err: error }, "workers failed to start");
    process.exit(1);
  });
}

import { Queue, type JobsOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { ZodError } from "zod";
import { getEnv } from "#app/env.server.ts";
import {
  parseJobData,
  queueJobOptions,
  type JobInput,
  type JobName,
  type QueueName,
} from "#workers/queues.ts";
import { AppError } from "#app/lib/app-error.ts";
import { logger } from "#app/lib/logger.server.ts";

/**
 * Redis connections and typed producers for BullMQ (ARCHITECTURE principle 10).
 *
 * Two kinds of connection, because the two sides want opposite things when Redis is down:
 * - a "producer" connection (HTTP requests) fails fast: no offline queue, a short connect timeout,
 *   one retry per command, so a request gets an AppError('unavailable') in a couple of seconds
 *   instead of hanging until the load balancer gives up;
 * - a "worker" connection waits: commands queue up while ioredis reconnects, which is what BullMQ
 *   requires for its blocking commands (`maxRetriesPerRequest: null`).
 */

export type RedisRole = "producer" | "worker";

/** How long a producer waits for Redis before giving up on a request. */
export const PRODUCER_TIMEOUT_MS = 2_000;

export function redisOptions(role: RedisRole): RedisOptions {
  if (role === "producer") {
    // Not lazy: a client that has never connected makes BullMQ's own connect() reject once and
    // stay rejected, so the producer would never recover from starting while Redis was down.
    return {
      enableOfflineQueue: false,
      connectTimeout: PRODUCER_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      // Keep reconnecting in the background (so the next request works once Redis is back), gently.
      retryStrategy: (times) => Math.min(times * 500, 5_000),
    };
  }
  return { maxRetriesPerRequest: null, enableOfflineQueue: true };
}

/** A Redis client for REDIS_URL (or `url`), with an error listener so a lost connection is logged, not thrown. */
export function createRedisConnection(role: RedisRole, url: string = getEnv().REDIS_URL): Redis {
  const client = new Redis(url, { ...redisOptions(role), connectionName: `replenish-${role}` });
  // ioredis emits 'error' on every failed reconnect; log the first of each outage only.
  let reported = false;
  client.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn({ err: error, role }, "redis connection error");
  });
  client.on("ready", () => {
    if (reported) logger.info({ role }, "redis connection restored");
    reported = false;
  });
  return client;
}

export type EnqueueOptions = Omit<JobsOptions, "repeat" | "parent">;

export interface QueueRegistry {
  /** The Redis key prefix (QUEUE_PREFIX) every queue of this registry uses. */
  readonly prefix: string;
  /** The BullMQ queue of that name (created on first use, then reused). */
  queue(name: QueueName): Queue;
  /** Validates the data against the job's schema and adds the job; returns the job id. */
  enqueue<Q extends QueueName, J extends JobName<Q>>(queue: Q, name: J, data: JobInput<Q, J>, opts?: EnqueueOptions): Promise<string>;
  /** Closes every queue, then the connection when the registry owns it. */
  close(): Promise<void>;
}

export interface QueueRegistryOptions {
  connection: Redis;
  prefix?: string;
  /** Producer mode: wait at most this long for Redis, then throw AppError('unavailable'). */
  failFastMs?: number;
  /** Quit the connection on close (true when the registry created it). */
  ownsConnection?: boolean;
}

export function createQueueRegistry(options: QueueRegistryOptions): QueueRegistry {
  const { connection, failFastMs } = options;
  const prefix = options.prefix ?? getEnv().QUEUE_PREFIX;
  const queues = new Map<QueueName, Queue>();
  let closed = false;

  function queue(name: QueueName): Queue {
    if (closed) throw new Error("Queue registry is closed");
    let existing = queues.get(name);
    if (!existing) {
      existing = new Queue(name, { connection, prefix, defaultJobOptions: queueJobOptions[name] });
      // Without a listener an 'error' event would crash the process; the connection already logs.
      existing.on("error", (error) => logger.debug({ err: error, queue: name }, "queue error"));
      queues.set(name, existing);
    }
    return existing;
  }

  async function enqueue<Q extends QueueName, J extends JobName<Q>>(
    queueName: Q,
    name: J,
    data: JobInput<Q, J>,
    opts: EnqueueOptions = {},
  ): Promise<string> {
    let parsed: unknown;
    try {
      parsed = parseJobData(queueName, name, data);
    } catch (error) {
      const detail = error instanceof ZodError ? error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; ") : String(error);
      throw new AppError("invalid", `Invalid job ${queueName}/${name}: ${detail}`, { cause: error });
    }
    const target = queue(queueName);
    if (failFastMs === undefined) {
      const job = await target.add(name, parsed, opts);
      return String(job.id);
    }
    try {
      await waitForReady(connection, failFastMs);
      const job = await withTimeout(target.add(name, parsed, opts), failFastMs * 2);
      return String(job.id);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("unavailable", `Could not enqueue ${queueName}/${name}: the job queue (Redis) is unavailable`, { cause: error });
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await Promise.allSettled([...queues.values()].map((q) => q.close()));
    queues.clear();
    if (options.ownsConnection) await quietly(connection);
  }

  return { prefix, queue, enqueue, close };
}

/** Resolves when the client is ready; rejects with AppError('unavailable') after `timeoutMs`. */
async function waitForReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new AppError("unavailable", `The job queue (Redis) did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    function onReady() {
      clearTimeout(timer);
      resolve();
    }
    client.once("ready", onReady);
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AppError("unavailable", `The job queue (Redis) did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function quietly(client: Redis): Promise<void> {
  if (client.status === "end") return;
  // quit() waits for a reply a dead server never sends; disconnect() does not.
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}

// The web process's producer: one fail-fast connection, created on first use.
let producer: QueueRegistry | undefined;

export function getProducerQueues(): QueueRegistry {
  return (producer ??= createQueueRegistry({
    connection: createRedisConnection("producer"),
    failFastMs: PRODUCER_TIMEOUT_MS,
    ownsConnection: true,
  }));
}

/**
 * Enqueues a job from an HTTP path. Throws AppError('invalid') for data that does not match the
 * job's schema and AppError('unavailable') within a few seconds when Redis does not answer.
 */
export function enqueue<Q extends QueueName, J extends JobName<Q>>(queue: Q, name: J, data: JobInput<Q, J>, opts?: EnqueueOptions): Promise<string> {
  return getProducerQueues().enqueue(queue, name, data, opts);
}

/** Closes the producer queues and their connection (server shutdown, end of a test file). */
export async function closeQueues(): Promise<void> {
  const current = producer;
  producer = undefined;
  await current?.close();
}

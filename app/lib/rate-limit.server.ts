import type { Redis } from "ioredis";
import { getEnv } from "#app/env.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { createRedisConnection, PRODUCER_TIMEOUT_MS } from "#app/lib/queue.server.ts";

/**
 * Fixed-window counters in Redis, shared by every app process (an in-memory counter would let a burst
 * through by spreading over instances). One INCR per hit; the first hit of a window sets its expiry.
 * Keys carry QUEUE_PREFIX so parallel test files on one Redis never share counters.
 *
 * Uses a producer connection: if Redis is down the request fails fast with AppError('unavailable')
 * instead of silently letting everything through.
 */

export type RateLimitRule = { name: string; limit: number; windowMs: number };

export type RateLimitResult = { allowed: boolean; count: number; retryAfterMs: number };

// Atomic: INCR and set the window's expiry only on its first hit, then read the remaining TTL.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

let connection: Redis | undefined;
// One wait shared by every caller that arrives while the client connects (a batch of sends starts many).
let pendingReady: Promise<void> | undefined;

/** The shared producer client, once ready: it has no offline queue, so a command sent while it is still connecting would fail. */
async function redis(): Promise<Redis> {
  connection ??= createRedisConnection("producer");
  const client = connection;
  if (client.status === "ready") return client;
  pendingReady ??= waitForReady(client).finally(() => {
    pendingReady = undefined;
  });
  await pendingReady;
  return client;
}

function waitForReady(client: Redis): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`Redis did not answer within ${PRODUCER_TIMEOUT_MS} ms`));
    }, PRODUCER_TIMEOUT_MS);
    function onReady() {
      clearTimeout(timer);
      resolve();
    }
    client.once("ready", onReady);
  });
}

/** Counts one hit of `subject` under `rule`; `allowed` is false once the window's limit is passed. */
export async function hitRateLimit(rule: RateLimitRule, subject: string): Promise<RateLimitResult> {
  const key = `${getEnv().QUEUE_PREFIX}:rate:${rule.name}:${subject}`;
  let reply: unknown;
  try {
    reply = await (await redis()).eval(HIT_SCRIPT, 1, key, String(rule.windowMs));
  } catch (error) {
    throw new AppError("unavailable", "Rate limiter unavailable", { cause: error });
  }
  const [count, ttl] = reply as [number, number];
  return { allowed: count <= rule.limit, count, retryAfterMs: Math.max(ttl, 0) };
}

// INCRBY variant for callers that take several units at once (a batch of messages).
const TAKE_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

/**
 * Waits until `units` fit under `rule` for `subject` in one window, then takes them: a pacing
 * limiter shared by every process (e.g. a provider's messages per second across all workers).
 */
export async function acquireRateLimit(rule: RateLimitRule, subject: string, units: number): Promise<void> {
  const key = `${getEnv().QUEUE_PREFIX}:rate:${rule.name}:${subject}`;
  const take = Math.max(1, Math.min(units, rule.limit));
  for (;;) {
    let reply: unknown;
    try {
      reply = await (await redis()).eval(TAKE_SCRIPT, 1, key, String(rule.windowMs), String(take));
    } catch (error) {
      throw new AppError("unavailable", "Rate limiter unavailable", { cause: error });
    }
    const [count, ttl] = reply as [number, number];
    if (count <= rule.limit) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(ttl, 5)));
  }
}

/** Hits every rule (so each counter sees the attempt); throws AppError('rate_limited') if any is over. */
export async function enforceRateLimits(hits: readonly { rule: RateLimitRule; subject: string }[]): Promise<void> {
  const results = await Promise.all(hits.map(({ rule, subject }) => hitRateLimit(rule, subject)));
  const over = results.filter((result) => !result.allowed);
  if (over.length > 0) {
    throw new AppError("rate_limited", "Too many attempts. Please wait a minute and try again.", {
      retryAfterMs: Math.max(...over.map((result) => result.retryAfterMs)),
    });
  }
}

/** Forgets every counter under this QUEUE_PREFIX (tests; KEYS is fine on a test Redis, never call it in production). */
export async function resetRateLimits(): Promise<void> {
  const client = await redis();
  const keys = await client.keys(`${getEnv().QUEUE_PREFIX}:rate:*`);
  if (keys.length > 0) await client.del(...keys);
}

/** For tests and shutdown. */
export async function closeRateLimiter(): Promise<void> {
  const current = connection;
  connection = undefined;
  if (current) await current.quit().catch(() => current.disconnect());
}

import { UnrecoverableError, RATE_LIMIT_ERROR, type Job } from "bullmq";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { AppError } from "#app/lib/app-error.ts";
import { classifyError, DEFAULT_RATE_LIMIT_MS, mapProcessorError, toBullProcessor } from "./bull-adapter.ts";
import type { ProcessorDeps } from "./deps.ts";

const noRateLimit = { rateLimit: async () => {} };

describe("classifyError", () => {
  it.each([
    ["invalid", "unrecoverable"],
    ["not_found", "unrecoverable"],
    ["forbidden", "unrecoverable"],
    ["auth", "unrecoverable"],
    ["rate_limited", "rate_limited"],
    ["unavailable", "retry"],
    ["conflict", "retry"],
  ] as const)("AppError %s → %s", (kind, decision) => {
    expect(classifyError(new AppError(kind, "x"))).toBe(decision);
  });

  it("classifies any error with a kind (channel and domain errors), and retries plain errors", () => {
    expect(classifyError(Object.assign(new Error("bad sku"), { kind: "invalid_input" }))).toBe("unrecoverable");
    expect(classifyError(Object.assign(new Error("429"), { kind: "rate_limited", retryAfterMs: 5 }))).toBe("rate_limited");
    expect(classifyError(new Error("ECONNRESET"))).toBe("retry");
    expect(classifyError("a string")).toBe("retry");
  });
});

describe("mapProcessorError", () => {
  it("turns permanent failures into UnrecoverableError", async () => {
    const mapped = await mapProcessorError(new AppError("not_found", "shop x not found"), noRateLimit);
    expect(mapped).toBeInstanceOf(UnrecoverableError);
    expect(mapped.message).toBe("not_found: shop x not found");
  });

  it("rate-limits the queue for retryAfterMs (or a default) and returns BullMQ's RateLimitError", async () => {
    const rateLimit = vi.fn(async () => {});
    const mapped = await mapProcessorError(new AppError("rate_limited", "slow down", { retryAfterMs: 1234 }), { rateLimit });
    expect(rateLimit).toHaveBeenCalledWith(1234);
    expect(mapped.message).toBe(RATE_LIMIT_ERROR);
    await mapProcessorError(new AppError("rate_limited", "slow down"), { rateLimit });
    expect(rateLimit).toHaveBeenLastCalledWith(DEFAULT_RATE_LIMIT_MS);
  });

  it("passes retryable errors through unchanged", async () => {
    const error = new AppError("unavailable", "engine down");
    expect(await mapProcessorError(error, noRateLimit)).toBe(error);
  });
});

describe("toBullProcessor", () => {
  const deps = { logger: pino({ level: "silent" }) } as unknown as ProcessorDeps;
  const job = (name: string, data: unknown) => ({ name, data, id: "1", attemptsMade: 0 }) as unknown as Job;

  it("parses the data and calls the processor with it", async () => {
    const runReorder = vi.fn(async () => "ok");
    const run = toBullProcessor("reorder", { "run-reorder": runReorder }, deps, noRateLimit);
    await expect(run(job("run-reorder", { shopId: "s1", trigger: "MANUAL" }))).resolves.toBe("ok");
    expect(runReorder).toHaveBeenCalledWith({ shopId: "s1", trigger: "MANUAL" }, expect.objectContaining({ logger: expect.anything() }));
  });

  it("fails unrecoverably for bad data, unknown jobs and jobs without a processor", async () => {
    const run = toBullProcessor("reorder", { "run-reorder": async () => "ok" }, deps, noRateLimit);
    await expect(run(job("run-reorder", { shopId: "s1" }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(job("pull-orders", {}))).rejects.toBeInstanceOf(UnrecoverableError);
    const empty = toBullProcessor("reorder", {}, deps, noRateLimit);
    await expect(empty(job("run-reorder", { shopId: "s1", trigger: "MANUAL" }))).rejects.toThrow(/no processor/);
  });
});

import { describe, expect, it } from "vitest";
import { jobId, jobSchemas, parseJobData, QUEUE_NAMES, queueConcurrency, queueJobOptions, isJobName } from "./queues.ts";

describe("job catalogue", () => {
  it("names every queue of the product with kebab-case queue and job names", () => {
    expect(QUEUE_NAMES).toEqual(["reorder", "channel-sync", "webhooks", "purchasing", "notifications", "back-in-stock", "reports"]);
    for (const queue of QUEUE_NAMES) {
      expect(queue).toMatch(/^[a-z]+(-[a-z]+)*$/);
      for (const name of Object.keys(jobSchemas[queue])) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(queueConcurrency[queue]).toBeGreaterThan(0);
      expect(queueJobOptions[queue].attempts).toBeGreaterThan(1);
    }
    expect(Object.keys(jobSchemas["channel-sync"]).sort()).toEqual(["pull-orders", "pull-stock", "push-stock", "reconcile", "refresh-order"]);
  });

  it("parses valid data and applies defaults", () => {
    expect(parseJobData("reorder", "run-reorder", { shopId: "shop1", trigger: "NIGHTLY" })).toEqual({ shopId: "shop1", trigger: "NIGHTLY" });
    expect(parseJobData("purchasing", "dispatch-po", { shopId: "s", purchaseOrderId: "po" })).toEqual({ shopId: "s", purchaseOrderId: "po", step: "render" });
  });

  it("rejects unknown fields, so nothing but ids and scalars reaches Redis", () => {
    expect(() => parseJobData("webhooks", "process-webhook", { webhookEventId: "e1", accessToken: "shpat_x" })).toThrow();
  });

  it("rejects malformed ids and triggers", () => {
    expect(() => parseJobData("reorder", "run-reorder", { shopId: "a:b", trigger: "NIGHTLY" })).toThrow();
    expect(() => parseJobData("reorder", "run-reorder", { shopId: "a", trigger: "HOURLY" })).toThrow();
    expect(() => parseJobData("reorder", "run-reorder", { shopId: "a", trigger: "MANUAL", skuIds: [] })).toThrow();
  });

  it("refuses an unknown job name", () => {
    expect(isJobName("reorder", "run-reorder")).toBe(true);
    expect(isJobName("reorder", "pull-orders")).toBe(false);
    expect(() => parseJobData("reorder", "nope" as "run-reorder", {})).toThrow(/Unknown job/);
  });
});

describe("jobId", () => {
  it("builds kind-shop-key ids", () => {
    expect(jobId("webhook", "shop1", "evt-42")).toBe("webhook-shop1-evt-42");
    expect(jobId("push-stock", "shop1", 7)).toBe("push-stock-shop1-7");
  });

  it("refuses colons and empty parts", () => {
    expect(() => jobId("webhook", "shop1", "2024-01-01T00:00")).toThrow(/":"/);
    expect(() => jobId("webhook", "", "x")).toThrow(/empty/);
  });
});

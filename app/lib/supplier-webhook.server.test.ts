import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postSignedWebhook, signWebhookBody, verifyWebhookSignature } from "./supplier-webhook.server.ts";

const SECRET = "supplier-shared-secret-0123456789";
const BODY = JSON.stringify({ purchaseOrder: { number: "PO-2026-0001", total: "10.00" } });
const T = 1_772_697_600; // 2026-03-05T08:00:00Z

describe("PO webhook signature", () => {
  it("is HMAC-SHA256 over `t.body`, hex, in the documented header format", () => {
    const header = signWebhookBody(SECRET, BODY, T);
    expect(header).toMatch(/^t=1772697600,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, BODY, header, T)).toBe(true);
  });

  it("refuses a changed body, another secret, a shifted timestamp, a stale replay and junk", () => {
    const header = signWebhookBody(SECRET, BODY, T);
    expect(verifyWebhookSignature(SECRET, BODY.replace("10.00", "1.00"), header, T)).toBe(false);
    expect(verifyWebhookSignature("another-secret-0123456789", BODY, header, T)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, header.replace(`t=${T}`, `t=${T + 1}`), T)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, header, T + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, header, T + 300)).toBe(true);
    for (const junk of [null, "", "t=abc,v1=zz", `t=${T}`, `v1=${"0".repeat(64)}`]) expect(verifyWebhookSignature(SECRET, BODY, junk, T)).toBe(false);
  });
});

describe("postSignedWebhook", () => {
  let url: string;
  const answers: number[] = [];
  let seen = 0;
  const server = createServer((req, res) => {
    seen += 1;
    req.resume();
    req.on("end", () => res.writeHead(answers.shift() ?? 200).end());
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/po`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const delivery = () => ({ url, secret: SECRET, event: "purchase_order.sent", deliveryId: "po1-1", payload: { a: 1 }, now: new Date(T * 1000) });

  it("retries 429/5xx within the call and reports the attempts", async () => {
    seen = 0;
    answers.push(429, 502);
    expect(await postSignedWebhook(delivery(), { delayMs: 0 })).toEqual({ status: 200, attempts: 3 });
    expect(seen).toBe(3);
  });

  it("gives up as 'unavailable' after the attempts, and as 'invalid' at once on a 4xx", async () => {
    seen = 0;
    answers.push(500, 500);
    await expect(postSignedWebhook(delivery(), { delayMs: 0, attempts: 2 })).rejects.toMatchObject({ kind: "unavailable" });
    expect(seen).toBe(2);
    answers.push(404);
    await expect(postSignedWebhook(delivery(), { delayMs: 0 })).rejects.toMatchObject({ kind: "invalid", message: "The supplier's endpoint refused the purchase order (HTTP 404)" });
    expect(seen).toBe(3);
  });
});

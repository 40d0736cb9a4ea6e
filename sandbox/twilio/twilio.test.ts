import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmsClient } from "#app/lib/sms.server.ts";
import { startTwilioSandbox, type TwilioSandbox } from "./index.ts";

// The SMS client against the fake: the wire shapes both sides agree on, and how each failure is classified.
let twilio: TwilioSandbox;
beforeAll(async () => {
  twilio = await startTwilioSandbox();
});
afterAll(() => twilio.close());

const client = (overrides: { authToken?: string } = {}) =>
  createSmsClient({ apiBase: twilio.origin, accountSid: twilio.accountSid, authToken: overrides.authToken ?? twilio.authToken, from: "+15005550006" });

describe("Twilio-compatible SMS", () => {
  it("creates a message and returns its sid", async () => {
    const sent = await client().sendSms({ to: "+447700900123", body: "Hello" });
    expect(sent.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages.at(-1)).toMatchObject({ sid: sent.messageId, to: "+447700900123", from: "+15005550006", body: "Hello" });
  });

  it("classifies failures: bad credentials and invalid numbers are permanent, 5xx retryable, 429 rate limited", async () => {
    await expect(client({ authToken: "wrong" }).sendSms({ to: "+447700900123", body: "x" })).rejects.toMatchObject({ permanent: true, providerCode: "20003" });
    await expect(client().sendSms({ to: "0044 7700", body: "x" })).rejects.toMatchObject({ permanent: true, providerCode: "21211", kind: "invalid" });
    twilio.faults.inject("server_error");
    await expect(client().sendSms({ to: "+447700900123", body: "x" })).rejects.toMatchObject({ permanent: false, kind: "unavailable" });
    twilio.faults.inject("throttle");
    await expect(client().sendSms({ to: "+447700900123", body: "x" })).rejects.toMatchObject({ permanent: false, kind: "rate_limited", retryAfterMs: 1000 });
  });

  it("treats an unreachable API as retryable", async () => {
    const dead = createSmsClient({ apiBase: "http://127.0.0.1:1", accountSid: "AC1", authToken: "t", from: "+15005550006", timeoutMs: 2_000 });
    await expect(dead.sendSms({ to: "+447700900123", body: "x" })).rejects.toMatchObject({ permanent: false, kind: "unavailable" });
  });
});

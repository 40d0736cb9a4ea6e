import { describe, expect, it } from "vitest";
import { readableChannelError } from "./error-text.ts";

describe("readableChannelError", () => {
  it("says what the kind means and keeps the channel's detail in brackets, without the raw kind prefix", () => {
    expect(readableChannelError("Amazon", "unavailable: Amazon answered 503")).toBe("Amazon could not be reached; the sync retries on its own (Amazon answered 503)");
    expect(readableChannelError("eBay", "auth: auth: token revoked.")).toBe("eBay refused our sign-in: reconnect it on the Channels page (token revoked)");
  });

  it("reads an old missing-session error as an unfinished install, not a failure", () => {
    expect(readableChannelError("Shopify", "auth: No Shopify session for demo-shop.myshopify.com: Could not find a session for shop demo-shop.myshopify.com")).toBe(
      "Shopify is not connected yet: the shop has not finished installing the app",
    );
  });

  it("shortens long details to their first line", () => {
    const text = readableChannelError("Shopify", `invalid: ${"x".repeat(500)}\n    at stack (file.ts:1:1)`);
    expect(text.startsWith("Shopify refused a request as invalid (")).toBe(true);
    expect(text).not.toContain("at stack");
    expect(text.length).toBeLessThan(260);
  });

  it("leaves a message without a kind as it is, after the channel's name", () => {
    expect(readableChannelError("eBay", "Listing 12 was ended")).toBe("eBay: Listing 12 was ended");
  });
});

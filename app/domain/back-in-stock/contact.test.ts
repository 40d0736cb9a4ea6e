import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizePhone } from "./contact.ts";

describe("normalizeEmail", () => {
  it("lower-cases and trims a valid address", () => {
    expect(normalizeEmail("  Ada.Lovelace+shop@Example.CO.uk ")).toEqual({ ok: true, type: "EMAIL", contact: "ada.lovelace+shop@example.co.uk" });
  });

  it.each(["", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "ada @example.com", "ada@exa_mple.com", ".ada@example.com", "a..b@example.com", "<a@b.com>"])(
    "rejects %j with a message",
    (value) => {
      const result = normalizeEmail(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/email/i);
    },
  );
});

describe("normalizePhone", () => {
  it("accepts E.164 with separators and strips them", () => {
    expect(normalizePhone("+1 (415) 555-0123")).toEqual({ ok: true, type: "SMS", contact: "+14155550123" });
  });

  it.each(["", "4155550123", "+0123456789", "+1234", "+1234567890123456", "+1415555012a"])("rejects %j", (value) => {
    expect(normalizePhone(value).ok).toBe(false);
  });
});

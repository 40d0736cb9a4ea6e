import { describe, expect, it } from "vitest";
import { addToCartUrl, etaChangeSentence, formatPrice, humanSpan, restockAudienceSize, restockEmail, whenWeSaid } from "./messages.ts";

const DAY = 86_400_000;
const now = new Date("2026-03-20T12:00:00Z");

describe("ETA change wording", () => {
  it("says when we said it and what we said, in the words of the seed example", () => {
    const saidAt = new Date(now.getTime() - 7 * DAY);
    expect(etaChangeSentence({ saidAt, previousEta: new Date(saidAt.getTime() + 14 * DAY), newEta: new Date("2026-04-03T00:00:00Z"), now })).toBe(
      "Last week we said 2 weeks, now we expect April 3.",
    );
  });

  it("scales the phrases", () => {
    expect(whenWeSaid(now, now)).toBe("Earlier today");
    expect(whenWeSaid(new Date(now.getTime() - DAY), now)).toBe("Yesterday");
    expect(whenWeSaid(new Date(now.getTime() - 3 * DAY), now)).toBe("3 days ago");
    expect(whenWeSaid(new Date(now.getTime() - 20 * DAY), now)).toBe("2 weeks ago");
    expect(whenWeSaid(new Date(now.getTime() - 40 * DAY), now)).toBe("Last month");
    expect(humanSpan(now, new Date(now.getTime() + 1 * DAY))).toBe("1 day");
    expect(humanSpan(now, new Date(now.getTime() + 8 * DAY))).toBe("1 week");
    expect(humanSpan(now, new Date(now.getTime() + 30 * DAY))).toBe("about a month");
    expect(humanSpan(now, new Date(now.getTime() + 90 * DAY))).toBe("3 months");
  });
});

describe("restock audience", () => {
  it("is everyone without a ratio, else ratio × units (at least one), first come first served", () => {
    expect(restockAudienceSize(50, 3, null)).toBe(50);
    expect(restockAudienceSize(50, 3, 2)).toBe(6);
    expect(restockAudienceSize(4, 3, 2)).toBe(4);
    expect(restockAudienceSize(10, 1, 0.5)).toBe(1);
    expect(restockAudienceSize(10, 0, null)).toBe(0);
  });
});

describe("restock email", () => {
  it("escapes merchant text and carries image, price, cart and unsubscribe links", () => {
    const email = restockEmail(
      { name: 'Mug "Deluxe" <b>', imageUrl: "https://cdn.test/m.jpg", price: formatPrice("12.5", "EUR"), productUrl: "https://s.test/variants/1", addToCartUrl: addToCartUrl("s.test", "gid://shopify/ProductVariant/1") },
      { shopName: "A & B", unsubscribeUrl: "https://app.test/bis/unsubscribe/t" },
    );
    expect(email.subject).toBe('Back in stock: Mug "Deluxe" <b>');
    expect(email.html).toContain("Mug &quot;Deluxe&quot; &lt;b&gt;");
    expect(email.html).not.toContain("<b>");
    expect(email.html).toContain("€12.50");
    expect(email.text).toContain("https://s.test/cart/1:1");
    expect(email.html).toContain('href="https://app.test/bis/unsubscribe/t"');
  });
});

import { describe, expect, it } from "vitest";
import { adminPageTitle } from "./admin-navigation.ts";

describe("adminPageTitle", () => {
  it("names each admin page after its section, including detail pages below it", () => {
    expect(adminPageTitle("/app")).toBe("Dashboard · Replenish");
    expect(adminPageTitle("/app/products")).toBe("Products · Replenish");
    expect(adminPageTitle("/app/products/sku_123")).toBe("Products · Replenish");
    expect(adminPageTitle("/app/purchase-orders/po_1/negotiation")).toBe("Purchase orders · Replenish");
    expect(adminPageTitle("/app/transfers/")).toBe("Transfers · Replenish");
    expect(adminPageTitle("/app/write-offs")).toBe("Replenish");
    expect(adminPageTitle("/app/products/nope", true)).toBe("Page not found · Replenish");
  });
});

import { describe, expect, it } from "vitest";
import { chooseSupplier } from "./choose-supplier.ts";
import { consolidatePurchaseOrders } from "./consolidate.ts";
import { detectLineAnomalies } from "./anomalies.ts";
import { proposeTransfers } from "./transfers.ts";

describe("chooseSupplier", () => {
  it("scores 40/30/20/10 and keeps the breakdown", () => {
    const r = chooseSupplier(
      [
        { supplierId: "cheap", unitPrice: 8000, leadTimeReliability: 0.5, defectRate: 0.05, moq: 0, disputeOpen: false },
        { supplierId: "reliable", unitPrice: 10000, leadTimeReliability: 1, defectRate: 0, moq: 100, disputeOpen: false },
      ],
      50,
    );
    expect(r.scores[0]?.total).toBeCloseTo(0.4 * 1 + 0.3 * 0.5 + 0.2 * 0.5 + 0.1 * 1, 12); // 0.75
    expect(r.scores[1]?.total).toBeCloseTo(0.4 * 0.8 + 0.3 * 1 + 0.2 * 1 + 0.1 * 0.5, 12); // 0.87
    expect(r.chosen?.supplierId).toBe("reliable");
  });
  it("avoids a supplier in dispute unless it is the only one", () => {
    const a = { supplierId: "a", unitPrice: 1, leadTimeReliability: 1, defectRate: 0, moq: 0, disputeOpen: true };
    const b = { supplierId: "b", unitPrice: 2, leadTimeReliability: 0, defectRate: 0.1, moq: 0, disputeOpen: false };
    expect(chooseSupplier([a, b], 1).chosen?.supplierId).toBe("b");
    expect(chooseSupplier([a], 1).chosen?.supplierId).toBe("a");
  });
});

describe("consolidatePurchaseOrders", () => {
  const line = (skuId: string, supplierId: string, lineTotal: number, stockOutDate: string | null) => ({ skuId, locationId: "L", supplierId, quantity: 1, lineTotal, stockOutDate, flags: [] });
  const opts = { asOf: "2024-03-01", nextRunOn: "2024-03-02", approvalThreshold: 100000, currency: "USD" };
  it("makes one PO per supplier, waits under order_min unless a SKU stocks out before the next run", () => {
    const pos = consolidatePurchaseOrders(
      [line("x", "S1", 3000, "2024-03-20"), line("y", "S1", 1000, null), line("z", "S2", 2000, "2024-03-01")],
      [
        { supplierId: "S1", orderMin: 5000, orderMax: null, orderAlert: null, autoSend: true, disputeOpen: false },
        { supplierId: "S2", orderMin: 5000, orderMax: null, orderAlert: null, autoSend: true, disputeOpen: false },
      ],
      opts,
    );
    expect(pos.map((p) => [p.supplierId, p.status, p.total, p.autoSend])).toEqual([
      ["S1", "waiting", 4000, false],
      ["S2", "proposed", 2000, true],
    ]);
  });
  it("defers the least urgent lines over order_max and flags order_alert and approval", () => {
    const [po] = consolidatePurchaseOrders(
      [line("late", "S", 60000, "2024-06-01"), line("soon", "S", 90000, "2024-03-05"), line("mid", "S", 30000, "2024-04-01")],
      [{ supplierId: "S", orderMin: 0, orderMax: 125000, orderAlert: 100000, autoSend: true, disputeOpen: false }],
      opts,
    );
    expect(po?.lines.map((l) => l.skuId)).toEqual(["soon", "mid"]);
    expect(po?.deferredLines.map((l) => l.skuId)).toEqual(["late"]);
    expect(po?.total).toBe(120000);
    expect(po?.flags.map((f) => f.code)).toEqual(["po_over_approval_threshold", "order_alert"]);
    expect(po?.autoSend).toBe(false);
  });
});

describe("detectLineAnomalies", () => {
  it("raises every validation flag", () => {
    const flags = detectLineAnomalies({
      quantity: 500, typicalPurchaseQuantity: 200, position: 90, reorderPoint: 100, largestRecentOrder: 40,
      supplierDisputeOpen: true, status: "discontinued", leadTimeFromHistory: false, minReceivedOrders: 8,
      marginPct: 10, marginThreshold: 15, lowData: true,
    });
    expect(flags.map((f) => f.code)).toEqual(["quantity_over_typical", "bulk_order_trigger", "supplier_dispute", "product_not_active", "insufficient_lead_time_history", "low_margin", "low_data"]);
  });
  it("raises nothing for a normal line", () => {
    expect(detectLineAnomalies({ quantity: 100, typicalPurchaseQuantity: 80, position: 50, reorderPoint: 100, largestRecentOrder: 10, supplierDisputeOpen: false, status: "active", leadTimeFromHistory: true, minReceivedOrders: 8, marginPct: 40, marginThreshold: 15, lowData: false })).toEqual([]);
  });
});

describe("proposeTransfers", () => {
  it("moves stock above a donor's target to a short location when faster than buying", () => {
    const locs = [
      { locationId: "east", onHand: 500, position: 500, reorderPoint: 100, target: 200 },
      { locationId: "west", onHand: 20, position: 20, reorderPoint: 100, target: 200 },
    ];
    expect(proposeTransfers(locs, { transferLeadTimeDays: 3, supplierLeadTimeDays: 20 })).toEqual([{ fromLocationId: "east", toLocationId: "west", quantity: 180 }]);
    expect(proposeTransfers(locs, { transferLeadTimeDays: 30, supplierLeadTimeDays: 20 })).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { decideApproval, DEFAULT_APPROVAL_THRESHOLD, type ApprovalPolicy, type ProposedPurchaseOrder } from "./approval-policy.ts";

const policy = (overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({ mode: "EXCEPTIONS_ONLY", currency: "USD", ...overrides });
const proposal = (overrides: Partial<ProposedPurchaseOrder> = {}): ProposedPurchaseOrder => ({
  supplierId: "sup-1",
  total: 150_000,
  currency: "USD",
  flags: [],
  lineAbcClasses: ["A", "B"],
  ...overrides,
});
const manual = { autoSend: false };

describe("decideApproval", () => {
  it("REVIEW_ALL sends every PO to a person, even a clean small one", () => {
    const d = decideApproval(policy({ mode: "REVIEW_ALL" }), proposal({ total: 1_000 }), manual);
    expect(d).toEqual({ decision: "needs-review", send: "manual", reasons: ["the shop reviews every PO"] });
  });

  it("EXCEPTIONS_ONLY auto-approves a clean PO within the threshold and reviews a flagged one", () => {
    expect(decideApproval(policy(), proposal(), manual).decision).toBe("auto-approve");
    const flagged = decideApproval(policy(), proposal({ flags: ["low_data"] }), manual);
    expect(flagged.decision).toBe("needs-review");
    expect(flagged.reasons).toEqual(["flagged by the engine: low_data"]);
  });

  it("the threshold defaults to 2,000 and is inclusive; above it a person approves in every mode", () => {
    expect(DEFAULT_APPROVAL_THRESHOLD).toBe(200_000);
    expect(decideApproval(policy({ mode: "AUTONOMOUS" }), proposal({ total: 200_000 }), manual).decision).toBe("auto-approve");
    for (const mode of ["EXCEPTIONS_ONLY", "AUTONOMOUS"] as const) {
      const d = decideApproval(policy({ mode }), proposal({ total: 200_001 }), manual);
      expect(d.decision).toBe("needs-review");
      expect(d.reasons).toEqual(["value $2,000.01 is above the approval threshold $2,000.00"]);
    }
    const custom = decideApproval(policy({ threshold: 50_000 }), proposal({ total: 60_000 }), manual);
    expect(custom.reasons).toEqual(["value $600.00 is above the approval threshold $500.00"]);
  });

  it("a PO in another currency than the shop's goes to a person (no rate to compare with)", () => {
    const d = decideApproval(policy({ mode: "AUTONOMOUS" }), proposal({ currency: "EUR", total: 100 }), manual);
    expect(d.decision).toBe("needs-review");
    expect(d.reasons[0]).toContain("EUR");
  });

  it("AUTONOMOUS reviews every flagged PO, the thin-data flags included: flagged is never auto-sent", () => {
    const blocking = decideApproval(policy({ mode: "AUTONOMOUS" }), proposal({ flags: ["bulk_order_trigger", "low_data"] }), { autoSend: true });
    expect(blocking).toMatchObject({ decision: "needs-review", reasons: ["flagged by the engine: bulk_order_trigger, low_data"] });
    const unknown = decideApproval(policy({ mode: "AUTONOMOUS" }), proposal({ flags: ["something_new"] }), manual);
    expect(unknown.decision).toBe("needs-review");
    const thinData = decideApproval(policy({ mode: "AUTONOMOUS" }), proposal({ flags: ["low_data", "insufficient_lead_time_history"] }), { autoSend: true });
    expect(thinData).toMatchObject({ decision: "needs-review", reasons: ["flagged by the engine: low_data, insufficient_lead_time_history"] });
  });

  it("scoped autonomy: listed suppliers or all-lines-in-class POs skip review, the rest are reviewed", () => {
    const byClass = policy({ mode: "AUTONOMOUS", autonomousScope: { abcClasses: ["A"] } });
    expect(decideApproval(byClass, proposal({ lineAbcClasses: ["A", "A"] }), manual).decision).toBe("auto-approve");
    expect(decideApproval(byClass, proposal({ lineAbcClasses: ["A", "B"] }), manual)).toMatchObject({
      decision: "needs-review",
      reasons: ["outside the shop's autonomous scope (supplier or ABC classes)"],
    });
    expect(decideApproval(byClass, proposal({ lineAbcClasses: ["A", null] }), manual).decision).toBe("needs-review");
    expect(decideApproval(byClass, proposal({ lineAbcClasses: [] }), manual).decision).toBe("needs-review");

    const bySupplier = policy({ mode: "AUTONOMOUS", autonomousScope: { supplierIds: ["sup-9"] } });
    expect(decideApproval(bySupplier, proposal({ supplierId: "sup-9", lineAbcClasses: ["C"] }), manual).decision).toBe("auto-approve");
    expect(decideApproval(bySupplier, proposal({ supplierId: "sup-1" }), manual).decision).toBe("needs-review");

    const both = policy({ mode: "AUTONOMOUS", autonomousScope: { abcClasses: ["A"], supplierIds: ["sup-9"] } });
    expect(decideApproval(both, proposal({ supplierId: "sup-2", lineAbcClasses: ["A"] }), manual).decision).toBe("auto-approve");
    expect(decideApproval(both, proposal({ supplierId: "sup-9", lineAbcClasses: ["C"] }), manual).decision).toBe("auto-approve");

    // An empty scope is no restriction.
    expect(decideApproval(policy({ mode: "AUTONOMOUS", autonomousScope: { abcClasses: [], supplierIds: [] } }), proposal(), manual).decision).toBe("auto-approve");
  });

  it("scope does not matter outside AUTONOMOUS", () => {
    const d = decideApproval(policy({ mode: "EXCEPTIONS_ONLY", autonomousScope: { abcClasses: ["A"] } }), proposal({ lineAbcClasses: ["C"] }), manual);
    expect(d.decision).toBe("auto-approve");
  });

  it("lists every reason that applies", () => {
    const d = decideApproval(policy({ mode: "AUTONOMOUS", autonomousScope: { supplierIds: ["x"] } }), proposal({ total: 300_000, flags: ["supplier_dispute"] }), manual);
    expect(d.reasons).toHaveLength(3);
  });

  it("send follows the supplier's auto-send flag, whoever approves", () => {
    expect(decideApproval(policy(), proposal(), { autoSend: true })).toMatchObject({ decision: "auto-approve", send: "auto" });
    expect(decideApproval(policy({ mode: "REVIEW_ALL" }), proposal(), { autoSend: true })).toMatchObject({ decision: "needs-review", send: "auto" });
    expect(decideApproval(policy(), proposal(), manual).send).toBe("manual");
  });
});

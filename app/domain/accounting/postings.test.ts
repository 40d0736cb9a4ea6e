import { describe, expect, it } from "vitest";
import {
  accountBalances,
  assertBalanced,
  depositAmount,
  depositToApply,
  monthPeriod,
  paymentDueDate,
  periodOf,
  postPayable,
  postPayment,
  postReceipt,
  postWriteOff,
  reverseEntry,
  type EntryDraft,
} from "./postings.ts";

const sums = (e: EntryDraft | null) => {
  if (!e) throw new Error("no entry");
  return e.lines.map((l) => [l.account, l.debit, l.credit]);
};

describe("posting rules", () => {
  it("books a receipt at cost against goods received not invoiced", () => {
    expect(sums(postReceipt("r", 12_550, "PO-1"))).toEqual([["INVENTORY", 12_550, 0], ["GRNI", 0, 12_550]]);
    expect(postReceipt("r", 0, "nothing")).toBeNull();
  });

  it("turns the receipt into a payable, minus the deposit already prepaid", () => {
    expect(sums(postPayable("p", 10_000, 0, "m"))).toEqual([["GRNI", 10_000, 0], ["ACCOUNTS_PAYABLE", 0, 10_000]]);
    expect(sums(postPayable("p", 10_000, 4_000, "m"))).toEqual([["GRNI", 10_000, 0], ["ACCOUNTS_PAYABLE", 0, 6_000], ["SUPPLIER_DEPOSITS", 0, 4_000]]);
    // A deposit larger than the receipt covers it all and never over-credits.
    expect(sums(postPayable("p", 3_000, 4_000, "m"))).toEqual([["GRNI", 3_000, 0], ["SUPPLIER_DEPOSITS", 0, 3_000]]);
  });

  it("pays deposits into prepaid and balances out of payables", () => {
    expect(sums(postPayment("d", "DEPOSIT", 5_000, "m"))).toEqual([["SUPPLIER_DEPOSITS", 5_000, 0], ["CASH", 0, 5_000]]);
    expect(sums(postPayment("b", "BALANCE", 5_000, "m"))).toEqual([["ACCOUNTS_PAYABLE", 5_000, 0], ["CASH", 0, 5_000]]);
  });

  it("writes shrinkage off against inventory", () => {
    expect(sums(postWriteOff("w", 750, "m"))).toEqual([["INVENTORY_WRITE_OFFS", 750, 0], ["INVENTORY", 0, 750]]);
  });

  it("reverses an entry by swapping sides, so the pair nets to zero on every account", () => {
    const original = postPayable("p", 10_000, 4_000, "m");
    if (!original) throw new Error("no entry");
    const reversal = reverseEntry("p:rev", original);
    expect(reversal.memo).toBe("Reversal of: m");
    const net = accountBalances([...original.lines, ...reversal.lines]);
    expect([...net.values()].every((v) => v === 0)).toBe(true);
  });

  it("a 50% deposit, two receipts and both payments leave only inventory on the books, paid in cash", () => {
    const deposit = depositAmount(20_000, 0.5);
    expect(deposit).toBe(10_000);
    const firstApplied = depositToApply(deposit, 0, 8_000);
    const secondApplied = depositToApply(deposit, firstApplied, 12_000);
    expect([firstApplied, secondApplied]).toEqual([8_000, 2_000]);
    const entries = [
      postPayment("d", "DEPOSIT", deposit, "deposit"),
      postReceipt("r1", 8_000, "r1"),
      postPayable("p1", 8_000, firstApplied, "p1"),
      postReceipt("r2", 12_000, "r2"),
      postPayable("p2", 12_000, secondApplied, "p2"),
      postPayment("b2", "BALANCE", 12_000 - secondApplied, "balance"),
    ];
    const balances = accountBalances(entries.flatMap((e) => e?.lines ?? []));
    expect(Object.fromEntries(balances)).toEqual({ SUPPLIER_DEPOSITS: 0, CASH: -20_000, INVENTORY: 20_000, GRNI: 0, ACCOUNTS_PAYABLE: 0 });
  });

  it("refuses an unbalanced or negative entry", () => {
    expect(() => assertBalanced({ key: "x", memo: "m", lines: [{ account: "CASH", debit: 1, credit: 0 }] })).toThrow(/does not balance/);
    expect(() => assertBalanced({ key: "x", memo: "m", lines: [{ account: "CASH", debit: -1, credit: -1 }] })).toThrow(/≥ 0/);
  });
});

describe("dates and periods", () => {
  it("puts the due date the payment terms after the receipt's day", () => {
    expect(paymentDueDate(new Date("2026-03-30T22:15:00Z"), 30).toISOString()).toBe("2026-04-29T00:00:00.000Z");
    expect(paymentDueDate(new Date("2026-03-30T22:15:00Z"), 0).toISOString()).toBe("2026-03-30T00:00:00.000Z");
  });

  it("reads a month period and names the month of an instant", () => {
    expect(monthPeriod("2026-12")).toEqual({ from: new Date("2026-12-01T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") });
    expect(monthPeriod("2026-13")).toBeNull();
    expect(monthPeriod("26-1")).toBeNull();
    expect(periodOf(new Date("2026-02-28T23:59:59Z"))).toBe("2026-02");
  });
});

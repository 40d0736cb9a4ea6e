// `npm run plan` end to end: the CLI runs in its own process on the fixtures (real order lines of six
// products from the UCI log, plus deliberately bad rows), and we check the plan file, the summary and
// every reported bad row with its line number.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "#app/lib/csv.ts";
import { repoRoot } from "#tests/setup/infra.ts";
import { runScript } from "../../support/run-script.ts";

const fixtures = join(repoRoot, "tests/fixtures/plan-cli");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "replenish-plan-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runPlan = (args: string[]) => runScript("scripts/plan.ts", args);

const fixtureArgs = (out: string, extra: string[] = []) => [
  "--sales", join(fixtures, "sales.csv"), "--stock", join(fixtures, "stock.csv"), "--suppliers", join(fixtures, "suppliers.csv"), "--out", out, ...extra,
];

type PlanRow = Record<string, string>;

async function readPlan(path: string): Promise<PlanRow[]> {
  const text = await readFile(path, "utf8");
  const header = (text.split("\n")[0] ?? "").split(",");
  return readCsv(text, header.map((name) => ({ name, required: true })), (r) => ({ ok: true, value: { ...r } })).rows.map((r) => r.value);
}

describe("npm run plan", () => {
  it("plans every SKU of the stock file, one row each, and prints a PO per supplier", async () => {
    const out = join(dir, "plan.csv");
    const { code, stdout, stderr } = await runPlan(fixtureArgs(out, ["--as-of", "2011-12-10", "--currency", "GBP"]));
    expect(code, stderr).toBe(0);

    const rows = await readPlan(out);
    expect(rows.map((r) => r.sku)).toEqual(["22131", "22460", "22567", "23029", "23228", "23546", "GIFT-BOX"]);
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([
        "sku", "supplier", "order_quantity", "unit_cost", "line_total", "reorder_point", "target", "position", "on_hand",
        "daily_forecast", "days_left", "stock_out_date", "abc_class", "flags", "explanation",
      ]);
      expect(row.explanation).toContain(row.sku);
    }
    // 22131 is held at two locations (0 + 30): planned once on the sum.
    expect(bySku.get("22131")).toMatchObject({ supplier: "Northwind Trading", on_hand: "30" });
    // Orders respect the offer's MOQ and case pack.
    const packs: Record<string, { moq: number; pack: number }> = { "22131": { moq: 6, pack: 3 }, "22460": { moq: 100, pack: 50 }, "23029": { moq: 12, pack: 6 } };
    for (const [sku, { moq, pack }] of Object.entries(packs)) {
      const quantity = Number(bySku.get(sku)?.order_quantity);
      if (quantity > 0) {
        expect(quantity).toBeGreaterThanOrEqual(moq);
        expect(quantity % pack).toBe(0);
      }
    }
    // Line total = quantity × unit cost.
    for (const row of rows.filter((r) => Number(r.order_quantity) > 0)) {
      expect(Number(row.line_total)).toBeCloseTo(Number(row.order_quantity) * Number(row.unit_cost), 2);
    }
    // A discontinued product is never reordered; a SKU nobody supplies has no supplier.
    expect(bySku.get("23228")).toMatchObject({ order_quantity: "0" });
    expect(bySku.get("GIFT-BOX")).toMatchObject({ supplier: "", order_quantity: "0" });
    // Two suppliers offer 22567: the cheaper, equally flexible one wins.
    expect(bySku.get("22567")?.supplier).toBe("Northwind Trading");
    // No PO history in exports: lead times are the quoted ones, and the plan says so.
    expect(rows.filter((r) => Number(r.order_quantity) > 0).every((r) => r.flags?.includes("insufficient_lead_time_history"))).toBe(true);

    expect(stdout).toContain("Replenishment plan as of 2011-12-10");
    expect(stdout).toContain("sales.csv: 485 rows, 480 used, 5 skipped");
    expect(stdout).toContain("stock.csv: 11 rows, 8 used, 3 skipped");
    expect(stdout).toContain("suppliers.csv: 12 rows, 8 used, 4 skipped");
    expect(stdout).toContain("5 sales lines with a negative quantity");
    expect(stdout).toMatch(/Northwind Trading\s+proposed\s+\d+\s+\d+\s+£[\d,]+\.\d\d/);
    expect(stdout).toMatch(/Harbor Supply\s+proposed/);
  });

  it("reports every bad row on stderr with its file and line, and skips it", async () => {
    const { code, stderr } = await runPlan(fixtureArgs(join(dir, "plan-errors.csv"), ["--as-of", "2011-12-10"]));
    expect(code).toBe(0);
    expect(stderr.trim().split("\n").filter((l) => /^\w+\.csv:\d+:/.test(l))).toEqual([
      'sales.csv:482: date "2011-13-01" is not a calendar date',
      'sales.csv:483: quantity "abc" is not a number',
      "sales.csv:484: sku NOPE-1 is not in the stock file",
      "sales.csv:485: sku is empty",
      "sales.csv:486: has 5 cells, the header has 6",
      "stock.csv:10: sku 23228 at Main already appears on line 7",
      'stock.csv:11: on_hand "ten" is not a number',
      'stock.csv:12: status "retired" is not one of active, discontinued, seasonal, end_of_life',
      "suppliers.csv:9: moq 0 must be at least 1",
      "suppliers.csv:10: sku NOPE-2 is not in the stock file",
      "suppliers.csv:11: min_days must be at least 0",
      "suppliers.csv:12: Northwind Trading already offers sku 22567 on line 2",
      "suppliers.csv:13: warning: Northwind Trading: lead_time_days 30 differs from 14 on line 2; the first value is used",
    ]);
  });

  it("plans as of the day after the last sale when --as-of is not given, and refuses later sales", async () => {
    const out = join(dir, "plan-default.csv");
    const { code, stdout, stderr } = await runPlan(fixtureArgs(out));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("as of 2011-12-10");
    const early = await runPlan(fixtureArgs(join(dir, "plan-early.csv"), ["--as-of", "2011-12-01"]));
    expect(early.code).toBe(0);
    expect(early.stderr).toMatch(/sales\.csv:\d+: date 2011-12-0\d is not before --as-of 2011-12-01/);
  });

  it("stops with a clear message on a missing file, an unusable header or bad arguments", async () => {
    const missing = await runPlan(["--sales", join(dir, "nope.csv"), "--stock", "x", "--suppliers", "y", "--out", join(dir, "o.csv")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`plan: sales file ${join(dir, "nope.csv")} does not exist`);

    const badHeader = join(dir, "bad-stock.csv");
    await writeFile(badHeader, "sku,qty_on_hand,cost,price\nA,1,1,2\n");
    const header = await runPlan(["--sales", join(fixtures, "sales.csv"), "--stock", badHeader, "--suppliers", join(fixtures, "suppliers.csv"), "--out", join(dir, "o.csv")]);
    expect(header.code).toBe(1);
    expect(header.stderr).toContain("plan: stock file");
    expect(header.stderr).toContain("missing required column on_hand (header has: sku, qty_on_hand, cost, price)");

    // --out naming an input is refused before anything is written: the merchant's export stays as it was.
    const stockCopy = join(dir, "stock-copy.csv");
    await writeFile(stockCopy, await readFile(join(fixtures, "stock.csv")));
    const overwrite = await runPlan(["--sales", join(fixtures, "sales.csv"), "--stock", stockCopy, "--suppliers", join(fixtures, "suppliers.csv"), "--out", stockCopy]);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain(`plan: --out ${stockCopy} is the stock file`);
    expect(await readFile(stockCopy, "utf8")).toBe(await readFile(join(fixtures, "stock.csv"), "utf8"));

    const usage = await runPlan(["--sales", "a.csv"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--stock is required");
    expect(usage.stderr).toContain("usage: npm run plan --");
  });
});

// `npm run simulate` refuses bad input in its own process with a message and exit code 2: a scenario that
// names an order log that is not there used to end in an unhandled stream error (and, read from a test or
// the demo seed, a wait that never ended).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, type ScriptRun } from "../../support/run-script.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "replenish-simulate-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function simulate(scenario: unknown): Promise<ScriptRun> {
  const path = join(dir, `scenario-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(scenario));
  return runScript("scripts/simulate.ts", ["--scenario", path]);
}

describe("npm run simulate, bad input", () => {
  it("names an order log that is not there", async () => {
    const missing = join(dir, "no-such-log.csv.gz");
    const { code, stdout, stderr } = await simulate({ dataFile: missing, skuCount: 5 });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`cannot read the order log: ${missing}: no such file`);
  });

  it("names an order log that is not gzip", async () => {
    const plain = join(dir, "plain.csv.gz");
    await writeFile(plain, "InvoiceNo,StockCode\n1,A\n");
    const { code, stderr } = await simulate({ dataFile: plain, skuCount: 5 });
    expect(code).toBe(2);
    expect(stderr).toContain("cannot read the order log: incorrect header check");
  });

  it("refuses a warm-up that leaves the log too few days to simulate", async () => {
    // 40 days of orders: a 30-day warm-up would leave 10, and the run would print an empty table as figures.
    const log = join(dir, "forty-days.csv.gz");
    const rows = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
    for (let day = 0; day < 40; day++) {
      const date = new Date(Date.UTC(2010, 11, 1 + day)).toISOString().slice(0, 10);
      rows.push(`5${String(day).padStart(5, "0")},85123A,WHITE HANGING HEART,6,${date} 09:00:00,2.55,17850.0,United Kingdom`);
    }
    await writeFile(log, gzipSync(`${rows.join("\n")}\n`));
    const { code, stdout, stderr } = await simulate({ dataFile: log, warmupDays: 30, skuCount: 1, soldInLastDays: 5 });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("warmupDays: 30 leaves fewer than 30 days to simulate; the order log has 40 days, so use at most 10");
  });

  it("lists every invalid scenario field", async () => {
    const { code, stderr } = await simulate({ skuCount: "many", unmetDemand: "maybe" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid scenario:[\s\S]*skuCount[\s\S]*unmetDemand/);
  });
});

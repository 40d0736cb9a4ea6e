// `npm run simulate` refuses bad input in its own process with a message and exit code 2: a scenario that
// names an order log that is not there used to end in an unhandled stream error (and, read from a test or
// the demo seed, a wait that never ended).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("lists every invalid scenario field", async () => {
    const { code, stderr } = await simulate({ skuCount: "many", unmetDemand: "maybe" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid scenario:[\s\S]*skuCount[\s\S]*unmetDemand/);
  });
});

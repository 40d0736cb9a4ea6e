// `npm run simulate` refuses bad input in its own process with a message and exit code 2: a scenario that
// names an order log that is not there used to end in an unhandled stream error (and, read from a test or
// the demo seed, a wait that never ended).
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "#tests/setup/infra.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "replenish-simulate-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function simulate(scenario: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const path = join(dir, `scenario-${Math.random().toString(36).slice(2)}.json`);
    writeFile(path, JSON.stringify(scenario)).then(() => {
      const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "scripts/simulate.ts"), "--scenario", path], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    }, reject);
  });
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

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BLOCK_JS_BUDGET_BYTES, measureBlockSize } from "./check-block-size.ts";

describe("back-in-stock block size", () => {
  it("keeps the storefront JS within 5 KB gzipped", () => {
    const size = measureBlockSize();
    expect(size.gzipBytes).toBeGreaterThan(0);
    expect(size.gzipBytes, `back-in-stock.js is ${size.gzipBytes} B gzipped`).toBeLessThanOrEqual(BLOCK_JS_BUDGET_BYTES);
  });

  it("flags a file over budget", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bis-size-")), "big.js");
    writeFileSync(path, randomBytes(8 * 1024).toString("hex")); // incompressible enough to exceed 5 KB
    expect(measureBlockSize(path).withinBudget).toBe(false);
  });
});

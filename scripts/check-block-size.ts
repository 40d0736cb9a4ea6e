import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * The storefront block's JS budget (issue 6): at most 5 KB gzipped, because it loads on every product
 * page of a merchant's store. `npm run check:block-size` prints the size and exits 1 over budget; the
 * unit test beside this file runs the same check so `npm test` (and CI) enforces it.
 */
export const BLOCK_JS_BUDGET_BYTES = 5 * 1024;

export const BLOCK_JS_PATH = fileURLToPath(new URL("../extensions/back-in-stock/assets/back-in-stock.js", import.meta.url));

export type BlockSize = { path: string; rawBytes: number; gzipBytes: number; budgetBytes: number; withinBudget: boolean };

export function measureBlockSize(path: string = BLOCK_JS_PATH, budgetBytes: number = BLOCK_JS_BUDGET_BYTES): BlockSize {
  const source = readFileSync(path);
  // Level 9 is what CDNs typically serve for static assets; the default level differs by a few bytes only.
  const gzipBytes = gzipSync(source, { level: 9 }).length;
  return { path, rawBytes: source.length, gzipBytes, budgetBytes, withinBudget: gzipBytes <= budgetBytes };
}

function main(): void {
  const size = measureBlockSize();
  const line = `back-in-stock.js: ${size.gzipBytes} B gzipped (${size.rawBytes} B raw), budget ${size.budgetBytes} B`;
  if (!size.withinBudget) {
    console.error(`${line}: OVER BUDGET by ${size.gzipBytes - size.budgetBytes} B`);
    process.exit(1);
  }
  console.log(`${line}: ok`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

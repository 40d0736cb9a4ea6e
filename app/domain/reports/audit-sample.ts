/**
 * The audit sample (issue 7 item 7): `size` items drawn uniformly without replacement, reproducibly for a
 * seed (partial Fisher–Yates over the ids in sorted order), so a sample can be reopened and shown to an
 * auditor as it was drawn. Pure.
 */
import { createRng } from "../shared/random.ts";

export const AUDIT_SAMPLE_SIZE = 20;

export function drawSample(ids: readonly string[], size: number, seed: number): string[] {
  const pool = [...new Set(ids)].sort();
  const rng = createRng(seed);
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, n);
}

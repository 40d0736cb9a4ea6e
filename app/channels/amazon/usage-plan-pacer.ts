import { DOCUMENTED_RATES } from "./errors.ts";

// SP-API throttles each operation with a token bucket: `burst` requests at once, refilled at `rate` per
// second. A paged read or a run of pushes that outpaces it gets a 429 part-way, and the job's retry starts
// the pull again at page one (or re-sends every push), so a catalogue larger than the burst could never
// finish. The pacer mirrors the bucket on our side and waits for a token instead.

/** Documented bursts (requests) of the operations Replenish pages or repeats; rates are in DOCUMENTED_RATES. */
const DOCUMENTED_BURSTS: Record<string, number> = {
  "fbaInventory.getInventorySummaries": 2,
  "listingsItems.searchListingsItems": 10,
  "listingsItems.patchListingsItem": 10,
};

/**
 * Added to every wait: our bucket counts from when we send, Amazon's from when each request arrives, and
 * the two drift by the network's jitter, so a wait to the exact millisecond can still meet an empty bucket.
 */
const JITTER_MARGIN_MS = 50;

export class UsagePlanPacer {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when the operation may be called; operations without a documented plan pass at once. */
  async take(operation: string): Promise<void> {
    const rate = DOCUMENTED_RATES[operation];
    const burst = DOCUMENTED_BURSTS[operation];
    if (rate === undefined || burst === undefined) return;
    const bucket = this.refill(operation, rate, burst);
    if (bucket.tokens < 1) {
      await this.sleep(Math.ceil(((1 - bucket.tokens) / rate) * 1000) + JITTER_MARGIN_MS);
      this.refill(operation, rate, burst);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refill(operation: string, rate: number, burst: number): { tokens: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(operation) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(operation, bucket);
    return bucket;
  }
}

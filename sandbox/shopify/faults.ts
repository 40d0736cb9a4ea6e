// Switchable failures of the Admin API, each for the next N GraphQL requests: THROTTLED answers (HTTP
// 200), HTTP 429 with Retry-After, HTTP 5xx, 401 as for a revoked token, and a delay on every request.

export type FaultSettings = {
  throttleNext?: number;
  http429Next?: { count: number; retryAfterSeconds: number };
  http5xxNext?: number | { count: number; status: number };
  invalidTokenNext?: number;
  delayMs?: number;
};

export type FaultDecision =
  | { kind: "none" }
  | { kind: "throttle" }
  | { kind: "http429"; retryAfterSeconds: number }
  | { kind: "http5xx"; status: number }
  | { kind: "invalidToken" };

export class Faults {
  private throttle = 0;
  private http429 = { count: 0, retryAfterSeconds: 1 };
  private http5xx = { count: 0, status: 503 };
  private invalidToken = 0;
  delayMs = 0;

  /** Adds to what is set (a test can stack several kinds); omitted kinds are left as they are. */
  set(settings: FaultSettings): void {
    if (settings.throttleNext !== undefined) this.throttle = settings.throttleNext;
    if (settings.http429Next !== undefined) this.http429 = { ...settings.http429Next };
    if (settings.http5xxNext !== undefined) this.http5xx = typeof settings.http5xxNext === "number" ? { count: settings.http5xxNext, status: 503 } : { ...settings.http5xxNext };
    if (settings.invalidTokenNext !== undefined) this.invalidToken = settings.invalidTokenNext;
    if (settings.delayMs !== undefined) this.delayMs = settings.delayMs;
  }

  reset(): void {
    this.set({ throttleNext: 0, http429Next: { count: 0, retryAfterSeconds: 1 }, http5xxNext: 0, invalidTokenNext: 0, delayMs: 0 });
  }

  pending(): Required<Omit<FaultSettings, "delayMs">> & { delayMs: number } {
    return { throttleNext: this.throttle, http429Next: { ...this.http429 }, http5xxNext: { ...this.http5xx }, invalidTokenNext: this.invalidToken, delayMs: this.delayMs };
  }

  /** HTTP-level faults come first (they happen before Shopify looks at the query). */
  nextHttpFault(): FaultDecision {
    if (this.invalidToken > 0) {
      this.invalidToken--;
      return { kind: "invalidToken" };
    }
    if (this.http429.count > 0) {
      this.http429.count--;
      return { kind: "http429", retryAfterSeconds: this.http429.retryAfterSeconds };
    }
    if (this.http5xx.count > 0) {
      this.http5xx.count--;
      return { kind: "http5xx", status: this.http5xx.status };
    }
    return { kind: "none" };
  }

  takeThrottle(): boolean {
    if (this.throttle <= 0) return false;
    this.throttle--;
    return true;
  }
}

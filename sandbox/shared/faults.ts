// Switchable faults for a channel sandbox: tests arm a fault by kind ("throttle", "expired_token",
// "server_error", …) for the requests that match, and the sandbox asks, per request, which armed fault
// (if any) fires. Each sandbox decides what a kind looks like on the wire; this module only schedules.
//
// Scheduling is deterministic (no randomness) so a "429 storm" test fails the same way every run:
//   inject("throttle", { times: 3 })                 → the next 3 matching requests fail
//   inject("throttle", { every: 3, times: 10 })       → every 3rd matching request fails, 10 times
//   inject("throttle", { after: 5, times: Infinity }) → let 5 through, then fail until cleared

export type FaultMatch = {
  /** Only requests whose path starts with this (string) or matches it (RegExp). */
  path?: string | RegExp;
  method?: string;
  host?: string | RegExp;
};

export type FaultOptions = FaultMatch & {
  /** How many times the fault fires before it disarms itself. Default 1; Infinity until clear(). */
  times?: number;
  /** Let this many matching requests through first. */
  after?: number;
  /** Fire on every n-th matching request (after `after`). Default 1 = every one. */
  every?: number;
  /** Extra latency in ms for the "delay"-like kinds, or a kind-specific number (e.g. rate limit). */
  delayMs?: number;
  /** Kind-specific detail (e.g. the x-amzn-RateLimit-Limit value to send with a throttle). */
  value?: number;
};

export type ArmedFault<K extends string> = { kind: K; options: FaultOptions; seen: number; fired: number };

export type FaultRequest = { method: string; host: string; path: string };

export class Faults<K extends string> {
  private armed: ArmedFault<K>[] = [];
  /** Latency added to every response (slow-network simulation). */
  latencyMs = 0;

  inject(kind: K, options: FaultOptions = {}): this {
    this.armed.push({ kind, options, seen: 0, fired: 0 });
    return this;
  }

  clear(kind?: K): void {
    this.armed = kind === undefined ? [] : this.armed.filter((fault) => fault.kind !== kind);
    if (kind === undefined) this.latencyMs = 0;
  }

  /** How many times faults of this kind have fired so far (armed ones only; cleared ones are forgotten). */
  firedCount(kind: K): number {
    return this.armed.filter((fault) => fault.kind === kind).reduce((sum, fault) => sum + fault.fired, 0);
  }

  /**
   * The fault that fires for this request, if any; the first armed one that matches wins.
   * `explicitHostOnly` / `explicitPathOnly`: consider only faults that name a host / a path. Sandboxes use
   * them for side endpoints such as the token endpoint, so a throttle armed "for the API" does not also
   * break token refreshes unless a test aims it there.
   */
  next(request: FaultRequest, { explicitHostOnly = false, explicitPathOnly = false }: { explicitHostOnly?: boolean; explicitPathOnly?: boolean } = {}): ArmedFault<K> | undefined {
    for (const fault of this.armed) {
      const { times = 1, after = 0, every = 1 } = fault.options;
      if (explicitHostOnly && fault.options.host === undefined) continue;
      if (explicitPathOnly && fault.options.path === undefined) continue;
      if (fault.fired >= times || !matches(fault.options, request)) continue;
      fault.seen += 1;
      const position = fault.seen - after;
      if (position <= 0 || position % every !== 0) continue;
      fault.fired += 1;
      return fault;
    }
    return undefined;
  }
}

function matches(match: FaultMatch, request: FaultRequest): boolean {
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path !== undefined && !test(match.path, request.path, true)) return false;
  if (match.host !== undefined && !test(match.host, request.host, false)) return false;
  return true;
}

function test(pattern: string | RegExp, value: string, prefix: boolean): boolean {
  if (typeof pattern !== "string") return pattern.test(value);
  return prefix ? value.startsWith(pattern) : value === pattern;
}

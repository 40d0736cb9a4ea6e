import { createHash } from "node:crypto";
import type { ChannelOrder } from "../channel.ts";

// The resume point of incremental order pulls, persisted between syncs as an opaque string.
// A run asks for `updated_at:>='since'` sorted by UPDATED_AT and walks the pages (`after`). The
// watermark is inclusive because Shopify's timestamps have second precision: an order updated later in
// the same second as the last one we saw must not be lost. To avoid handing the same version of an
// order twice, the cursor remembers the fingerprints (id + content hash) of what was delivered at the
// watermark second and skips exactly those; a changed order has another hash and comes through.

const MAX_REMEMBERED = 200;

export type OrderCursorState = {
  /** Watermark of this run (ISO); null = from the beginning. */
  since: string | null;
  /** Delivered earlier with updatedAt at the watermark: skip these exact versions. */
  exclude: string[];
  /** Page cursor inside the run. */
  after: string | null;
  /** Newest updatedAt delivered in this run, and what was delivered at that second. */
  runMax: string | null;
  runSeen: string[];
};

export function decodeOrderCursor(cursor: string | null): OrderCursorState {
  if (cursor === null) return { since: null, exclude: [], after: null, runMax: null, runSeen: [] };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<OrderCursorState> & { v?: number };
    if (parsed.v !== 1) throw new Error("version");
    return { since: parsed.since ?? null, exclude: parsed.exclude ?? [], after: parsed.after ?? null, runMax: parsed.runMax ?? null, runSeen: parsed.runSeen ?? [] };
  } catch {
    throw new Error(`Unreadable Shopify order cursor: ${cursor.slice(0, 40)}`);
  }
}

export function encodeOrderCursor(state: OrderCursorState): string {
  return Buffer.from(JSON.stringify({ v: 1, ...state })).toString("base64url");
}

export function orderFingerprint(order: ChannelOrder): string {
  return `${order.externalId.replace(/^gid:\/\/shopify\/Order\//, "")}:${createHash("sha256").update(JSON.stringify(order)).digest("base64url").slice(0, 12)}`;
}

export function searchQueryFor(state: OrderCursorState): string | null {
  return state.since === null ? null : `updated_at:>='${state.since}'`;
}

/**
 * Applies one fetched page to the state: drops versions delivered before, tracks the run's newest
 * second, and when the page was the last one closes the run (the next run starts at that second).
 */
export function advanceOrderCursor(state: OrderCursorState, page: ChannelOrder[], next: { hasNextPage: boolean; endCursor: string | null }) {
  const excluded = new Set(state.exclude);
  const fresh = page.filter((order) => !excluded.has(orderFingerprint(order)));
  let runMax = state.runMax;
  let runSeen = state.runSeen;
  for (const order of fresh) {
    if (runMax === null || Date.parse(order.updatedAt) > Date.parse(runMax)) {
      runMax = order.updatedAt;
      runSeen = [];
    }
    if (Date.parse(order.updatedAt) === Date.parse(runMax)) runSeen = [...runSeen, orderFingerprint(order)];
  }
  let nextState: OrderCursorState;
  if (next.hasNextPage && next.endCursor) {
    nextState = { ...state, after: next.endCursor, runMax, runSeen };
  } else if (runMax === null) {
    nextState = { ...state, after: null, runMax: null, runSeen: [] };
  } else {
    const sameSecond = state.since !== null && Date.parse(runMax) === Date.parse(state.since);
    nextState = { since: runMax, exclude: (sameSecond ? [...state.exclude, ...runSeen] : runSeen).slice(-MAX_REMEMBERED), after: null, runMax: null, runSeen: [] };
  }
  return { orders: fresh, state: nextState, done: !(next.hasNextPage && next.endCursor) };
}

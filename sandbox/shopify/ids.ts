// Shopify's global ids (gid://shopify/<Type>/<number>) and timestamps as the Admin API prints them.

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Accepts 123, "123" or "gid://shopify/Type/123[?…]"; returns the number or null when malformed. */
export function numericId(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  const match = /^(?:gid:\/\/shopify\/[A-Za-z]+\/)?(\d+)(?:\?.*)?$/.exec(value);
  return match ? Number(match[1]) : null;
}

export function gidType(value: string): string | null {
  return /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(value)?.[1] ?? null;
}

/** Shopify's DateTime has second precision: "2026-11-20T10:00:00Z". */
export function shopifyTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function truncateToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

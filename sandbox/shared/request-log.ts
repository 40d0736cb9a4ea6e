import type { IncomingHttpHeaders } from "node:http";

// What a sandbox saw, in arrival order, so tests can assert on the wire (which host and path, which
// headers, how often) rather than on the adapter's own account of what it did.
export type RecordedRequest = {
  method: string;
  /** Host header without port: the real host the client library believed it was calling. */
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Status the sandbox answered with (set once answered). */
  status: number | null;
};

export function hostOf(headers: IncomingHttpHeaders): string {
  return (headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
}

/**
 * A request body read with a size cap: the declared Content-Length is checked before anything is read,
 * and a chunked body is cut off as soon as it passes the cap, so an unauthenticated sender cannot make
 * the server hold an arbitrarily large body in memory before its signature is even checked.
 */
export type LimitedBody = { ok: true; bytes: Buffer } | { ok: false; reason: "too_large" };

export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

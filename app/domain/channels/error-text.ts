// How a channel failure recorded on a connection ("<kind>: <adapter message>") reads to the merchant
// on the Anomalies page: what happened in words, what to do, and the channel's own detail, short.

const KIND_TEXT: Record<string, string> = {
  auth: "refused our sign-in: reconnect it on the Channels page",
  invalid: "refused a request as invalid",
  unavailable: "could not be reached; the sync retries on its own",
  rate_limited: "asked us to slow down; the sync resumes on its own",
};

const MAX_DETAIL = 200;

export function readableChannelError(channelLabel: string, recorded: string): string {
  const match = /^(auth|invalid|unavailable|rate_limited):\s*(?:\1:\s*)?([\s\S]*)$/.exec(recorded.trim());
  const kind = match?.[1];
  let detail = (match ? match[2]! : recorded).split("\n")[0]!.trim();
  // Recorded before a missing session was told apart from a failure: it means the install is unfinished.
  if (/^No Shopify session for /.test(detail)) return `${channelLabel} is not connected yet: the shop has not finished installing the app`;
  if (/ is not connected yet: /.test(detail)) return detail;
  if (detail.length > MAX_DETAIL) detail = `${detail.slice(0, MAX_DETAIL - 1).trimEnd()}…`;
  if (!kind) return detail ? `${channelLabel}: ${detail}` : channelLabel;
  const head = `${channelLabel} ${KIND_TEXT[kind]}`;
  return detail ? `${head} (${detail.replace(/[.\s]+$/, "")})` : head;
}

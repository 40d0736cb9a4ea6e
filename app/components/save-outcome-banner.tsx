import { Banner } from "@shopify/polaris";

/**
 * What the last save did, on edit pages whose action answers `{ ok: true }` or `{ ok: false, errors }`.
 * The success banner disappears as soon as the form is edited again, so it never vouches for unsaved input.
 */
export function SaveOutcomeBanner({
  outcome,
  dirty,
  savedTitle,
  failedTitle = "Some fields need a fix",
}: {
  outcome: { ok: boolean } | null | undefined;
  dirty: boolean;
  savedTitle: string;
  failedTitle?: string;
}) {
  if (!outcome) return null;
  if (outcome.ok) return dirty ? null : <Banner tone="success" title={savedTitle} />;
  return (
    <Banner tone="critical" title={failedTitle}>
      <p>Nothing was saved. Correct the highlighted fields and save again.</p>
    </Banner>
  );
}

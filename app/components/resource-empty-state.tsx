import type { ReactNode } from "react";
import { EmptyState } from "@shopify/polaris";
import emptyStateImage from "./empty-state.svg";

/**
 * Polaris EmptyState with an illustration bundled with the app: the usual cdn.shopify.com artwork is
 * unreachable in the offline demo and would show up as a failed request.
 */
export function ResourceEmptyState({
  heading,
  children,
  action,
}: {
  heading: string;
  children: ReactNode;
  action?: { content: string; url: string };
}) {
  return (
    <EmptyState heading={heading} image={emptyStateImage} action={action}>
      {children}
    </EmptyState>
  );
}

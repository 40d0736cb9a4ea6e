import type { ReactNode } from "react";
import { useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Page } from "@shopify/polaris";
import { useAdminMode } from "./admin-mode.tsx";

type Props = {
  title: string;
  subtitle?: string;
  primaryAction?: { content: string; url: string };
  /** The page one level up (a list), shown as the header's back arrow. */
  backAction?: { content: string; url: string };
  fullWidth?: boolean;
  narrowWidth?: boolean;
  children: ReactNode;
};

/**
 * A Polaris Page whose title sits where the merchant expects it: in Shopify's title bar (App Bridge) when
 * embedded, in the page header in the demo, where no App Bridge is loaded.
 */
export function AdminPage({ title, subtitle, primaryAction, backAction, fullWidth, narrowWidth, children }: Props) {
  const { embedded } = useAdminMode();
  const navigate = useNavigate();
  if (embedded) {
    return (
      <Page fullWidth={fullWidth} narrowWidth={narrowWidth} subtitle={subtitle} backAction={backAction}>
        <TitleBar title={title}>
          {primaryAction ? (
            <button variant="primary" onClick={() => navigate(primaryAction.url)}>
              {primaryAction.content}
            </button>
          ) : null}
        </TitleBar>
        {children}
      </Page>
    );
  }
  return (
    <Page title={title} subtitle={subtitle} backAction={backAction} fullWidth={fullWidth} narrowWidth={narrowWidth} primaryAction={primaryAction}>
      {children}
    </Page>
  );
}

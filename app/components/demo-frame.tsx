import { useCallback, useState, type ReactNode } from "react";
import { useLocation } from "@remix-run/react";
import { Frame, Navigation, Text, TopBar } from "@shopify/polaris";
import { ADMIN_NAVIGATION } from "./admin-navigation.ts";

// Polaris' top bar is dark, and its slots do not centre custom content vertically: give it the bar's height.
const barText = {
  display: "flex",
  alignItems: "center",
  height: "var(--pg-top-bar-height, 3.5rem)",
  color: "var(--p-color-text-inverse)",
} as const;

/**
 * The offline demo's chrome: outside the Shopify admin there is no App Bridge to draw the navigation, so
 * a Polaris Frame does, with a top bar that says which (demo) shop is open.
 */
export function DemoFrame({ shopName, children }: { shopName: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const [mobileNavigationOpen, setMobileNavigationOpen] = useState(false);
  const toggleMobileNavigation = useCallback(() => setMobileNavigationOpen((open) => !open), []);

  const topBar = (
    <TopBar
      showNavigationToggle
      onNavigationToggle={toggleMobileNavigation}
      contextControl={
        <div style={{ ...barText, padding: "0 var(--p-space-400)" }}>
          <Text as="p" variant="headingSm">
            Replenish
          </Text>
        </div>
      }
      secondaryMenu={
        // One line, cut with an ellipsis: on a phone the full name wrapped down over the page title.
        <div style={{ ...barText, paddingRight: "var(--p-space-400)", maxWidth: "60vw", overflow: "hidden" }}>
          <Text as="p" variant="bodyMd" truncate>
            Demo shop — {shopName}
          </Text>
        </div>
      }
    />
  );

  const navigation = (
    <Navigation location={pathname} ariaLabelledBy="replenish-navigation">
      <Navigation.Section
        items={ADMIN_NAVIGATION.map((item) => ({
          label: item.label,
          url: item.url,
          // The dashboard is the shell's index: it is "current" only on /app itself, not on every page below it.
          exactMatch: item.url === "/app",
          onClick: () => setMobileNavigationOpen(false),
        }))}
      />
    </Navigation>
  );

  return (
    <Frame
      topBar={topBar}
      navigation={navigation}
      showMobileNavigation={mobileNavigationOpen}
      onNavigationDismiss={toggleMobileNavigation}
    >
      {children}
    </Frame>
  );
}

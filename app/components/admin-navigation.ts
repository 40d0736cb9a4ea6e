// The admin's sections, in order. One list feeds both App Bridge's NavMenu (inside Shopify) and the
// Polaris Navigation of the offline demo, so the two can never disagree.
export type AdminNavigationItem = { label: string; url: string };

export const ADMIN_NAVIGATION: readonly AdminNavigationItem[] = [
  { label: "Dashboard", url: "/app" },
  { label: "Anomalies", url: "/app/anomalies" },
  { label: "Products", url: "/app/products" },
  { label: "Reorder", url: "/app/reorder" },
  { label: "Suppliers", url: "/app/suppliers" },
  { label: "Promotions", url: "/app/promotions" },
  { label: "Purchase orders", url: "/app/purchase-orders" },
  { label: "Receiving", url: "/app/receiving" },
  { label: "Transfers", url: "/app/transfers" },
  { label: "Back in stock", url: "/app/back-in-stock" },
  { label: "Reports", url: "/app/reports" },
  { label: "Accounting", url: "/app/accounting" },
  { label: "Channels", url: "/app/channels" },
  { label: "Settings", url: "/app/settings" },
];

/**
 * The browser tab's title for an admin address: its section's label ("Products · Replenish" for
 * /app/products/…), so every page is named without each route declaring a title. Pages outside the
 * sections are just "Replenish"; a 404 says so.
 */
export function adminPageTitle(pathname: string, notFound = false): string {
  if (notFound) return "Page not found · Replenish";
  const path = pathname.replace(/\/+$/, "") || "/";
  // The longest matching url wins, so /app (Dashboard) only names /app itself.
  const section = [...ADMIN_NAVIGATION]
    .sort((a, b) => b.url.length - a.url.length)
    .find((item) => path === item.url || (item.url !== "/app" && path.startsWith(`${item.url}/`)));
  return section ? `${section.label} · Replenish` : "Replenish";
}

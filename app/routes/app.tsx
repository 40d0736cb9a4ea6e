import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AdminModeProvider } from "../components/admin-mode.tsx";
import { ADMIN_NAVIGATION, adminPageTitle } from "../components/admin-navigation.ts";
import { DemoFrame } from "../components/demo-frame.tsx";
import { getEnv } from "../env.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// One title for every admin page from its address (routes without their own meta use this one): the tab
// and the browser history were an empty <title> on every page.
export const meta: MetaFunction = ({ location, error }) => [{ title: adminPageTitle(location.pathname, isRouteErrorResponse(error) && error.status === 404) }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireShopContext(request);
  return { apiKey: getEnv().SHOPIFY_API_KEY, demo, shopName: shop.name };
}

export default function AppShell() {
  const { apiKey, demo, shopName } = useLoaderData<typeof loader>();

  if (demo) {
    // App Bridge's script lives on cdn.shopify.com and only works inside the Shopify admin; the demo runs
    // offline on loopback, so Polaris alone (with Remix links) provides the chrome.
    return (
      <AppProvider isEmbeddedApp={false} apiKey={apiKey} i18n={polarisTranslations}>
        <AdminModeProvider value={{ embedded: false }}>
          <DemoFrame shopName={shopName}>
            <Outlet />
          </DemoFrame>
        </AdminModeProvider>
      </AppProvider>
    );
  }

  const [home, ...sections] = ADMIN_NAVIGATION;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <AdminModeProvider value={{ embedded: true }}>
        <NavMenu>
          {home ? (
            <Link to={home.url} rel="home">
              {home.label}
            </Link>
          ) : null}
          {sections.map((item) => (
            <Link key={item.url} to={item.url}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
        <Outlet />
      </AdminModeProvider>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses (re-auth bounces) so that their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

import type { ReactNode } from "react";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { getEnv } from "./env.server.ts";

export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export async function loader(_args: LoaderFunctionArgs) {
  // The demo runs offline on loopback: Shopify's CDN (Inter font) is unreachable there and the request
  // would only fail, so the font is loaded only when the app runs inside the Shopify admin.
  return { loadShopifyFont: !getEnv().DEMO_MODE };
}

/** The document around every page, including the error page (where the loader may not have run). */
export function Layout({ children }: { children: ReactNode }) {
  const loadShopifyFont = useRouteLoaderData<typeof loader>("root")?.loadShopifyFont ?? false;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {loadShopifyFont ? (
          <>
            <link rel="preconnect" href="https://cdn.shopify.com/" />
            <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
          </>
        ) : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/**
 * Last resort for errors no route handled. The details stay in the server log (Remix logs them in
 * full); the page says only what the visitor can act on.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main style={{ fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif", padding: "3rem 1.5rem", maxWidth: "40rem", margin: "0 auto" }}>
      <h1>{status === 404 ? "Page not found" : "Something went wrong"}</h1>
      <p>
        {status === 404
          ? "There is no page at this address."
          : "Replenish could not show this page. Try again in a moment; if it keeps happening, the server log has the details."}
      </p>
      <p>
        <a href="/app">Back to Replenish</a>
      </p>
    </main>
  );
}

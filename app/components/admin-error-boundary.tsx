import { isRouteErrorResponse } from "@remix-run/react";
import { BlockStack, Button, Card, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "./admin-page.tsx";

type NotFound = { title: string; message: string; back: { content: string; url: string } };

/**
 * A detail page's ErrorBoundary: a 404 (an unknown or another shop's id) is our own page inside the admin
 * frame, with the way back to its list; anything else goes to Shopify's boundary (re-auth bounces).
 * Shopify's boundary recognises a thrown response by its constructor's name, which the production client
 * bundle minifies: the server rendered one page and the browser another (React errors #418/#423), and the
 * error fell through to the root's bare "Page not found". isRouteErrorResponse reads the fields instead.
 */
export function adminRouteError(error: unknown, notFound: NotFound) {
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage {...notFound} />;
  return boundary.error(error);
}

export function NotFoundPage({ title, message, back }: NotFound) {
  return (
    <AdminPage title={title} backAction={back}>
      <Card>
        <BlockStack gap="300" inlineAlign="start">
          <Text as="p">{message}</Text>
          <Button url={back.url}>{`Back to ${back.content}`}</Button>
        </BlockStack>
      </Card>
    </AdminPage>
  );
}

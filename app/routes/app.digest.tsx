import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, InlineStack, Layout, Link, Tabs, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { renderDigest } from "../services/digest.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The digest exactly as it will be emailed (same renderer, same figures), weekly or daily.

const searchSchema = z.object({ frequency: z.enum(["WEEKLY", "DAILY"]).catch("WEEKLY").default("WEEKLY") });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const { frequency } = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const origin = new URL(request.url).origin;
  const digest = await renderDigest(shop.id, new Date(), { frequency, adminUrl: `${origin}/app` });
  return { frequency, subject: digest.subject, html: digest.html, text: digest.text };
}

const TABS = [
  { id: "WEEKLY", content: "Weekly" },
  { id: "DAILY", content: "Daily" },
];

export default function DigestPreview() {
  const { frequency, subject, html, text } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  return (
    <AdminPage title="Digest preview" subtitle="What the digest email looks like with today's figures. Day, frequency and recipients are in Settings.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Tabs tabs={TABS} selected={frequency === "DAILY" ? 1 : 0} onSelect={(i) => setSearchParams({ frequency: TABS[i]?.id ?? "WEEKLY" })} />
            <InlineStack align="space-between">
              <Text as="p">
                <Text as="span" tone="subdued">
                  Subject:{" "}
                </Text>
                {subject}
              </Text>
              <Link url="/app/settings#digest">Digest settings</Link>
            </InlineStack>
            <Card padding="0">
              <iframe title="Digest email (HTML part)" srcDoc={html} sandbox="" style={{ width: "100%", height: 900, border: 0, display: "block" }} />
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Plain-text part
                </Text>
                <Box as="div">
                  <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: 13 }}>{text}</pre>
                </Box>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

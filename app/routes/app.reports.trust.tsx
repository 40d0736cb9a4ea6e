import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigation, useRevalidator, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect } from "react";
import { AdminPage } from "../components/admin-page.tsx";
import { formatMoney, formatNumber, formatPercent } from "../components/report-format.ts";
import { formatDay } from "../components/format.ts";
import { addDays } from "../domain/shared/day.ts";
import { errorKind } from "../lib/app-error.ts";
import { latestCompletedReportRun, latestReportRun } from "../models/report-run.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { requestTrustReport, TRUST_REPORT_KIND, type TrustReportResult } from "../services/trust-report.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const [latest, completed] = await Promise.all([latestReportRun(shop.id, TRUST_REPORT_KIND), latestCompletedReportRun(shop.id, TRUST_REPORT_KIND)]);
  return {
    currency: shop.currency,
    latest: latest && { id: latest.id, status: latest.status, progress: latest.progress, error: latest.error },
    report: completed && { id: completed.id, finishedAt: completed.finishedAt, result: completed.result as unknown as TrustReportResult },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    const run = await requestTrustReport(shop.id);
    return { ok: true as const, runId: run.id };
  } catch (error) {
    if (errorKind(error) !== "unavailable") throw error;
    return data({ ok: false as const, message: "The job queue is unavailable; try again in a minute." }, { status: 503 });
  }
}

type Progress = { id: string; status: string; progress: number; error: string | null };

const PROGRESS_LABEL: Record<string, string> = { QUEUED: "Queued", RUNNING: "Simulating", COMPLETED: "Done", FAILED: "Failed" };

export default function TrustReport() {
  const { latest, report, currency } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const poll = useFetcher<Progress>();
  const revalidator = useRevalidator();
  const running = latest && (latest.status === "QUEUED" || latest.status === "RUNNING");
  // The loader's figures are fresher than a poll answer from before the last navigation.
  const polled = running && poll.data?.id === latest?.id ? poll.data : undefined;
  const live = polled ? polled : latest ? { status: latest.status, progress: latest.progress, error: latest.error } : null;

  // Poll the job's progress while it runs; reload the figures once it is done.
  useEffect(() => {
    if (!running || !latest) return;
    const timer = setInterval(() => {
      if (poll.state === "idle") poll.load(`/app/reports/trust/progress?run=${latest.id}`);
    }, 750);
    return () => clearInterval(timer);
  }, [running, latest, poll]);
  useEffect(() => {
    if (polled && (polled.status === "COMPLETED" || polled.status === "FAILED") && revalidator.state === "idle") revalidator.revalidate();
  }, [polled, revalidator]);

  const r = report?.result;
  const rows = r
    ? [
        ["In-stock rate (all SKUs)", formatPercent(r.simulated.inStock), formatPercent(r.actual.inStock)],
        ["In-stock rate (A class)", formatPercent(r.simulated.inStockA), formatPercent(r.actual.inStockA)],
        ["Stock-out SKU-days", String(Math.round(r.simulated.skuDays * (1 - r.simulated.inStock))), String(r.actual.stockoutDays)],
        ["A-class stock-outs", String(r.simulated.stockoutsA), String(r.actual.stockoutsA)],
        ["Days of supply", formatNumber(r.simulated.daysOfSupply), formatNumber(r.actual.daysOfSupply)],
        ["Average inventory at cost", formatMoney(r.simulated.averageInventoryValue, currency), formatMoney(r.actual.averageInventoryValue, currency)],
        ["Purchase orders", String(r.simulated.purchaseOrders), String(r.actual.purchaseOrders)],
        ["Average PO value", formatMoney(r.simulated.averagePurchaseOrderValue, currency), formatMoney(r.actual.averagePurchaseOrderValue, currency)],
        ["Total PO value", formatMoney(r.simulated.averagePurchaseOrderValue * r.simulated.purchaseOrders, currency), formatMoney(r.actual.averagePurchaseOrderValue * r.actual.purchaseOrders, currency)],
      ]
    : [];
  const shown = live?.status === "COMPLETED" ? 100 : (live?.progress ?? 0);

  return (
    <AdminPage title="Trust report" subtitle="The engine replayed on your own history, next to what really happened" fullWidth>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="p">
              The simulator replays the last 12 months of your orders day by day: the first 90 days only build history, then each day the engine sees
              only the past, orders from your suppliers with lead times drawn from what they really delivered, and demand that finds no stock is lost.
            </Text>
            <InlineStack gap="300" blockAlign="center">
              <Form method="post">
                <Button submit variant="primary" loading={navigation.state === "submitting"} disabled={Boolean(running)}>
                  {report ? "Run again" : "Run trust report"}
                </Button>
              </Form>
              <a href="/app/reports/trust/history" download>
                Download this history for npm run simulate -- --history
              </a>
            </InlineStack>
            {live ? (
              <BlockStack gap="100">
                <Text as="p" variant="bodySm">
                  <span data-testid="trust-progress-label">{PROGRESS_LABEL[live.status] ?? live.status} — {shown}%</span>
                </Text>
                <div role="progressbar" aria-label="Trust report progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={shown}>
                  <ProgressBar progress={shown} size="small" tone={live.status === "COMPLETED" ? "success" : live.status === "FAILED" ? "critical" : "highlight"} />
                </div>
              </BlockStack>
            ) : null}
            {live?.status === "FAILED" ? <Banner tone="critical" title="The last run failed">{live.error}</Banner> : null}
          </BlockStack>
        </Card>
        {r ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {formatDay(r.simulatedFrom)} – {formatDay(addDays(r.asOf, -1))} ({r.simulatedDays} days, {r.skuCount} SKUs)
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["", "Engine (simulated)", "What happened"]}
                rows={rows}
              />
              <Text as="p" tone="subdued" variant="bodySm">
                {r.excludedSkuCount > 0 ? `${r.excludedSkuCount} SKUs with no sale in the warm-up are left out (nothing to learn from). ` : ""}
                In-stock = share of SKU-days that started with stock; days of supply = average inventory at cost over average daily demand at cost.
                What happened is read from your stock ledger and purchase orders. Lead times per supplier:{" "}
                {r.suppliers.map((s) => `${s.name} ${s.lowDays}–${s.highDays} d (quoted ${s.quotedDays}, ${s.observed} POs)`).join("; ")}.
              </Text>
            </BlockStack>
          </Card>
        ) : null}
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

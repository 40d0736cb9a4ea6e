import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect } from "react";
import { AdminPage } from "../components/admin-page.tsx";
import { formatDay } from "../components/format.ts";
import { formatNumber, formatPercent } from "../components/report-format.ts";
import { fromDayNumber } from "../domain/shared/day.ts";
import { errorKind } from "../lib/app-error.ts";
import { latestCompletedReportRun, latestReportRun } from "../models/report-run.server.ts";
import { FORECAST_ACCURACY_KIND, requestForecastAccuracy, type ForecastAccuracyReport } from "../services/forecast-accuracy.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const [latest, completed] = await Promise.all([latestReportRun(shop.id, FORECAST_ACCURACY_KIND), latestCompletedReportRun(shop.id, FORECAST_ACCURACY_KIND)]);
  const report = completed ? (completed.result as unknown as ForecastAccuracyReport) : null;
  return {
    latest: latest && { status: latest.status, progress: latest.progress, error: latest.error },
    report: report && { ...report, accuracy: { ...report.accuracy, bySku: report.accuracy.bySku.slice(0, 100) } },
    skuCount: report?.accuracy.bySku.length ?? 0,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    await requestForecastAccuracy(shop.id);
    return { ok: true as const };
  } catch (error) {
    if (errorKind(error) !== "unavailable") throw error;
    return data({ ok: false as const, message: "The job queue is unavailable; try again in a minute." }, { status: 503 });
  }
}

export default function ForecastAccuracy() {
  const { latest, report, skuCount } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const running = latest && (latest.status === "QUEUED" || latest.status === "RUNNING");
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const mase = (x: number | null) => (x === null ? "—" : formatNumber(x, 2));
  const bias = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${formatPercent(x, 1)}`);
  const o = report?.accuracy.overall;
  const reconstructed = report?.weeks.filter((w) => w.source === "reconstructed").length ?? 0;
  return (
    <AdminPage title="Forecast accuracy" fullWidth>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="p">
              Each week's forecast is the daily rate the engine used at the start of the week (from that week's first reorder run) × 7, against the units then sold.
              MAE is the mean weekly error in units; MASE divides it by the error of simply repeating last week (below 1 beats that); bias is over- (+) or under-forecast (−) as a share of sales.
            </Text>
            <InlineStack gap="300" blockAlign="center">
              <Form method="post">
                <Button submit variant="primary" disabled={Boolean(running)} loading={navigation.state === "submitting"}>
                  {report ? "Recompute" : "Compute forecast accuracy"}
                </Button>
              </Form>
            </InlineStack>
            {running ? <ProgressBar progress={latest?.progress ?? 0} size="small" /> : null}
            {latest?.status === "FAILED" ? <Banner tone="critical" title="The last computation failed">{latest.error}</Banner> : null}
          </BlockStack>
        </Card>
        {report && o ? (
          <>
            <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
              <Card><BlockStack gap="100"><Text as="p" tone="subdued">Weekly MAE (units)</Text><Text as="p" variant="headingLg">{formatNumber(o.mae, 1)}</Text></BlockStack></Card>
              <Card><BlockStack gap="100"><Text as="p" tone="subdued">MASE</Text><Text as="p" variant="headingLg">{mase(o.mase)}</Text></BlockStack></Card>
              <Card><BlockStack gap="100"><Text as="p" tone="subdued">Bias</Text><Text as="p" variant="headingLg">{bias(o.bias)}</Text></BlockStack></Card>
              <Card><BlockStack gap="100"><Text as="p" tone="subdued">SKU-weeks measured</Text><Text as="p" variant="headingLg">{o.weeks}</Text></BlockStack></Card>
            </InlineGrid>
            {reconstructed > 0 ? (
              <Banner tone="info">
                {reconstructed} of {report.weeks.length} weeks had no stored reorder run; their forecasts were reconstructed by planning the engine as of that week's first day on the history before it.
              </Banner>
            ) : null}
            <Card padding="0">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Week", "Forecast units", "Sold units", "MAE", "MASE", "Bias"]}
                rows={report.accuracy.byWeek.map((w) => [formatDay(fromDayNumber(w.weekStart)), formatNumber(w.forecastUnits, 0), formatNumber(w.actualUnits, 0), formatNumber(w.mae, 1), mase(w.mase), bias(w.bias)])}
              />
            </Card>
            <Card padding="0">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["SKU", "Weeks", "Forecast units", "Sold units", "MAE", "MASE", "Bias"]}
                rows={report.accuracy.bySku.map((s) => [s.code, String(s.weeks), formatNumber(s.forecastUnits, 0), formatNumber(s.actualUnits, 0), formatNumber(s.mae, 1), mase(s.mase), bias(s.bias)])}
                footerContent={skuCount > 100 ? `The 100 SKUs with the largest total error of ${skuCount}` : undefined}
              />
            </Card>
          </>
        ) : null}
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

import { lazy, Suspense, useEffect, useId, useState } from "react";
import { BlockStack, Text } from "@shopify/polaris";
import type { DataSeries } from "@shopify/polaris-viz";
import { addDays, type IsoDay } from "../domain/shared/day.ts";
import { formatMonthDay } from "./format.ts";

// Sales history, forecast, reorder point and projected stock for one SKU at one location, drawn with
// Polaris Viz (the issue's chart library) in two panels, because units per day and units in stock do not
// share an axis. The charts measure their container, so they draw after hydration (their code loads then
// too); the server renders the same text description (read by screen readers either way) and a
// placeholder of the same height.

export interface ReorderChartData {
  /** First day of the history (ISO), one entry per day up to yesterday. */
  startDay: string;
  history: { units: number; outOfStock: boolean }[];
  /** Forecast units per day for the projection. */
  dailyForecast: number;
  /** Projected stock position from today, one value per day. */
  projection: number[];
  reorderPoint: number;
  safetyStock: number;
  /** Day index (into the projection) where the suggested order is expected to arrive, if any. */
  arrivalIndex: number | null;
}

const PANEL_HEIGHT = 220;
const VizLineChart = lazy(() => import("./viz-line-chart.tsx"));
const COLORS = { sales: "#8c9196", forecast: "#2c6ecb", stock: "#008060", rop: "#b98900", safety: "#d72c0d" };

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The chart's words: what a sighted merchant reads off the lines, for everyone. */
export function describeReorderChart(data: ReorderChartData): string {
  const sold = data.history.reduce((s, h) => s + h.units, 0);
  const oosDays = data.history.filter((h) => h.outOfStock).length;
  const belowAt = data.projection.findIndex((v) => v < data.reorderPoint);
  return (
    `Last ${data.history.length} days: ${sold} units sold${oosDays ? `, ${oosDays} ${oosDays === 1 ? "day" : "days"} out of stock` : ""}. ` +
    `Forecast ${fmt(data.dailyForecast)} units per day. Reorder point ${fmt(data.reorderPoint)}, safety stock ${fmt(data.safetyStock)}. ` +
    `Projected stock starts at ${fmt(data.projection[0] ?? 0)}` +
    (belowAt > 0 ? ` and falls below the reorder point in ${belowAt} days` : belowAt === 0 ? ", already below the reorder point" : "") +
    (data.arrivalIndex !== null ? `; the suggested order arrives in about ${data.arrivalIndex} days.` : ".")
  );
}

/** The two panels' series: history and forecast on one day axis, the projection on the days ahead. */
export function reorderChartSeries(data: ReorderChartData): { demand: DataSeries[]; stock: DataSeries[] } {
  const start = data.startDay as IsoDay;
  const today = data.history.length;
  const days = today + data.projection.length;
  const key = (i: number) => addDays(start, i);
  const demandDays = Array.from({ length: days }, (_, i) => i);
  const aheadDays = data.projection.map((_, i) => today + i);
  const demand: DataSeries[] = [
    { name: "Units sold", color: COLORS.sales, styleOverride: { line: { hasArea: false } }, data: demandDays.map((i) => ({ key: key(i), value: i < today ? data.history[i]!.units : null })) },
    {
      name: "Forecast",
      color: COLORS.forecast,
      styleOverride: { line: { strokeDasharray: "6 3", width: 2, hasArea: false } },
      // From yesterday's actual into the forecast, so the two lines meet.
      data: demandDays.map((i) => ({ key: key(i), value: i >= today ? data.dailyForecast : i === today - 1 ? data.history[i]!.units : null })),
    },
  ];
  const stock: DataSeries[] = [
    { name: "Projected stock", color: COLORS.stock, data: aheadDays.map((i) => ({ key: key(i), value: data.projection[i - today]! })) },
    { name: "Reorder point", color: COLORS.rop, styleOverride: { line: { strokeDasharray: "4 3", width: 1.5, hasArea: false } }, data: aheadDays.map((i) => ({ key: key(i), value: data.reorderPoint })) },
    { name: "Safety stock", color: COLORS.safety, styleOverride: { line: { strokeDasharray: "2 3", width: 1.5, hasArea: false } }, data: aheadDays.map((i) => ({ key: key(i), value: data.safetyStock })) },
  ];
  return { demand, stock };
}

export function ReorderChart({ data, label }: { data: ReorderChartData; label: string }) {
  const id = useId();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const { demand, stock } = reorderChartSeries(data);
  const arrivalKey = data.arrivalIndex !== null ? addDays(data.startDay as IsoDay, data.history.length + data.arrivalIndex) : null;
  const common = { isAnimated: false, showLegend: true, xAxisOptions: { labelFormatter: (key: string | number | null) => formatMonthDay(String(key)) }, yAxisOptions: { labelFormatter: (v: string | number | null) => fmt(Number(v)) } };

  return (
    <figure style={{ margin: 0 }} role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <BlockStack gap="300">
        <Text as="p" id={`${id}-title`} visuallyHidden>
          {label}
        </Text>
        <Text as="p" id={`${id}-desc`} tone="subdued" variant="bodySm">
          {describeReorderChart(data)}
        </Text>
        <Text as="h3" variant="headingSm">
          Units sold per day and forecast
        </Text>
        <div style={{ height: PANEL_HEIGHT }} data-chart="demand" aria-hidden="true">
          {mounted ? (
            <Suspense fallback={null}>
              <VizLineChart data={demand} {...common} />
            </Suspense>
          ) : null}
        </div>
        <Text as="h3" variant="headingSm">
          Projected stock, reorder point and safety stock
        </Text>
        <div style={{ height: PANEL_HEIGHT }} data-chart="stock" aria-hidden="true">
          {mounted ? (
            <Suspense fallback={null}>
              <VizLineChart data={stock} {...common} annotations={arrivalKey ? [{ axis: "x", label: "Suggested order arrives", startKey: arrivalKey }] : []} />
            </Suspense>
          ) : null}
        </div>
      </BlockStack>
    </figure>
  );
}

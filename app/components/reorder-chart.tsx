import { useId } from "react";

// Sales history, forecast, reorder point and projected stock for one SKU at one location, as an inline SVG.
// @shopify/polaris-viz is not a dependency; two small panels drawn by hand avoid adding one, stay
// server-rendered, and carry a text description for screen readers (role="img" + <title>/<desc>).

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

const WIDTH = 720;
const PANEL = 120;
const GAP = 44;
const LEFT = 48;
const RIGHT = 12;
const TOP = 20;
const HEIGHT = TOP + PANEL * 2 + GAP + 28;
const COLORS = { sales: "#8c9196", oos: "#e0b3b2", forecast: "#2c6ecb", stock: "#008060", rop: "#b98900", safety: "#d72c0d", today: "#6d7175" };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));

export function ReorderChart({ data, label }: { data: ReorderChartData; label: string }) {
  const id = useId();
  const days = data.history.length + data.projection.length;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (i: number) => LEFT + (i / Math.max(1, days)) * plotWidth;
  const barWidth = Math.max(1, plotWidth / Math.max(1, days) - 1);
  const today = data.history.length;

  const salesMax = niceMax(Math.max(data.dailyForecast, ...data.history.map((h) => h.units)));
  const ySales = (v: number) => TOP + PANEL - (v / salesMax) * PANEL;
  const stockTop = TOP + PANEL + GAP;
  const stockMax = niceMax(Math.max(data.reorderPoint, data.safetyStock, ...data.projection, 1));
  const stockMin = Math.min(0, ...data.projection);
  const yStock = (v: number) => stockTop + PANEL - ((v - stockMin) / (stockMax - stockMin)) * PANEL;

  const projectionPath = data.projection.map((v, i) => `${i === 0 ? "M" : "L"}${x(today + i).toFixed(1)},${yStock(v).toFixed(1)}`).join(" ");
  const sold = data.history.reduce((s, h) => s + h.units, 0);
  const oosDays = data.history.filter((h) => h.outOfStock).length;
  const belowAt = data.projection.findIndex((v) => v < data.reorderPoint);
  const description =
    `Last ${data.history.length} days: ${sold} units sold${oosDays ? `, ${oosDays} days out of stock` : ""}. ` +
    `Forecast ${fmt(data.dailyForecast)} units per day. Reorder point ${fmt(data.reorderPoint)}, safety stock ${fmt(data.safetyStock)}. ` +
    `Projected stock starts at ${fmt(data.projection[0] ?? 0)}` +
    (belowAt > 0 ? ` and falls below the reorder point in ${belowAt} days` : belowAt === 0 ? ", already below the reorder point" : "") +
    (data.arrivalIndex !== null ? `; the suggested order arrives in about ${data.arrivalIndex} days.` : ".");

  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} style={{ maxWidth: WIDTH, display: "block" }}>
        <title id={`${id}-title`}>{label}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g aria-hidden="true" fontSize="11" fill="#616161">
          <text x={LEFT} y={TOP - 6}>Units sold per day (bars) and forecast (blue)</text>
          <text x={LEFT - 6} y={TOP + 4} textAnchor="end">{fmt(salesMax)}</text>
          <text x={LEFT - 6} y={TOP + PANEL} textAnchor="end">0</text>
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + PANEL} y2={TOP + PANEL} stroke="#c9cccf" />
          {data.history.map((h, i) =>
            h.outOfStock ? <rect key={`o${i}`} x={x(i)} y={TOP} width={barWidth} height={PANEL} fill={COLORS.oos} opacity={0.5} /> : null,
          )}
          {data.history.map((h, i) =>
            h.units > 0 ? <rect key={`s${i}`} x={x(i)} y={ySales(h.units)} width={barWidth} height={TOP + PANEL - ySales(h.units)} fill={COLORS.sales} /> : null,
          )}
          <line x1={x(today)} x2={x(days)} y1={ySales(data.dailyForecast)} y2={ySales(data.dailyForecast)} stroke={COLORS.forecast} strokeWidth={2} strokeDasharray="6 3" />

          <text x={LEFT} y={stockTop - 6}>Projected stock (green), reorder point (amber), safety stock (red)</text>
          <text x={LEFT - 6} y={stockTop + 4} textAnchor="end">{fmt(stockMax)}</text>
          <text x={LEFT - 6} y={stockTop + PANEL} textAnchor="end">{fmt(stockMin)}</text>
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={yStock(0)} y2={yStock(0)} stroke="#c9cccf" />
          <line x1={x(today)} x2={x(days)} y1={yStock(data.reorderPoint)} y2={yStock(data.reorderPoint)} stroke={COLORS.rop} strokeWidth={1.5} strokeDasharray="4 3" />
          <line x1={x(today)} x2={x(days)} y1={yStock(data.safetyStock)} y2={yStock(data.safetyStock)} stroke={COLORS.safety} strokeWidth={1.5} strokeDasharray="2 3" />
          <path d={projectionPath} fill="none" stroke={COLORS.stock} strokeWidth={2} />

          <line x1={x(today)} x2={x(today)} y1={TOP} y2={stockTop + PANEL} stroke={COLORS.today} strokeDasharray="2 2" />
          <text x={x(today)} y={stockTop + PANEL + 16} textAnchor="middle">today</text>
          <text x={LEFT} y={stockTop + PANEL + 16}>{data.startDay}</text>
          <text x={WIDTH - RIGHT} y={stockTop + PANEL + 16} textAnchor="end">+{data.projection.length} days</text>
        </g>
      </svg>
    </figure>
  );
}

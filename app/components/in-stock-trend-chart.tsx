import { useId } from "react";

// Daily in-stock rate (all SKUs and A-class) over the snapshot history, as an inline SVG drawn on the
// server like reorder-chart.tsx: no chart library, no client work before the page can paint.

export interface TrendPoint {
  day: string;
  all: number | null;
  classA: number | null;
}

const WIDTH = 720;
const HEIGHT = 180;
const LEFT = 44;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 24;
const COLORS = { all: "#2c6ecb", classA: "#008060", grid: "#e1e3e5", axis: "#616161" };

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function InStockTrendChart({ points, label }: { points: TrendPoint[]; label: string }) {
  const id = useId();
  const values = points.flatMap((p) => [p.all, p.classA]).filter((v): v is number => v !== null);
  // Rates of a healthy shop sit in the 90s: start the axis at the nearest 10% below the lowest point.
  // (at most 90%, so a flat 100% line still has an axis under it).
  const min = values.length ? Math.min(0.9, Math.max(0, Math.floor(Math.min(...values) * 10) / 10)) : 0;
  const max = 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (i: number) => LEFT + (points.length <= 1 ? plotW : (i / (points.length - 1)) * plotW);
  const y = (v: number) => TOP + plotH - ((v - min) / (max - min || 1)) * plotH;
  const path = (key: "all" | "classA") => {
    let d = "";
    let pen = false;
    points.forEach((p, i) => {
      const v = p[key];
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  const last = points.at(-1);
  const description = points.length
    ? `In-stock rate per day from ${points[0]!.day} to ${last!.day}. ` +
      `Latest: all SKUs ${last!.all === null ? "no data" : pct(last!.all)}, A-class ${last!.classA === null ? "no data" : pct(last!.classA)}. ` +
      `Lowest: ${values.length ? pct(Math.min(...values)) : "no data"}.`
    : "No snapshots yet.";
  const ticks = [min, (min + max) / 2, max];

  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: WIDTH, display: "block" }}>
        <title id={`${id}-t`}>{label}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <g aria-hidden="true" fontSize="11" fill={COLORS.axis}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} stroke={COLORS.grid} />
              <text x={LEFT - 6} y={y(t) + 4} textAnchor="end">{`${Math.round(t * 100)}%`}</text>
            </g>
          ))}
          <path d={path("all")} fill="none" stroke={COLORS.all} strokeWidth={2} />
          <path d={path("classA")} fill="none" stroke={COLORS.classA} strokeWidth={2} strokeDasharray="5 3" />
          {points.length ? (
            <>
              <text x={LEFT} y={HEIGHT - 6}>{points[0]!.day}</text>
              <text x={WIDTH - RIGHT} y={HEIGHT - 6} textAnchor="end">{last!.day}</text>
            </>
          ) : null}
          <text x={WIDTH / 2 - 70} y={HEIGHT - 6} fill={COLORS.all}>— all SKUs</text>
          <text x={WIDTH / 2 + 20} y={HEIGHT - 6} fill={COLORS.classA}>- - A-class</text>
        </g>
      </svg>
    </figure>
  );
}

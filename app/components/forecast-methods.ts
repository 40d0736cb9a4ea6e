import type { ForecastMethod } from "../domain/forecast/forecast-demand.ts";

/** What each of the engine's forecast methods does, in the merchant's words: the same on Settings and on a supplier's page. */
export const FORECAST_METHOD_LABELS: Readonly<Record<ForecastMethod, string>> = {
  auto: "Automatic (recommended): each SKU's best model by back-test, never below its recent rates",
  ewa: "30-day weighted average (the last 7 days count 3×)",
  "period-string": "Period string (average of the 4, 8, 18, 30 and 52-week rates, or the supplier's periods)",
  model: "Model by back-test only (Holt-Winters, Croston or TSB per SKU)",
};

import { LineChart, PolarisVizProvider, type LineChartProps } from "@shopify/polaris-viz";

// Polaris Viz behind one default export, so pages load it as a separate chunk after hydration (React.lazy):
// the chart library is most of a chart page's JavaScript, and nothing before the first paint needs it.
export default function VizLineChart(props: LineChartProps) {
  return (
    <PolarisVizProvider>
      <LineChart {...props} />
    </PolarisVizProvider>
  );
}

// report/specs: the Vega-Lite spec builders for run and sweep reports (one import point).
// May import: nothing outside report/.

export { type Chart, slug, uniqueNames, VEGA_LITE_SCHEMA } from "./chart.js";
export {
  economyChart,
  latencyChart,
  lorenzChart,
  messagesChart,
  type RunTables,
  rewardsChart,
  runCharts,
  throughputChart,
  viewsChart,
} from "./run-specs.js";
export { chooseMetrics, metricHeatmapChart, metricVsParamChart, sensitivityChart, sweepCharts, sweepReport } from "./sweep-specs.js";
export { convergenceChart } from "./tune-specs.js";

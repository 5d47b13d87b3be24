// report/specs: the Vega-Lite spec builders for run, sweep and tune reports (one import point).
// May import: nothing outside report/.

export { type Chart, slug, uniqueNames, VEGA_LITE_SCHEMA } from "./chart.js";
export { economicCharts, economyChart, lorenzChart, reportOutcome, reportsChart, resourceNodesChart, rewardsChart } from "./econ-specs.js";
export { type Band, type RunContext, runContext } from "./run-context.js";
export { latencyChart, messagesChart, runCharts, throughputChart, timelineChart, viewsChart } from "./run-specs.js";
export type { RunInfo, RunTables } from "./spec-kit.js";
export { chooseMetrics, metricHeatmapChart, metricVsParamChart, sensitivityChart, sweepCharts, sweepReport } from "./sweep-specs.js";
export { convergenceChart } from "./tune-specs.js";

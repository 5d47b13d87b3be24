// report/sweep-specs: Vega-Lite specs for a sweep folder — charts that answer the sweep's question.
// Which metrics: the sweep's `report.metrics` when it names them; otherwise every metric whose mean
// varies across the points, leaving out constants and metrics that only repeat a swept parameter
// (e.g. consensus.n when pbft.n is swept) — each omission is listed in the report's notes.
// Which charts, per metric: for grid and zip designs, the mean against each swept parameter (a line
// through the means of a numeric parameter, one line per combination of the others) with each
// point's 95% interval as an error bar, and a heatmap of the mean when exactly two parameters form
// a grid; for sampled designs (random, lhs), one figure per metric with a panel per parameter on a
// shared y axis, points without lines; for sobol and morris designs,
// the sensitivity indices from sensitivity.csv as bars with their bootstrap intervals. Every axis
// carries a unit (./units.ts); the subtitle gives n, the replicates per point. For quantities that
// cannot be negative an interval reaching below 0 is drawn from 0, and flagged (subtitle, tooltip).
// May import: nothing (vega-lite types).

import type { TopLevelSpec } from "vega-lite";
import { type Chart, slug, VEGA_LITE_SCHEMA } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { nonNegative, unitOf, withUnit } from "./units.js";
import { allNumeric, num } from "./values.js";

const WIDTH = 420;
const HEIGHT = 240;

type Row = Record<string, string | number | boolean | null>;

export interface Param {
  name: string;
  /** Safe field name in the inlined data ("p0", "p1", …): parameter names contain dots. */
  key: string;
  numeric: boolean;
  /** Every value is an integer (axis ticks then stay on integers). */
  integer: boolean;
  /** Sampled in log space (the sweep spec's `log: true`): drawn on a log axis. */
  log?: boolean;
}

export type DesignKind = "grid" | "sampled" | "sobol" | "morris";

/** What the report knows of the sweep spec (manifest.json's `sweep`). */
export interface SweepSpecView {
  grid?: Record<string, unknown>;
  zip?: unknown[];
  random?: unknown;
  lhs?: unknown;
  sobol?: unknown;
  morris?: unknown;
  report?: { metrics?: string[] };
}

export interface SweepReportInput {
  aggregate: CsvTable | undefined;
  params: string[];
  sweep?: SweepSpecView;
  sensitivity?: CsvTable;
}

export interface SweepReport {
  charts: Chart[];
  /** What was left out and why, for the page. */
  notes: string[];
}

function spec(title: string, subtitle: string, body: Record<string, unknown>): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, title: { text: title, subtitle }, ...body } as TopLevelSpec;
}

export function designKind(sweep: SweepSpecView | undefined): DesignKind {
  if (sweep?.sobol) return "sobol";
  if (sweep?.morris) return "morris";
  if (sweep?.random || sweep?.lhs) return "sampled";
  return "grid";
}

function paramValue(p: Param, cell: string | undefined): string | number | null {
  if (cell === undefined || cell.trim() === "") return null;
  return p.numeric ? num(cell) : cell;
}

interface MetricRows {
  rows: Row[];
  /** Intervals drawn from 0 instead of below it. */
  clamped: number;
  nMin: number;
  nMax: number;
}

function metricRows(t: CsvTable, params: Param[], metric: string): MetricRows {
  const floor = nonNegative(metric);
  let clamped = 0;
  let nMin = Number.POSITIVE_INFINITY;
  let nMax = 0;
  const rows = t.rows
    .filter((r) => r.metric === metric)
    .map((r) => {
      let lo = num(r.ci95_low);
      const n = num(r.n) ?? 0;
      if (num(r.mean) !== null) {
        nMin = Math.min(nMin, n);
        nMax = Math.max(nMax, n);
      }
      const belowZero = floor && lo !== null && lo < 0;
      if (belowZero) {
        lo = 0;
        clamped++;
      }
      const row: Row = {
        point: r.point ?? "",
        mean: num(r.mean),
        lo,
        hi: num(r.ci95_high),
        n,
        sd: num(r.sd),
        clamped: belowZero,
        interval: belowZero ? "95% CI, clamped at 0" : "95% CI",
      };
      for (const p of params) row[p.key] = paramValue(p, r[p.name]);
      row.label = params.map((p) => `${p.name}=${r[p.name] ?? ""}`).join(", ");
      return row;
    });
  return { rows, clamped, nMin: Number.isFinite(nMin) ? nMin : 0, nMax };
}

function nText(m: MetricRows): string {
  const n = m.nMin === m.nMax ? `n = ${m.nMax}` : `n = ${m.nMin}–${m.nMax}`;
  const clamped = m.clamped > 0 ? `; ${m.clamped} interval${m.clamped === 1 ? "" : "s"} clamped at 0 (the quantity cannot be negative)` : "";
  return `mean and 95% CI (Student t) over ${n} replicates per point${clamped}`;
}

/** Distinct non-null values, numbers ascending, strings in first-seen order. */
function distinct(values: Array<string | number | boolean | null>): Array<string | number> {
  const out: Array<string | number> = [];
  for (const v of values) if (v !== null && typeof v !== "boolean" && !out.includes(v)) out.push(v);
  return out.every((v) => typeof v === "number") ? (out as number[]).sort((a, b) => a - b) : out;
}

function xEncoding(p: Param): Record<string, unknown> {
  return p.numeric
    ? {
        field: p.key,
        type: "quantitative",
        title: withUnit(p.name),
        scale: p.log ? { type: "log" } : { zero: false },
        ...(p.integer ? { axis: { format: "d", tickMinStep: 1 } } : {}),
      }
    : { field: p.key, type: "ordinal", title: withUnit(p.name) };
}

/** Colour for the lines when other parameters vary: the single other parameter, or a combined key. */
function seriesEncoding(others: Param[], rows: Row[]): Record<string, unknown> | undefined {
  if (others.length === 0) return undefined;
  if (others.length === 1) {
    const o = others[0]!;
    const domain = distinct(rows.map((r) => r[o.key] ?? null));
    return { field: o.key, type: "nominal", title: withUnit(o.name), scale: { domain }, legend: { symbolOpacity: 1 } };
  }
  for (const r of rows) r.series = others.map((o) => `${o.name}=${r[o.key] ?? ""}`).join(", ");
  return { field: "series", type: "nominal", title: others.map((o) => o.name).join(", "), legend: { symbolOpacity: 1 } };
}

const TOOLTIP = [
  { field: "label", type: "nominal", title: "point" },
  { field: "mean", type: "quantitative", title: "mean" },
  { field: "lo", type: "quantitative", title: "ci95 low" },
  { field: "hi", type: "quantitative", title: "ci95 high" },
  { field: "interval", type: "nominal", title: "interval" },
  { field: "n", type: "quantitative", title: "n" },
];

/** The interval rules and the means of `metric` against `x` (one view's encoding and layers). */
function meanAndIntervalLayers(metric: string, x: Param, color: Record<string, unknown> | undefined, lines: boolean): Record<string, unknown> {
  const withColor = (enc: Record<string, unknown>) => (color ? { ...enc, color } : enc);
  const yTitle = withUnit(metric);
  const meanMark = lines && x.numeric ? { type: "line", point: true } : { type: "point", filled: true };
  return {
    encoding: { x: xEncoding(x) },
    layer: [
      {
        transform: [{ filter: `isValid(datum.lo) && isValid(datum.hi) && isValid(datum.${x.key})` }],
        mark: { type: "rule", opacity: 0.6 },
        encoding: withColor({
          y: { field: "lo", type: "quantitative", title: yTitle, scale: { zero: false } },
          y2: { field: "hi" },
          strokeDash: { condition: { test: "datum.clamped", value: [3, 2] }, value: [1, 0] },
        }),
      },
      {
        transform: [{ filter: `isValid(datum.${x.key})` }],
        mark: meanMark,
        encoding: withColor({ y: { field: "mean", type: "quantitative", title: yTitle }, tooltip: TOOLTIP }),
      },
    ],
  };
}

/** Mean of `metric` against parameter `x`, each point with its 95% interval. */
export function metricVsParamChart(t: CsvTable, params: Param[], metric: string, x: Param, lines = true): Chart | undefined {
  const m = metricRows(t, params, metric);
  const rows = m.rows.filter((r) => r.mean !== null && r[x.key] !== null);
  if (rows.length === 0) return undefined;
  const color = lines ? seriesEncoding(params.filter((p) => p !== x), rows) : undefined;
  const title = `${metric} vs ${x.name}`;
  return {
    name: `sweep-${slug(metric)}-vs-${slug(x.name)}`,
    title,
    spec: spec(title, nText(m), { width: WIDTH, height: HEIGHT, data: { values: rows }, ...meanAndIntervalLayers(metric, x, color, lines) }),
  };
}

/**
 * Mean of `metric` against every parameter of a sampled design, side by side on a shared y axis:
 * one figure per metric, so parameters' effects compare at a glance (and a report renders one view,
 * not one per parameter).
 */
export function metricVsParamsChart(t: CsvTable, params: Param[], metric: string): Chart | undefined {
  const m = metricRows(t, params, metric);
  const rows = m.rows.filter((r) => r.mean !== null);
  if (rows.length === 0 || params.length === 0) return undefined;
  const title = `${metric} vs ${params.map((p) => p.name).join(", ")}`;
  const width = Math.max(160, Math.min(WIDTH, Math.floor(1000 / params.length)));
  return {
    name: `sweep-${slug(metric)}-vs-params`,
    title,
    spec: spec(title, nText(m), {
      data: { values: rows },
      hconcat: params.map((x) => ({ width, height: HEIGHT, ...meanAndIntervalLayers(metric, x, undefined, false) })),
      resolve: { scale: { y: "shared" } },
    }),
  };
}

/** Heatmap of the mean of `metric` over two parameters. */
export function metricHeatmapChart(t: CsvTable, params: [Param, Param], metric: string): Chart | undefined {
  const [a, b] = params;
  const m = metricRows(t, params, metric);
  const rows = m.rows.filter((r) => r.mean !== null && r[a.key] !== null && r[b.key] !== null);
  if (rows.length === 0) return undefined;
  const means = rows.map((r) => r.mean as number);
  const mid = (Math.min(...means) + Math.max(...means)) / 2;
  const title = `${metric}: mean over ${a.name} × ${b.name}`;
  return {
    name: `sweep-${slug(metric)}-heatmap`,
    title,
    spec: spec(title, nText({ ...m, clamped: 0 }), {
      data: { values: rows },
      width: { step: 64 },
      height: { step: 36 },
      encoding: {
        x: { field: a.key, type: "ordinal", title: withUnit(a.name), axis: { labelAngle: 0 } },
        y: { field: b.key, type: "ordinal", title: withUnit(b.name), sort: "descending" },
        tooltip: [
          { field: "label", type: "nominal", title: "point" },
          { field: "mean", type: "quantitative", title: "mean" },
          { field: "n", type: "quantitative", title: "n" },
        ],
      },
      layer: [
        {
          mark: { type: "rect" },
          encoding: {
            color: { field: "mean", type: "quantitative", title: `${metric} mean (${unitOf(metric)})`, scale: { scheme: "viridis" } },
          },
        },
        {
          mark: { type: "text", fontSize: 10 },
          encoding: {
            text: { field: "mean", type: "quantitative", format: ".3~g" },
            color: { condition: { test: `datum.mean < ${mid}`, value: "white" }, value: "black" },
          },
        },
      ],
    }),
  };
}

const INDEX_LABELS: Record<string, string> = {
  S1: "S1 (first order)",
  ST: "ST (total)",
  mu_star: "μ* (mean |effect|)",
  sigma: "σ (sd of effects)",
};

/** Sensitivity indices of one metric as grouped bars with their bootstrap intervals. */
export function sensitivityChart(t: CsvTable, metric: string, kind: "sobol" | "morris"): Chart | undefined {
  const shown = kind === "sobol" ? ["S1", "ST"] : ["mu_star", "sigma"];
  const rows = t.rows
    .filter((r) => r.metric === metric && shown.includes(r.index ?? ""))
    .map((r) => ({
      parameter: r.parameter ?? "",
      index: INDEX_LABELS[r.index ?? ""] ?? r.index ?? "",
      estimate: num(r.estimate),
      lo: num(r.ci_low),
      hi: num(r.ci_high),
    }))
    .filter((r) => r.estimate !== null);
  if (rows.length === 0) return undefined;
  const yTitle =
    kind === "sobol"
      ? "index (share of output variance, unitless)"
      : `effect (${unitOf(metric)} per full range of the parameter)`;
  const title = `${metric}: ${kind === "sobol" ? "Sobol' indices" : "Morris elementary effects"}`;
  const subtitle =
    kind === "sobol"
      ? "first-order S1 (Saltelli 2010) and total ST (Jansen) with 95% bootstrap intervals"
      : "μ* and σ of the elementary effects with 95% bootstrap intervals";
  const domain = shown.map((s) => INDEX_LABELS[s]!);
  const params = distinct(rows.map((r) => r.parameter));
  return {
    name: `sweep-${slug(metric)}-sensitivity`,
    title,
    spec: spec(title, subtitle, {
      width: { step: 28 },
      height: HEIGHT,
      data: { values: rows },
      encoding: {
        x: { field: "parameter", type: "nominal", title: "parameter (key path)", sort: params, axis: { labelAngle: -30, labelLimit: 400 } },
        xOffset: { field: "index", type: "nominal", scale: { domain } },
        color: { field: "index", type: "nominal", title: "index", scale: { domain } },
      },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y: { field: "estimate", type: "quantitative", title: yTitle },
            tooltip: [
              { field: "parameter", type: "nominal" },
              { field: "index", type: "nominal" },
              { field: "estimate", type: "quantitative", format: ".3f" },
              { field: "lo", type: "quantitative", title: "ci95 low", format: ".3f" },
              { field: "hi", type: "quantitative", title: "ci95 high", format: ".3f" },
            ],
          },
        },
        {
          transform: [{ filter: "isValid(datum.lo) && isValid(datum.hi)" }],
          mark: { type: "rule", color: "black" },
          encoding: { y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" } },
        },
      ],
    }),
  };
}

/** Parameters the spec samples in log space. */
function logParams(sweep: SweepSpecView | undefined): Set<string> {
  const out = new Set<string>();
  for (const block of [sweep?.random, sweep?.lhs, sweep?.sobol, sweep?.morris]) {
    const params = (block as { params?: Record<string, { log?: boolean }> } | undefined)?.params ?? {};
    for (const [k, r] of Object.entries(params)) if (r?.log === true) out.add(k);
  }
  return out;
}

function paramsOf(aggregate: CsvTable, paramNames: string[], logs: Set<string> = new Set()): Param[] {
  return paramNames
    .filter((name) => aggregate.columns.includes(name))
    .map((name, i) => {
      const cells = aggregate.rows.map((r) => r[name] ?? "");
      const numeric = allNumeric(cells);
      const integer = numeric && cells.every((c) => c.trim() === "" || Number.isInteger(Number(c)));
      return { name, key: `p${i}`, numeric, integer, ...(numeric && logs.has(name) ? { log: true } : {}) };
    });
}

/** Metrics in first-seen order with their means by point. */
function meansByMetric(aggregate: CsvTable): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of aggregate.rows) {
    const metric = r.metric;
    if (!metric) continue;
    let m = out.get(metric);
    if (m === undefined) out.set(metric, (m = new Map()));
    const v = num(r.mean);
    if (v !== null) m.set(r.point ?? "", v);
  }
  return out;
}

/** The metrics a report shows, and notes on the ones it leaves out. */
export function chooseMetrics(aggregate: CsvTable, params: Param[], wanted: string[] | undefined): { metrics: string[]; notes: string[] } {
  const means = meansByMetric(aggregate);
  const notes: string[] = [];
  if (wanted !== undefined) {
    const missing = wanted.filter((m) => !means.has(m));
    if (missing.length > 0) notes.push(`Not in this sweep's numeric results: ${missing.join(", ")}.`);
    return { metrics: wanted.filter((m) => means.has(m)), notes };
  }
  const paramAt = new Map<string, Map<string, number>>();
  for (const p of params.filter((q) => q.numeric)) {
    const at = new Map<string, number>();
    for (const r of aggregate.rows) {
      const v = num(r[p.name]);
      if (v !== null) at.set(r.point ?? "", v);
    }
    paramAt.set(p.name, at);
  }
  const constants: string[] = [];
  const copies: string[] = [];
  const metrics: string[] = [];
  for (const [metric, byPoint] of means) {
    const values = [...byPoint.values()];
    if (values.length === 0) continue;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    if (!(hi - lo > 1e-12 * Math.max(Math.abs(lo), Math.abs(hi)))) {
      constants.push(metric);
      continue;
    }
    const copyOf = [...paramAt].find(([, at]) => [...byPoint].every(([pt, v]) => at.get(pt) === v));
    if (copyOf !== undefined) {
      copies.push(`${metric} (= ${copyOf[0]})`);
      continue;
    }
    metrics.push(metric);
  }
  if (constants.length > 0) notes.push(`Constant across the sweep, not charted: ${constants.join(", ")}.`);
  if (copies.length > 0) notes.push(`Only repeat a swept parameter, not charted: ${copies.join(", ")}.`);
  if (metrics.length === 0) notes.push("No metric varies across this sweep.");
  return { metrics, notes };
}

/** Every chart of a sweep report, grouped by metric, and the notes on what was left out. */
export function sweepReport(input: SweepReportInput): SweepReport {
  const { aggregate } = input;
  if (aggregate === undefined || !["metric", "mean"].every((c) => aggregate.columns.includes(c))) return { charts: [], notes: [] };
  const params = paramsOf(aggregate, input.params, logParams(input.sweep));
  const kind = designKind(input.sweep);
  const { metrics, notes } = chooseMetrics(aggregate, params, input.sweep?.report?.metrics);
  const twoParamGrid = kind === "grid" && params.length === 2 && Object.keys(input.sweep?.grid ?? {}).length >= (input.sweep ? 2 : 0);
  const charts: Chart[] = [];
  for (const metric of metrics) {
    if (kind === "sobol" || kind === "morris") {
      const c = input.sensitivity ? sensitivityChart(input.sensitivity, metric, kind) : undefined;
      if (c) charts.push(c);
      continue;
    }
    if (kind === "sampled") {
      const c = metricVsParamsChart(aggregate, params, metric);
      if (c) charts.push(c);
    } else {
      for (const p of params) {
        const c = metricVsParamChart(aggregate, params, metric, p, true);
        if (c) charts.push(c);
      }
    }
    if (twoParamGrid) {
      const h = metricHeatmapChart(aggregate, [params[0]!, params[1]!], metric);
      if (h) charts.push(h);
    }
  }
  if ((kind === "sobol" || kind === "morris") && input.sensitivity === undefined) notes.push("No sensitivity.csv in this folder: no indices to chart.");
  return { charts, notes };
}

/** The charts of sweepReport (kept for callers that only want charts). */
export function sweepCharts(aggregate: CsvTable | undefined, paramNames: string[], sweep?: SweepSpecView, sensitivity?: CsvTable): Chart[] {
  return sweepReport({ aggregate, params: paramNames, ...(sweep ? { sweep } : {}), ...(sensitivity ? { sensitivity } : {}) }).charts;
}

// report/sweep-specs: Vega-Lite specs for a sweep folder's aggregate.csv — each metric against each
// swept parameter (mean line with a 95% CI band, one line per combination of the other
// parameters) and, when exactly two parameters were swept, a heatmap of each metric's mean.
// May import: nothing (vega-lite types).

import type { TopLevelSpec } from "vega-lite";
import { type Chart, slug, VEGA_LITE_SCHEMA } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { allNumeric, num } from "./values.js";

const WIDTH = 420;
const HEIGHT = 240;

type Row = Record<string, string | number | null>;

export interface Param {
  name: string;
  /** Safe field name in the inlined data ("p0", "p1", …): parameter names contain dots. */
  key: string;
  numeric: boolean;
  /** Every value is an integer (axis ticks then stay on integers). */
  integer: boolean;
}

function spec(title: string, body: Record<string, unknown>): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, title, ...body } as TopLevelSpec;
}

function paramValue(p: Param, cell: string | undefined): string | number | null {
  if (cell === undefined || cell.trim() === "") return null;
  return p.numeric ? num(cell) : cell;
}

function metricRows(t: CsvTable, params: Param[], metric: string): Row[] {
  return t.rows
    .filter((r) => r.metric === metric)
    .map((r) => {
      const row: Row = {
        point: r.point ?? "",
        mean: num(r.mean),
        lo: num(r.ci95_low),
        hi: num(r.ci95_high),
        n: num(r.n),
        sd: num(r.sd),
        p50: num(r.p50),
      };
      for (const p of params) row[p.key] = paramValue(p, r[p.name]);
      const parts = params.map((p) => `${p.name}=${r[p.name] ?? ""}`);
      row.label = parts.join(", ");
      return row;
    });
}

/** Distinct non-null values, numbers ascending, strings in first-seen order. */
function distinct(values: Array<string | number | null>): Array<string | number> {
  const out: Array<string | number> = [];
  for (const v of values) if (v !== null && !out.includes(v)) out.push(v);
  return out.every((v) => typeof v === "number") ? (out as number[]).sort((a, b) => a - b) : out;
}

function xEncoding(p: Param): Record<string, unknown> {
  return p.numeric
    ? {
        field: p.key,
        type: "quantitative",
        title: p.name,
        scale: { zero: false },
        ...(p.integer ? { axis: { format: "d", tickMinStep: 1 } } : {}),
      }
    : { field: p.key, type: "ordinal", title: p.name };
}

/** Colour for the lines when other parameters vary: the single other parameter, or a combined key. */
function seriesEncoding(others: Param[], rows: Row[]): Record<string, unknown> | undefined {
  if (others.length === 0) return undefined;
  if (others.length === 1) {
    const o = others[0]!;
    const domain = distinct(rows.map((r) => r[o.key] ?? null));
    return { field: o.key, type: "nominal", title: o.name, scale: { domain }, legend: { symbolOpacity: 1 } };
  }
  for (const r of rows) r.series = others.map((o) => `${o.name}=${r[o.key] ?? ""}`).join(", ");
  return {
    field: "series",
    type: "nominal",
    title: others.map((o) => o.name).join(", "),
    legend: { symbolOpacity: 1 },
  };
}

/** Mean of `metric` against parameter `x` with its 95% confidence band. */
export function metricVsParamChart(t: CsvTable, params: Param[], metric: string, x: Param): Chart | undefined {
  const rows = metricRows(t, params, metric).filter((r) => r.mean !== null && r[x.key] !== null);
  if (rows.length === 0) return undefined;
  const color = seriesEncoding(
    params.filter((p) => p !== x),
    rows,
  );
  const xEnc = xEncoding(x);
  const withColor = (enc: Record<string, unknown>) => (color ? { ...enc, color } : enc);
  const tooltip = [
    { field: "label", type: "nominal", title: "point" },
    { field: "mean", type: "quantitative", title: "mean" },
    { field: "lo", type: "quantitative", title: "ci95 low" },
    { field: "hi", type: "quantitative", title: "ci95 high" },
    { field: "n", type: "quantitative", title: "n" },
  ];
  const title = `${metric} vs ${x.name}`;
  return {
    name: `sweep-${slug(metric)}-vs-${slug(x.name)}`,
    title,
    spec: spec(title, {
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      encoding: { x: xEnc },
      layer: [
        {
          transform: [{ filter: "isValid(datum.lo) && isValid(datum.hi)" }],
          mark: { type: "errorband", opacity: 0.25 },
          encoding: withColor({
            y: { field: "lo", type: "quantitative", title: `${metric} (mean, 95% CI)`, scale: { zero: false } },
            y2: { field: "hi" },
          }),
        },
        {
          mark: { type: "line", point: true },
          encoding: withColor({
            y: { field: "mean", type: "quantitative", title: `${metric} (mean, 95% CI)` },
            tooltip,
          }),
        },
      ],
    }),
  };
}

/** Heatmap of the mean of `metric` over two parameters. */
export function metricHeatmapChart(t: CsvTable, params: [Param, Param], metric: string): Chart | undefined {
  const [a, b] = params;
  const rows = metricRows(t, params, metric).filter((r) => r.mean !== null && r[a.key] !== null && r[b.key] !== null);
  if (rows.length === 0) return undefined;
  const means = rows.map((r) => r.mean as number);
  const mid = (Math.min(...means) + Math.max(...means)) / 2;
  const title = `${metric}: mean over ${a.name} × ${b.name}`;
  return {
    name: `sweep-${slug(metric)}-heatmap`,
    title,
    spec: spec(title, {
      data: { values: rows },
      width: { step: 64 },
      height: { step: 36 },
      encoding: {
        x: { field: a.key, type: "ordinal", title: a.name, axis: { labelAngle: 0 } },
        y: { field: b.key, type: "ordinal", title: b.name, sort: "descending" },
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
            color: { field: "mean", type: "quantitative", title: `${metric} (mean)`, scale: { scheme: "viridis" } },
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

/** All sweep charts for `aggregate` given the swept parameter names, grouped by metric. */
export function sweepCharts(aggregate: CsvTable | undefined, paramNames: string[]): Chart[] {
  if (aggregate === undefined || !["metric", "mean"].every((c) => aggregate.columns.includes(c))) return [];
  const params: Param[] = paramNames
    .filter((name) => aggregate.columns.includes(name))
    .map((name, i) => {
      const cells = aggregate.rows.map((r) => r[name] ?? "");
      const numeric = allNumeric(cells);
      const integer = numeric && cells.every((c) => c.trim() === "" || Number.isInteger(Number(c)));
      return { name, key: `p${i}`, numeric, integer };
    });
  const metrics: string[] = [];
  for (const r of aggregate.rows) if (r.metric && !metrics.includes(r.metric)) metrics.push(r.metric);
  const charts: Chart[] = [];
  for (const metric of metrics) {
    for (const p of params) {
      const c = metricVsParamChart(aggregate, params, metric, p);
      if (c) charts.push(c);
    }
    if (params.length === 2) {
      const h = metricHeatmapChart(aggregate, [params[0]!, params[1]!], metric);
      if (h) charts.push(h);
    }
  }
  return charts;
}

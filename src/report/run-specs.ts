// report/run-specs: Vega-Lite specs for one run folder's CSV tables — request latency, throughput,
// view changes, messages by kind, rewards by class, ozone price and S/P/L, and the Lorenz curve of
// resource-node rewards. Each builder returns undefined when its table or columns are missing.
// Large tables are summarised here (histogram bins, thinned ECDF) so inlined data stays small.
// May import: nothing (d3-array, vega-lite types).

import { bin } from "d3-array";
import type { TopLevelSpec } from "vega-lite";
import { type Chart, VEGA_LITE_SCHEMA } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { lorenz, thin } from "./lorenz.js";
import { bool, num, weiToStos } from "./values.js";

/** The run folder's tables by file stem (requests, throughput, views, messages, epochs, resource_rewards). */
export type RunTables = Partial<Record<string, CsvTable>>;

const WIDTH = 480;
const HEIGHT = 240;
const MAX_POINTS = 1000;

type Row = Record<string, string | number | boolean | null>;

function usable(t: CsvTable | undefined, cols: string[]): t is CsvTable {
  return t !== undefined && t.rows.length > 0 && cols.every((c) => t.columns.includes(c));
}

function spec(title: string, body: Record<string, unknown>): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, title, ...body } as TopLevelSpec;
}

/** Histogram (pre-binned) and ECDF of request latency. */
export function latencyChart(t: CsvTable | undefined): Chart | undefined {
  if (!usable(t, ["latency_s"])) return undefined;
  const xs = t.rows.map((r) => num(r.latency_s)).filter((v): v is number => v !== null);
  if (xs.length === 0) return undefined;
  xs.sort((a, b) => a - b);
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  let bins: Row[];
  if (lo === hi) {
    const w = Math.abs(lo) * 0.1 || 1e-3;
    bins = [{ x0: lo - w / 2, x1: lo + w / 2, count: xs.length }];
  } else {
    bins = bin()
      .domain([lo, hi])
      .thresholds(30)(xs)
      .filter((b) => b.x0 !== undefined && b.x1 !== undefined && b.x1 > b.x0)
      .map((b) => ({ x0: b.x0!, x1: b.x1!, count: b.length }));
  }
  const n = xs.length;
  const ecdf = thin(
    xs.map((v, i) => ({ latency_s: v, fraction: (i + 1) / n })),
    MAX_POINTS,
  );
  const title = `Request latency (n = ${n})`;
  return {
    name: "latency",
    title,
    spec: spec(title, {
      hconcat: [
        {
          width: WIDTH / 1.5,
          height: HEIGHT,
          title: "histogram",
          data: { values: bins },
          mark: { type: "bar", tooltip: true },
          encoding: {
            x: { field: "x0", type: "quantitative", bin: { binned: true }, title: "latency (s)" },
            x2: { field: "x1" },
            y: { field: "count", type: "quantitative", title: "requests" },
          },
        },
        {
          width: WIDTH / 1.5,
          height: HEIGHT,
          title: "ECDF",
          data: { values: ecdf },
          mark: { type: "line", interpolate: "step-after" },
          encoding: {
            x: { field: "latency_s", type: "quantitative", title: "latency (s)" },
            y: {
              field: "fraction",
              type: "quantitative",
              title: "fraction of requests ≤ latency",
              scale: { domain: [0, 1] },
            },
          },
        },
      ],
    }),
  };
}

/** Completed requests per second over time. */
export function throughputChart(t: CsvTable | undefined): Chart | undefined {
  if (!usable(t, ["time_s", "commits"])) return undefined;
  const perSecond = t.columns.includes("bucket_s");
  const values = t.rows
    .map((r) => {
      const commits = num(r.commits);
      const bucket = perSecond ? num(r.bucket_s) : null;
      const rate = commits === null ? null : bucket !== null && bucket > 0 ? commits / bucket : commits;
      return { time_s: num(r.time_s), commits, rate };
    })
    .filter((r) => r.time_s !== null && r.rate !== null);
  if (values.length === 0) return undefined;
  const title = "Throughput over time";
  return {
    name: "throughput",
    title,
    spec: spec(title, {
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: "line", point: values.length <= 60, tooltip: true },
      encoding: {
        x: { field: "time_s", type: "quantitative", title: "time (s)" },
        y: {
          field: "rate",
          type: "quantitative",
          title: perSecond ? "throughput (requests/s)" : "requests completed per bucket",
        },
      },
    }),
  };
}

/** Each replica's view-change events over time, coloured by view. */
export function viewsChart(t: CsvTable | undefined): Chart | undefined {
  if (!usable(t, ["time_s", "replica", "view"])) return undefined;
  const values = t.rows
    .map((r) => ({ time_s: num(r.time_s), replica: num(r.replica) ?? r.replica ?? null, view: num(r.view), event: r.event ?? "" }))
    .filter((r) => r.time_s !== null && r.view !== null);
  if (values.length === 0) return undefined;
  const distinctViews = new Set(values.map((r) => r.view)).size;
  const title = "View changes";
  return {
    name: "view-changes",
    title,
    spec: spec(title, {
      width: WIDTH,
      height: { step: 22 },
      data: { values },
      mark: { type: "point", filled: true, size: 70, tooltip: true },
      encoding: {
        x: { field: "time_s", type: "quantitative", title: "time (s)" },
        y: { field: "replica", type: "ordinal", title: "replica" },
        color: { field: "view", type: distinctViews <= 20 ? "ordinal" : "quantitative", title: "view" },
        shape: {
          field: "event",
          type: "nominal",
          title: "event",
          scale: { domain: ["view_change_started", "new_view_installed"], range: ["triangle-right", "circle"] },
        },
      },
    }),
  };
}

/** Messages sent and dropped per message kind. */
export function messagesChart(t: CsvTable | undefined): Chart | undefined {
  if (!usable(t, ["kind", "sent"])) return undefined;
  const measures = ["sent", "dropped"].filter((c) => t.columns.includes(c));
  const values: Row[] = [];
  for (const r of t.rows) {
    for (const m of measures) {
      values.push({
        kind: r.kind ?? "",
        measure: m,
        count: num(r[m]) ?? 0,
        delivered: num(r.delivered),
        bytes: num(r.bytes),
      });
    }
  }
  const title = "Messages by kind";
  return {
    name: "messages",
    title,
    spec: spec(title, {
      width: { step: 16 * measures.length + 8 },
      height: HEIGHT,
      data: { values },
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { field: "kind", type: "nominal", title: "message kind", axis: { labelAngle: -40 } },
        xOffset: { field: "measure", type: "nominal", sort: measures },
        y: { field: "count", type: "quantitative", title: "messages" },
        color: { field: "measure", type: "nominal", title: "", sort: measures, scale: { domain: measures } },
      },
    }),
  };
}

const CLASSES = ["validators", "meta", "resource"] as const;

/** Per-epoch rewards (mining + traffic) to validators, meta and resource nodes, stacked, in STOS. */
export function rewardsChart(t: CsvTable | undefined): Chart | undefined {
  const cols = CLASSES.flatMap((c) => [`mining_${c}_wei`, `traffic_${c}_wei`]);
  if (!usable(t, ["time_s", ...cols])) return undefined;
  const values: Row[] = [];
  for (const r of t.rows) {
    const time_s = num(r.time_s);
    if (time_s === null) continue;
    for (const c of CLASSES) {
      const mining = weiToStos(r[`mining_${c}_wei`]) ?? 0;
      const traffic = weiToStos(r[`traffic_${c}_wei`]) ?? 0;
      values.push({ epoch: num(r.epoch), time_s, class: c, stos: mining + traffic, mining, traffic });
    }
  }
  if (values.length === 0) return undefined;
  const title = "Rewards by class over time";
  return {
    name: "rewards",
    title,
    spec: spec(title, {
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: "area", line: true, tooltip: true },
      encoding: {
        x: { field: "time_s", type: "quantitative", title: "time (s)" },
        y: { field: "stos", type: "quantitative", stack: "zero", title: "rewards per epoch (STOS)" },
        color: { field: "class", type: "nominal", title: "class", sort: [...CLASSES], scale: { domain: [...CLASSES] } },
        order: { field: "classOrder", type: "quantitative" },
      },
      transform: [{ calculate: "indexof(['validators','meta','resource'], datum.class)", as: "classOrder" }],
    }),
  };
}

const ECONOMY_SERIES: Array<{ col: string; label: string; wei: boolean }> = [
  { col: "ozone_price", label: "ozone price", wei: false },
  { col: "S_wei", label: "S (STOS)", wei: true },
  { col: "P_wei", label: "P (STOS)", wei: true },
  { col: "L_noz", label: "L (noz)", wei: false },
];

/** Ozone price and the S, P, L quantities over time, one panel each with its own y scale. */
export function economyChart(t: CsvTable | undefined): Chart | undefined {
  if (!usable(t, ["time_s"])) return undefined;
  const series = ECONOMY_SERIES.filter((s) => t.columns.includes(s.col));
  if (series.length === 0) return undefined;
  const values: Row[] = [];
  for (const r of t.rows) {
    const time_s = num(r.time_s);
    if (time_s === null) continue;
    for (const s of series) {
      const value = s.wei ? weiToStos(r[s.col]) : num(r[s.col]);
      if (value !== null) values.push({ time_s, epoch: num(r.epoch), series: s.label, value, accepted: bool(r.accepted) });
    }
  }
  if (values.length === 0) return undefined;
  const labels = series.map((s) => s.label);
  const title = "Ozone price and S / P / L over time";
  return {
    name: "economy",
    title,
    spec: spec(title, {
      data: { values },
      vconcat: labels.map((label, i) => ({
        width: WIDTH,
        height: 100,
        transform: [{ filter: { field: "series", equal: label } }],
        mark: { type: "line", point: values.length <= 60 * series.length, tooltip: true },
        encoding: {
          x: { field: "time_s", type: "quantitative", title: i === labels.length - 1 ? "time (s)" : null },
          y: { field: "value", type: "quantitative", title: label, scale: { zero: false } },
        },
      })),
      resolve: { scale: { x: "shared" } },
    }),
  };
}

/** Lorenz curve of total rewards per resource-node wallet, with the line of equality. */
export function lorenzChart(t: CsvTable | undefined): Chart | undefined {
  const hasTotal = usable(t, ["total_wei"]);
  if (!hasTotal && !usable(t, ["mining_wei", "traffic_wei"])) return undefined;
  const amounts = t!.rows.map((r) =>
    hasTotal ? (weiToStos(r.total_wei) ?? 0) : (weiToStos(r.mining_wei) ?? 0) + (weiToStos(r.traffic_wei) ?? 0),
  );
  const l = lorenz(amounts, MAX_POINTS + 1);
  if (l === undefined) return undefined;
  const title = `Lorenz curve of resource-node rewards (Gini = ${l.gini.toFixed(3)}, ${amounts.length} wallets)`;
  const axes = {
    x: { field: "population", type: "quantitative", title: "cumulative share of wallets", scale: { domain: [0, 1] } },
    y: { field: "share", type: "quantitative", title: "cumulative share of rewards", scale: { domain: [0, 1] } },
  };
  return {
    name: "lorenz",
    title,
    spec: spec(title, {
      width: 320,
      height: 320,
      layer: [
        {
          data: { values: [{ population: 0, share: 0 }, { population: 1, share: 1 }] },
          mark: { type: "line", strokeDash: [4, 4], color: "#888888" },
          encoding: axes,
        },
        {
          data: { values: l.points },
          mark: { type: "line", color: "#d62728" },
          encoding: axes,
        },
      ],
    }),
  };
}

/** Every run chart whose inputs are present, in a fixed order. */
export function runCharts(tables: RunTables): Chart[] {
  const built = [
    latencyChart(tables.requests),
    throughputChart(tables.throughput),
    viewsChart(tables.views),
    messagesChart(tables.messages),
    rewardsChart(tables.epochs),
    economyChart(tables.epochs),
    lorenzChart(tables.resource_rewards),
  ];
  return built.filter((c): c is Chart => c !== undefined);
}

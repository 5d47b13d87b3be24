// report/run-specs: Vega-Lite specs for one run folder's consensus tables — the per-replica timeline,
// view changes, throughput, request latency, messages by kind — and `runCharts`, which adds the
// economic charts (econ-specs.ts) and gives every chart its section and caption. Every time chart
// shows time in the unit that fits the run and the fault schedule as shaded bands (time-chart.ts).
// Each builder returns undefined when its table or columns are missing. Large tables are summarised
// here (histogram bins, thinned series) so inlined data stays small.
// May import: nothing outside report/ (d3-array, vega-lite types).

import { bin } from "d3-array";
import type { Chart } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { economicCharts } from "./econ-specs.js";
import { CHART_NOTES } from "./glossary.js";
import { thin } from "./lorenz.js";
import { coord, type RunContext, runContext } from "./run-context.js";
import { HEIGHT, MAX_POINTS, type Row, type RunInfo, type RunTables, spec, usable, WIDTH } from "./spec-kit.js";
import { timed, timeX, toUnit } from "./time-chart.js";
import { num } from "./values.js";

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
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
  return {
    name: "latency",
    title: "Request latency",
    spec: spec(`Request latency (n = ${n})`, {
      hconcat: [
        {
          width: WIDTH / 2,
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
          width: WIDTH / 2,
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

const PER_UNIT: Record<string, string> = { s: "second", min: "minute", h: "hour", days: "day" };

/** Completed requests per second (per minute, hour or day on longer runs) over time. */
export function throughputChart(t: CsvTable | undefined, ctx: RunContext): Chart | undefined {
  if (!usable(t, ["time_s", "commits"])) return undefined;
  const perSecond = t.columns.includes("bucket_s");
  const per = ctx.time.seconds;
  const values = t.rows
    .map((r) => {
      const time = num(r.time_s);
      const commits = num(r.commits);
      const bucket = perSecond ? num(r.bucket_s) : null;
      const rate = commits === null ? null : bucket !== null && bucket > 0 ? (commits / bucket) * per : commits;
      return { t: time === null ? null : toUnit(ctx, time), time_s: time, commits, rate: rate === null ? null : coord(rate) };
    })
    .filter((r) => r.t !== null && r.rate !== null);
  if (values.length === 0) return undefined;
  return {
    name: "throughput",
    title: "Throughput",
    spec: spec(
      perSecond ? `Completed requests per ${PER_UNIT[ctx.time.unit]}` : "Completed requests per bucket",
      timed(ctx, {
        width: WIDTH,
        height: HEIGHT,
        data: { values },
        mark: { type: "line", interpolate: "step-after", point: values.length <= 60, tooltip: true },
        encoding: {
          x: timeX(ctx),
          y: { field: "rate", type: "quantitative", title: perSecond ? `throughput (requests/${ctx.time.unit === "days" ? "day" : ctx.time.unit})` : "requests completed per bucket" },
        },
      }),
      ctx,
    ),
  };
}

const VIEW_EVENTS = ["view_change_started", "new_view_installed"];

/**
 * The view each replica is in or moving to, as a step line per replica (views on the y axis, so 40
 * or 400 views stay readable), with view-change starts and NEW-VIEW installations marked while there
 * are few enough to tell apart.
 */
export function viewsChart(t: CsvTable | undefined, ctx: RunContext): Chart | undefined {
  if (!usable(t, ["time_s", "replica", "view"])) return undefined;
  const events = t.rows
    .map((r) => ({ time: num(r.time_s), replica: num(r.replica), view: num(r.view), event: r.event ?? "" }))
    .filter((r): r is { time: number; replica: number; view: number; event: string } => r.time !== null && r.replica !== null && r.view !== null);
  if (events.length === 0) return undefined;
  const replicas = [...new Set(events.map((e) => e.replica))].sort((a, b) => a - b);
  const steps: Row[] = [];
  for (const r of replicas) {
    steps.push({ t: 0, replica: `r${r}`, view: 0 });
    let last = 0;
    for (const e of events) {
      if (e.replica !== r) continue;
      steps.push({ t: toUnit(ctx, e.time), replica: `r${r}`, view: e.view });
      last = e.view;
    }
    steps.push({ t: toUnit(ctx, ctx.span), replica: `r${r}`, view: last });
  }
  const marks = events.length <= 400 ? events.map((e) => ({ t: toUnit(ctx, e.time), time_s: e.time, replica: `r${e.replica}`, view: e.view, event: e.event })) : [];
  const maxView = Math.max(...events.map((e) => e.view));
  const y = { field: "view", type: "quantitative", title: "view", axis: { tickMinStep: 1, format: "d" }, scale: { domain: [0, Math.max(1, maxView)] } };
  const color = { field: "replica", type: "nominal", title: "replica", sort: replicas.map((r) => `r${r}`) };
  const layer: Record<string, unknown>[] = [
    { data: { values: steps }, mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 }, encoding: { x: timeX(ctx), y, color } },
  ];
  if (marks.length > 0)
    layer.push({
      data: { values: marks },
      mark: { type: "point", filled: true, size: 36, tooltip: true },
      encoding: {
        x: timeX(ctx),
        y,
        color,
        shape: { field: "event", type: "nominal", title: "event", scale: { domain: VIEW_EVENTS, range: ["triangle-right", "circle"] } },
      },
    });
  const installs = events.filter((e) => e.event === "new_view_installed").length;
  const title = `View of each replica (highest ${maxView}; ${installs} NEW-VIEW installation${installs === 1 ? "" : "s"})`;
  return { name: "view-changes", title: "View changes", spec: spec(title, timed(ctx, { width: WIDTH, height: Math.max(120, Math.min(320, 40 + maxView * 6)), layer }), ctx) };
}

const STATE_COLORS: Array<[string, string]> = [
  ["normal", "#a1d99b"],
  ["changing view", "#fdae61"],
  ["fetching state", "#9ecae1"],
  ["cut off by a partition", "#e6550d"],
  ["crashed", "#969696"],
];

function stateOf(status: string, mode: string): string {
  if (status === "crashed") return "crashed";
  if (status === "partitioned") return "cut off by a partition";
  if (mode === "view_change") return "changing view";
  if (mode === "state_transfer") return "fetching state";
  return "normal";
}

/**
 * Per replica: a lane coloured by its state with its view written on it, then its last executed
 * sequence number (solid) and stable checkpoint (dashed) — from replica_timeline.csv.
 */
export function timelineChart(t: CsvTable | undefined, ctx: RunContext, faulty: ReadonlySet<number>): Chart | undefined {
  if (!usable(t, ["time_s", "replica", "status", "view", "mode", "last_executed", "stable_checkpoint"])) return undefined;
  const rows = t.rows
    .map((r) => ({
      time: num(r.time_s),
      replica: num(r.replica),
      state: stateOf(r.status ?? "", r.mode ?? ""),
      view: num(r.view) ?? 0,
      exec: num(r.last_executed) ?? 0,
      stable: num(r.stable_checkpoint) ?? 0,
    }))
    .filter((r): r is typeof r & { time: number; replica: number } => r.time !== null && r.replica !== null);
  if (rows.length === 0) return undefined;
  const replicas = [...new Set(rows.map((r) => r.replica))].sort((a, b) => a - b);
  const lane = (r: number) => `r${r}${faulty.has(r) ? " (faulty)" : ""}`;
  const end = toUnit(ctx, ctx.span);
  const segments: Row[] = [];
  const progress: Row[] = [];
  const minLabel = end / 30;
  for (const r of replicas) {
    const mine = rows.filter((x) => x.replica === r);
    let open: { t0: number; state: string; view: number } | null = null;
    const close = (t1: number) => {
      if (open && t1 > open.t0) {
        const wide = t1 - open.t0 >= minLabel && open.state !== "crashed";
        segments.push({ replica: lane(r), t0: open.t0, t1, mid: coord((open.t0 + t1) / 2), state: open.state, view: open.view, label: wide ? `v${open.view}` : "" });
      }
    };
    const every = Math.max(1, Math.ceil(mine.length / MAX_POINTS));
    mine.forEach((x, i) => {
      const tt = toUnit(ctx, x.time);
      if (!open || open.state !== x.state || open.view !== x.view) {
        close(tt);
        open = { t0: tt, state: x.state, view: x.view };
      }
      if (i % every === 0 || i === mine.length - 1) progress.push({ t: tt, replica: `r${r}`, executed: x.exec, stable: x.stable });
    });
    close(end);
    const last = mine[mine.length - 1]!;
    progress.push({ t: end, replica: `r${r}`, executed: last.exec, stable: last.stable });
  }
  const laneStep = Math.max(10, Math.min(22, Math.floor(360 / replicas.length)));
  const x = timeX(ctx, "t0", null);
  const lanes = {
    width: WIDTH,
    height: { step: laneStep },
    layer: [
      {
        data: { values: segments },
        mark: { type: "bar", tooltip: true },
        encoding: {
          x,
          x2: { field: "t1" },
          y: { field: "replica", type: "nominal", title: null, sort: replicas.map(lane) },
          color: { field: "state", type: "nominal", title: "state", legend: { labelLimit: 240 }, scale: { domain: STATE_COLORS.map((s) => s[0]), range: STATE_COLORS.map((s) => s[1]) } },
        },
      },
      {
        data: { values: segments.filter((s) => s.label !== "") },
        mark: { type: "text", fontSize: 9, color: "#222222" },
        encoding: { x: { field: "mid", type: "quantitative" }, y: { field: "replica", type: "nominal", sort: replicas.map(lane) }, text: { field: "label" } },
      },
    ],
  };
  const series = { field: "replica", type: "nominal", title: "replica", sort: replicas.map((r) => `r${r}`) };
  const exec = {
    width: WIDTH,
    height: 160,
    layer: [
      {
        data: { values: progress },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: { x: timeX(ctx), y: { field: "executed", type: "quantitative", title: "sequence number" }, color: series },
      },
      {
        data: { values: progress },
        mark: { type: "line", interpolate: "step-after", strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x: timeX(ctx), y: { field: "stable", type: "quantitative" }, color: series },
      },
    ],
  };
  return {
    name: "timeline",
    title: "Per-replica timeline",
    spec: spec(
      "Replica state and view; last executed sequence number (solid) and stable checkpoint (dashed)",
      {
        // The lanes are the state itself (opaque); the schedule's bands and labels go on the panel below.
        vconcat: [lanes, timed(ctx, exec, true)],
        resolve: { scale: { x: "shared", color: "independent" } },
      },
      ctx,
    ),
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

/** The latest time any time column of the tables reaches (the span when the manifest does not say). */
function latestTime(tables: RunTables): number {
  let max = 0;
  for (const t of Object.values(tables)) {
    if (!t) continue;
    for (const col of ["time_s", "complete_time", "end_s"]) {
      if (!t.columns.includes(col)) continue;
      for (const r of t.rows) max = Math.max(max, num(r[col]) ?? 0);
    }
  }
  return max;
}

function faultyOf(summary: unknown): Set<number> {
  const s = rec(summary);
  const list = s?.faultyReplicas ?? rec(s?.consensus)?.faultyReplicas;
  return new Set(Array.isArray(list) ? list.filter((x): x is number => typeof x === "number") : []);
}

/** Every run chart whose inputs are present, in a fixed order, with its section and caption. */
export function runCharts(tables: RunTables, info: RunInfo = {}): Chart[] {
  const ctx = runContext(info.span ?? latestTime(tables), tables.schedule, info.summary);
  const consensus = [
    timelineChart(tables.replica_timeline, ctx, faultyOf(info.summary)),
    viewsChart(tables.views, ctx),
    throughputChart(tables.throughput, ctx),
    latencyChart(tables.requests),
    messagesChart(tables.messages),
  ]
    .filter((c): c is Chart => c !== undefined)
    .map((c) => ({ ...c, section: "consensus" as const }));
  const economics = economicCharts(tables, ctx, info.summary).map((c) => ({ ...c, section: "economics" as const }));
  return [...consensus, ...economics].map((c) => ({ ...c, note: CHART_NOTES[c.name] }));
}

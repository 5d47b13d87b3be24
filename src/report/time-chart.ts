// report/time-chart: pieces every time chart of a run report shares — the time axis in the run's
// unit over the whole run, the schedule's shaded bands (with labels on the first panel), and the
// subtitle naming what lasts the whole run. A chart body is layered over its bands with `timed`.
// May import: nothing outside report/.

import type { RunContext } from "./run-context.js";

const MAX_LABEL_LANES = 3;
/** Chart width the labels are fitted to (spec-kit's WIDTH) and the width of one label character at 9 px. */
const PLOT_WIDTH = 560;
const CHAR_PX = 5.2;
/** Beyond this many bands the labels would be noise: the tooltip and the schedule table name them. */
const MAX_LABELLED_BANDS = 16;

/** The x encoding of a time field already converted to the context's unit. */
export function timeX(ctx: RunContext, field = "t", title: string | null = `time (${ctx.time.unit})`): Record<string, unknown> {
  return {
    field,
    type: "quantitative",
    title,
    scale: { domain: [0, Number((ctx.span / ctx.time.seconds).toPrecision(9))], nice: false, zero: true },
  };
}

/** Time in seconds → the context's unit (rounded to 9 significant digits). */
export function toUnit(ctx: RunContext, seconds: number): number {
  return Number((seconds / ctx.time.seconds).toPrecision(9));
}

type Layer = Record<string, unknown>;

/** What goes under a chart's data (shading, rules) and over it (labels, so bars do not hide them). */
interface Layers {
  under: Layer[];
  over: Layer[];
}

/** The first violation of each invariant as a red rule, labelled at the bottom when `labels`. */
function markLayers(ctx: RunContext, labels: boolean): Layers {
  if (ctx.marks.length === 0) return { under: [], over: [] };
  const x = timeX(ctx, "t");
  const under: Layer[] = [
    {
      data: { values: ctx.marks },
      mark: { type: "rule", color: "#b2182b", strokeDash: [3, 2], strokeWidth: 1.5 },
      encoding: { x, tooltip: [{ field: "label", type: "nominal", title: "first violation of" }] },
    },
  ];
  const over: Layer[] = [];
  if (labels) {
    over.push({
      data: { values: ctx.marks },
      mark: { type: "text", align: "left", baseline: "bottom", y: "height", dx: 3, dy: -3, fontSize: 10, fontWeight: "bold", color: "#b2182b" },
      encoding: { x, text: { field: "label" } },
    });
  }
  return { under, over };
}

/** The bands (one rect layer; with `labels` the labels of the first lanes, on top), then the violation marks. */
export function bandLayers(ctx: RunContext, labels: boolean): Layers {
  const marks = markLayers(ctx, labels);
  if (ctx.bands.length === 0) return marks;
  const x = timeX(ctx, "t0");
  const labelLayers: Layer[] = [];
  const under: Layer[] = [
    {
      data: { values: ctx.bands },
      // Many bands (random partitions) overlap: lighter, so the data stays readable.
      mark: { type: "rect", opacity: ctx.bands.length > MAX_LABELLED_BANDS ? 0.07 : 0.14 },
      encoding: {
        x,
        x2: { field: "t1" },
        fill: { field: "fill", type: "nominal", scale: null },
        tooltip: [
          { field: "label", type: "nominal", title: "schedule" },
          { field: "detail", type: "nominal", title: "what" },
        ],
      },
    },
  ];
  if (labels && ctx.bands.length <= MAX_LABELLED_BANDS) {
    // A label as long as its band is wide (the band's own width, or up to the next band in its lane).
    const span = ctx.span / ctx.time.seconds;
    const fitted = ctx.bands.map((b) => {
      const next = ctx.bands.filter((o) => o.lane === b.lane && o.t0 > b.t0).reduce((m, o) => Math.min(m, o.t0), span);
      const chars = Math.floor((((next - b.t0) / span) * PLOT_WIDTH) / CHAR_PX) - 1;
      const text = chars >= b.label.length ? b.label : chars >= 6 ? `${b.label.slice(0, chars - 1)}…` : "";
      return { ...b, text };
    });
    const lanes = Math.min(MAX_LABEL_LANES, 1 + Math.max(...ctx.bands.map((b) => b.lane)));
    for (let lane = 0; lane < lanes; lane++) {
      const values = fitted.filter((b) => b.lane === lane && b.text !== "");
      if (values.length === 0) continue;
      labelLayers.push({
        data: { values },
        mark: { type: "text", align: "left", baseline: "top", dx: 2, dy: 2 + lane * 11, fontSize: 9, color: "#444444", limit: 160 },
        encoding: { x, y: { value: 0 }, text: { field: "text" } },
      });
    }
  }
  return { under: [...under, ...marks.under], over: [...labelLayers, ...marks.over] };
}

/** "Throughout: equivocate replica 0; silent replica 1" when some schedule items last the whole run. */
export function wholeRunNote(ctx: RunContext): string | undefined {
  return ctx.whole.length === 0 ? undefined : `for the whole run: ${ctx.whole.join("; ")}`;
}

/** A unit or layer spec drawn over the schedule's bands (labels on this panel when `labels`). */
export function timed(ctx: RunContext, body: Record<string, unknown>, labels = true): Record<string, unknown> {
  const bands = bandLayers(ctx, labels);
  if (bands.under.length === 0 && bands.over.length === 0) return body;
  const { width, height, title, ...rest } = body;
  const inner = Array.isArray(rest.layer) ? (rest.layer as Record<string, unknown>[]) : [rest];
  const shared = Array.isArray(rest.layer) ? Object.fromEntries(Object.entries(rest).filter(([k]) => k !== "layer")) : {};
  return {
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    ...(title !== undefined ? { title } : {}),
    ...shared,
    layer: [...bands.under, ...inner, ...bands.over],
  };
}

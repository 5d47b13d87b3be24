// trace.html: a self-contained, offline space-time diagram of a trace — a lane per node, an arrow per
// message coloured by kind, drops, down and partition windows, views along the lanes, violations
// linked to the event they were detected at, zoom and pan, filters, and the causal past of a clicked
// event. The data is embedded as columns (viewer.ts's ViewerData), the code is viewer.ts's functions
// inlined by their source. Opens at an event with trace.html#event=<id>, at the first view change
// (#view-change) or violation (#violation), or at a time window (#t=T0..T1).
// The output depends only on the trace (no timestamps).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TraceData } from "./data.js";
import { readTrace } from "./files.js";
import { DIGEST_PREFIX } from "./jsonl.js";
import { DROP_REASON_NAMES, EV, EVENT_NAMES } from "./vocabulary.js";
import { VIEWER_FUNCTIONS, type ViewerData } from "./viewer.js";

export const TRACE_HTML = "trace.html";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The embedded columns of a trace. */
export function viewerData(data: TraceData): ViewerData {
  const { meta, rows, end } = data;
  const n = rows.count;
  const num = (a: ArrayLike<number>): number[] => Array.from({ length: n }, (_, i) => a[i]!);
  const sendRow = new Map<number, number>();
  const peer = new Array<number>(n).fill(-1);
  for (let r = 0; r < n; r++) {
    const msg = rows.msg[r]!;
    if (msg === 0) continue;
    if (rows.ev[r] === EV.send) {
      if (!sendRow.has(msg)) sendRow.set(msg, r);
    } else peer[r] = sendRow.get(msg) ?? -1;
  }
  const extra: Record<string, Record<string, unknown>> = {};
  for (let r = 0; r < n; r++) {
    const x = rows.extra[r];
    if (x !== undefined) extra[String(r)] = x;
  }
  return {
    meta: {
      scenario: meta.scenario,
      seed: meta.seed,
      model: meta.model,
      n: meta.n,
      f: meta.f,
      nodes: meta.nodes.map((x) => ({ node: x.node, role: x.role, index: x.index, label: x.label })),
      seen: end.seen,
      written: end.written,
      truncated: end.truncated,
      simTime: end.simTime,
    },
    events: [...EVENT_NAMES],
    reasons: [...DROP_REASON_NAMES],
    kinds: [...rows.kinds],
    id: num(rows.id),
    // nanosecond resolution is plenty on screen and keeps the page small
    t: Array.from({ length: n }, (_, i) => Math.round(rows.t[i]! * 1e9) / 1e9),
    ev: num(rows.ev),
    node: num(rows.node),
    peer,
    msg: num(rows.msg),
    from: num(rows.from),
    to: num(rows.to),
    kind: num(rows.kind),
    view: num(rows.view),
    seq: num(rows.seq),
    reason: num(rows.reason),
    atSend: num(rows.atSend),
    digest: Array.from({ length: n }, (_, i) => rows.digest[i]!.slice(0, DIGEST_PREFIX)),
    extra,
  };
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1rem;color:#222}
h1{font-size:1.3rem;margin:.2rem 0}
p.note{font-size:.85rem;color:#555;margin:.3rem 0}
#toolbar{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
#toolbar button{font-size:.85rem}
#window{font-size:.8rem;color:#444;margin-left:.6rem}
#controls{display:flex;flex-wrap:wrap;gap:.5rem;font-size:.8rem}
#controls fieldset{border:1px solid #ddd;padding:.2rem .5rem;max-width:46rem}
#controls label{margin-right:.6rem;white-space:nowrap;display:inline-block}
.swatch{display:inline-block;width:.7rem;height:.7rem;margin:0 .2rem;vertical-align:middle}
#wrap{overflow-x:hidden;border:1px solid #ccc;margin:.5rem 0}
#diagram{display:block;cursor:crosshair}
#side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
#details{font-size:.75rem;background:#f7f7f7;padding:.5rem;white-space:pre-wrap;max-height:24rem;overflow:auto}
#violations{font-size:.85rem;color:#b00020}`;

/** The full trace.html document. */
export function traceHtml(data: TraceData): string {
  const m = data.meta;
  const title = `potsim trace: ${m.scenario} (seed ${m.seed})`;
  const code = `${VIEWER_FUNCTIONS.map((f) => f.toString()).join("\n")}\nstartViewer();`.replace(/<\/script/gi, "<\\/script");
  const truncated = data.end.truncated
    ? `<p class="note"><strong>Truncated:</strong> the trace stopped at its limit of ${m.limit} events (t = ${data.end.truncatedAt} s); later events are not shown.</p>`
    : "";
  const filters = [
    m.filters.kinds ? `kinds ${m.filters.kinds.join(", ")}` : "",
    m.filters.nodes ? `nodes ${m.filters.nodes.join(", ")}` : "",
    m.filters.window ? `window ${m.filters.window[0]}..${m.filters.window[1]} s` : "",
  ].filter((s) => s !== "");
  return `${[
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="note">Model ${escapeHtml(m.model)}, n = ${m.n}, f = ${m.f}; ${data.end.written} events shown of ${data.end.seen} traced; simulated time 0 … ${data.end.simTime} s.${filters.length > 0 ? ` Traced with filters: ${escapeHtml(filters.join("; "))}.` : ""} Lanes are nodes (r: replica, c: client, m: meta node, g: gateway; red ✗: faulty by the fault plan); arrows are messages coloured by kind, red crosses drops; grey bands: node down; red bands: cut off by a partition; lane tint and labels: the replica's view (orange: view change in progress). Wheel to zoom, drag to pan, click an event to highlight its causal past.</p>`,
    truncated,
    '<div id="toolbar"><button id="fit">Fit</button><button id="zoom-in">Zoom in</button><button id="zoom-out">Zoom out</button><button id="first-view-change">First view change</button><button id="first-violation">First violation</button><button id="clear">Clear selection</button><span id="window"></span></div>',
    '<div id="controls"></div>',
    '<div id="wrap"><canvas id="diagram"></canvas></div>',
    '<div id="side"><div><h2>Selected event</h2><pre id="details"></pre></div><div><h2>Violations</h2><ul id="violations"></ul></div></div>',
    `<script type="application/json" id="potsim-trace-data">${scriptJson(viewerData(data))}</script>`,
    `<script>\n"use strict";\n${code}\n</script>`,
    "</body>",
    "</html>",
  ]
    .filter((s) => s !== "")
    .join("\n")}\n`;
}

/** Writes trace.html into a run folder. */
export function writeTraceHtml(dir: string, data: TraceData): void {
  writeFileSync(join(dir, TRACE_HTML), traceHtml(data));
}

/** Writes trace.html from the folder's own trace file (sim report); false when it has none. */
export function rewriteTraceHtml(dir: string): boolean {
  const data = readTrace(dir);
  if (data === undefined) return false;
  writeTraceHtml(dir, data);
  return true;
}

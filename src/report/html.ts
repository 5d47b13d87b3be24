// report/html: the self-contained report.html — inlined vega/vega-lite/vega-embed, every chart's
// spec with its data — that renders in a browser opened from disk. A run report reads top-down as a
// researcher asks: did it pass (the verdict banner, with the replay command and links into
// trace.html), what was simulated (the scenario's description and its fault and attack schedule),
// the key figures with their units and meaning, the consensus and economic charts, and at the bottom
// every summary value, collapsed. A sweep or tune report is its summary, its notes (metrics left
// out and why) and its charts.
// Output depends only on its inputs (no timestamps, no random ids).
// May import: nothing outside report/.

import type { Chart } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { browserLibraries } from "./libs.js";
import type { KeyFigure, Verdict } from "./outcome.js";
import { KIND_COLORS } from "./run-context.js";
import { formatNumber, type TimeUnit, timeUnitFor } from "./units.js";
import { num, weiToStos } from "./values.js";

/**
 * Where every output of a results folder is explained. Named as text, not linked: a relative link breaks
 * when the folder moves, and an absolute path computed at render time would differ between machines
 * (report.html must stay byte-identical) and point nowhere once the folder is shared.
 */
export const RESULTS_DOC = "docs/results.md";

export interface ReportPage {
  title: string;
  /** Parsed summary.json, shown as a key/value table when present (collapsed in a run report). */
  summary?: unknown;
  charts: Chart[];
  /** The run's message trace (trace.html next to report.html), linked from the verdict. */
  trace?: TraceLink;
  /** A run report's reader-first parts; absent for sweeps (and folders without a summary). */
  run?: RunPage;
  /** Short remarks shown above the charts (e.g. metrics left out and why). */
  notes?: string[];
  /** The folder's warnings banner (warnings.ts), right under the title; "" or absent for none. */
  banner?: string;
}

/** A link to trace.html; `href` may carry a fragment (#event=<id>) that opens it at that event. */
export interface TraceLink {
  href: string;
  label: string;
  /** Event id of the first view change, when the trace has one (a second link). */
  firstViewChange?: number;
}

export interface RunPage {
  /** "model pot · n = 7 (f = 2) · 5 min simulated · 26,197 events". */
  facts: string;
  verdict: Verdict;
  /** The `sim run …` command that reproduces this run. */
  replay: string;
  /** False when the scenario file is not known (replay.txt missing): the command names a placeholder. */
  replayExact: boolean;
  /** The scenario's own description. */
  description?: string;
  /** schedule.csv. */
  schedule?: CsvTable;
  /** Simulated seconds the run covered. */
  span: number;
  figures: KeyFigure[];
  /** attackers.csv (pot runs). */
  attackers?: CsvTable;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Flattens nested objects to dotted keys; arrays and scalars become display strings. */
export function flattenSummary(value: unknown, prefix = "", out: Array<[string, string]> = []): Array<[string, string]> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flattenSummary(v, prefix === "" ? k : `${prefix}.${k}`, out);
    }
  } else {
    out.push([prefix === "" ? "value" : prefix, typeof value === "string" ? value : JSON.stringify(value) ?? ""]);
  }
  return out;
}

function summaryTable(summary: unknown): string {
  const rows = flattenSummary(summary)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("\n");
  return `<table class="summary">\n${rows}\n</table>`;
}

function summarySection(summary: unknown, collapsed: boolean): string {
  if (!collapsed) return `<section id="summary">\n<h2>Summary</h2>\n${summaryTable(summary)}\n</section>`;
  return `<section id="summary">\n<details>\n<summary>Every summary value (summary.json; each key is explained in ${RESULTS_DOC})</summary>\n${summaryTable(summary)}\n</details>\n</section>`;
}

function chartSection(c: Chart): string {
  const note = c.note ? `\n<p class="note">${escapeHtml(c.note)}.</p>` : "";
  return `<section id="${escapeHtml(c.name)}" class="chart">\n<h3>${escapeHtml(c.title)}</h3>${note}\n<div class="view" data-chart="${escapeHtml(c.name)}"></div>\n</section>`;
}

/** A trace.html link opening at a time window (seconds). */
function traceWindow(t0: number, t1: number): string {
  return `trace.html#t=${Number(t0.toPrecision(9))}..${Number(t1.toPrecision(9))}`;
}

function verdictBanner(run: RunPage, trace: TraceLink | undefined): string {
  const v = run.verdict;
  const lines: string[] = [];
  if (v.passed) {
    lines.push(`<p class="headline">${escapeHtml(v.headline)}.</p>`);
    if (v.checked.length > 0) lines.push(`<p class="checked">Checked continuously: ${escapeHtml(v.checked.join(", "))}.</p>`);
  } else {
    const inv = v.invariant!;
    lines.push(
      `<p class="headline">Violated: <strong>${escapeHtml(inv.id)}</strong> (${escapeHtml(inv.name)}) — ${escapeHtml(inv.meaning)}</p>`,
      `<p class="where">First ${escapeHtml(v.where ?? "")}: ${escapeHtml(v.first?.detail ?? "")}</p>`,
    );
    if (v.total > 1) {
      const also = v.others.map((o) => `${o.id} (${o.name}) × ${o.count}, first ${o.where}`);
      lines.push(`<p class="counts">${v.total} violation records in all: ${escapeHtml(v.counts.map(([id, n]) => `${id} × ${n}`).join(", "))}.${also.length > 0 ? ` Also violated: ${escapeHtml(also.join("; "))}.` : ""}</p>`);
    }
  }
  if (v.stoppedEarly) lines.push(`<p class="stopped">${escapeHtml(v.stoppedEarly)}</p>`);
  const replayNote = run.replayExact ? "Reproduce this run" : "Reproduce this run (name the scenario file)";
  lines.push(`<p class="replay">${replayNote}: <code id="replay">${escapeHtml(run.replay)}</code></p>`);
  if (trace) {
    const links = [`<a id="trace-link" href="${escapeHtml(trace.href)}">${escapeHtml(trace.label)}</a>`];
    if (trace.firstViewChange !== undefined && !trace.href.endsWith(`#event=${trace.firstViewChange}`)) {
      links.push(`<a href="trace.html#event=${trace.firstViewChange}">the first view change</a>`);
    }
    if (!v.passed && v.first) {
      links.push(`<a href="${traceWindow(Math.max(0, v.first.time - 1), v.first.time + 0.1)}">the second before ${escapeHtml(v.first.invariant)}</a>`);
    }
    lines.push(`<p class="trace-link">Messages, message by message: ${links.join(" · ")}</p>`);
  } else {
    lines.push(`<p class="trace-link">No message trace was written; add <code>--trace</code> to the command above for trace.html.</p>`);
  }
  return `<section id="verdict" class="verdict ${v.passed ? "passed" : "violated"}" data-verdict="${v.passed ? "passed" : "violated"}">\n${lines.join("\n")}\n</section>`;
}

/** "60–120 s", "0 s – end" in the run's time unit. */
function when(start: number, end: number | null, unit: TimeUnit): string {
  const f = (t: number) => formatNumber(t / unit.seconds, 4);
  if (end === null) return start <= 0 ? "whole run" : `from ${f(start)} ${unit.unit}`;
  return `${f(start)}–${f(end)} ${unit.unit}`;
}

const SCHEDULE_ROWS_SHOWN = 12;

/** The colour of a kind's bands on the charts (churn is not drawn as bands). */
function swatch(kind: string): string {
  const c = kind === "churn" ? undefined : KIND_COLORS[kind];
  return c ? `<span class="swatch" style="background:${c}"></span>` : "";
}

function scheduleSection(run: RunPage, traced: boolean): string {
  const parts: string[] = ["<section id=\"scenario\">", "<h2>Scenario</h2>"];
  if (run.description) parts.push(`<p class="description">${escapeHtml(run.description)}</p>`);
  parts.push("<h3>Fault and attack schedule</h3>");
  const rows = run.schedule?.rows ?? [];
  if (rows.length === 0) {
    parts.push(`<p>No faults, partitions, network rules or attacks${run.schedule ? "" : " (this folder has no schedule.csv)"}.</p>`);
  } else {
    const unit = timeUnitFor(run.span);
    const body = rows.map((r) => {
      const start = num(r.start_s) ?? 0;
      const end = num(r.end_s);
      const link = traced ? ` <a href="${traceWindow(start, end ?? run.span)}">trace</a>` : "";
      return `<tr class="kind-${escapeHtml(r.kind ?? "")}"><td>${escapeHtml(when(start, end, unit))}${link}</td><td>${swatch(r.kind ?? "")}${escapeHtml(r.kind ?? "")}</td><td>${escapeHtml(r.fault ?? "")}</td><td>${escapeHtml(r.targets ?? "")}</td><td>${escapeHtml(r.detail ?? "")}</td><td>${escapeHtml(r.source ?? "")}</td></tr>`;
    });
    const head = "<thead><tr><th>when</th><th>kind</th><th>fault</th><th>targets</th><th>what</th><th>source</th></tr></thead>";
    // A long schedule (random partitions, drawn faults) shows its first rows; the rest unfold.
    const shown = body.length > SCHEDULE_ROWS_SHOWN + 5 ? SCHEDULE_ROWS_SHOWN : body.length;
    parts.push(`<table class="schedule" id="schedule">\n${head}\n<tbody>\n${body.slice(0, shown).join("\n")}\n</tbody>\n</table>`);
    if (shown < body.length) {
      parts.push(
        `<details class="schedule-more">\n<summary>${body.length - shown} more rows (${body.length} in all; every row is in schedule.csv)</summary>\n<table class="schedule">\n${head}\n<tbody>\n${body.slice(shown).join("\n")}\n</tbody>\n</table>\n</details>`,
      );
    }
    parts.push(
      `<p class="note">Times are simulated time from the start of the run; “drawn” rows were drawn from this run's seed. Bands of the same colours mark them on every time chart; what lasts the whole run is named above the chart.</p>`,
    );
  }
  parts.push("</section>");
  return parts.join("\n");
}

function figuresSection(figures: KeyFigure[]): string {
  if (figures.length === 0) return "";
  const cards = figures.map(
    (f) =>
      `<div class="figure" data-key="${escapeHtml(f.key)}"><div class="label">${escapeHtml(f.label)}</div><div class="value">${escapeHtml(f.value)}${f.unit ? ` <span class="unit">${escapeHtml(f.unit)}</span>` : ""}</div>${f.extra ? `<div class="extra">${escapeHtml(f.extra)}</div>` : ""}<div class="explain">${escapeHtml(f.explain)}</div></div>`,
  );
  return `<section id="figures">\n<h2>Key figures</h2>\n<div class="figures">\n${cards.join("\n")}\n</div>\n</section>`;
}

function stos(cell: string | undefined): string {
  const v = weiToStos(cell);
  return v === null ? "" : formatNumber(v, 4);
}

/** attackers.csv split: Sybil groups and coalitions are attackers; outages are honest nodes that went offline. */
function attackerTables(t: CsvTable | undefined, schedule: CsvTable | undefined): string {
  if (!t || t.rows.length === 0) return "";
  const attackers = t.rows.filter((r) => r.kind !== "offline");
  const offline = t.rows.filter((r) => r.kind === "offline");
  const parts: string[] = [];
  if (attackers.length > 0) {
    const body = attackers.map((r) => {
      const roc = num(r.return_on_cost);
      return `<tr><td>${escapeHtml(r.group ?? "")}</td><td>${escapeHtml(r.kind ?? "")}</td><td>${escapeHtml(r.members ?? "")}</td><td class="num">${stos(r.cost_wei)}</td><td class="num">${stos(r.rewards_wei)}</td><td class="num">${stos(r.profit_wei)}</td><td class="num">${roc === null ? "–" : `${formatNumber(roc * 100, 3)} %`}</td></tr>`;
    });
    parts.push(
      `<section id="attackers" class="table">\n<h3>Attackers: what they spent and earned</h3>\n<table class="data">\n<thead><tr><th>group</th><th>kind</th><th>members</th><th>cost (STOS)</th><th>rewards (STOS)</th><th>profit (STOS)</th><th>return on cost</th></tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>\n<p class="note">A coalition's rewards are those its inflated reports paid its members; a Sybil group's cost is the STOS it prepaid for ozone.</p>\n</section>`,
    );
  }
  if (offline.length > 0) {
    const nodesOf = (group: string) => schedule?.rows.find((r) => r.fault === group)?.targets ?? "";
    const body = offline.map(
      (r) =>
        `<tr><td>${escapeHtml(r.group ?? "")}</td><td>${escapeHtml(nodesOf(r.group ?? "") || `${r.members ?? ""} nodes`)}</td><td class="num">${stos(r.rewards_wei)}</td><td class="num">${stos(r.cost_wei)}</td></tr>`,
    );
    parts.push(
      `<section id="offline" class="table">\n<h3>Offline resource nodes (outages; honest nodes, not attackers)</h3>\n<table class="data">\n<thead><tr><th>outage</th><th>nodes</th><th>rewards (STOS)</th><th>slashing debt at the end (STOS)</th></tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>\n</section>`,
    );
  }
  return parts.join("\n");
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #e4e4e4;padding-bottom:.2rem}h3{font-size:1.02rem;margin:1.6rem 0 .3rem}
p.facts{color:#555;margin-top:0}
section.verdict{border-radius:6px;padding:.8rem 1.1rem;margin:1.2rem 0;border:1px solid}
section.verdict.passed{background:#edf7ed;border-color:#8bc48a}
section.verdict.violated{background:#fdecea;border-color:#e08a80}
section.verdict p{margin:.35rem 0}
section.verdict p.headline{font-size:1.12rem;font-weight:600}
section.verdict p.checked,section.verdict p.counts{font-size:.88rem;color:#444}
code{background:#f3f3f3;padding:.05rem .3rem;border-radius:3px;font-size:.9em}
table.summary,table.schedule,table.data{border-collapse:collapse;font-size:.88rem}
table.summary th,table.summary td,table.schedule th,table.schedule td,table.data th,table.data td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}
table.summary th,table.schedule thead th,table.data thead th{background:#f6f6f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.schedule td:nth-child(-n+3){white-space:nowrap}
span.swatch{display:inline-block;width:.75em;height:.75em;margin-right:.35em;opacity:.55;border-radius:2px;vertical-align:baseline}
p.note{font-size:.85rem;color:#555;margin:.2rem 0 .6rem}
div.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:.7rem}
div.figure{border:1px solid #e0e0e0;border-radius:6px;padding:.55rem .75rem}
div.figure .label{font-size:.85rem;color:#555}
div.figure .value{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
div.figure .unit{font-size:.9rem;font-weight:400;color:#555}
div.figure .extra{font-size:.85rem;color:#333}
div.figure .explain{font-size:.78rem;color:#666;margin-top:.25rem}
nav ul{columns:2;font-size:.9rem}
section.chart{overflow-x:auto}
details summary{cursor:pointer;font-weight:600;margin:.4rem 0}
.error{color:#b00020;white-space:pre-wrap}
footer.docs{margin-top:2.5rem;font-size:.85rem;color:#555}`;

/** Boot script: embeds each spec into its section; sets body[data-rendered] to "ok" or "error". */
const BOOT = `(function () {
  var specs = JSON.parse(document.getElementById("potsim-specs").textContent);
  var opts = { mode: "vega-lite", renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false } };
  var jobs = Object.keys(specs).map(function (name) {
    var el = document.querySelector('div.view[data-chart="' + name + '"]');
    return vegaEmbed(el, specs[name], opts).catch(function (err) {
      el.textContent = "Chart failed to render: " + err;
      el.className += " error";
      console.error("potsim report: chart " + name + " failed:", err);
      throw err;
    });
  });
  Promise.all(jobs).then(
    function () { document.body.setAttribute("data-rendered", "ok"); },
    function () { document.body.setAttribute("data-rendered", "error"); }
  );
})();`;

function navOf(page: ReportPage): string {
  const items: Array<[string, string]> = [];
  if (page.run) {
    items.push(["scenario", "Scenario and fault schedule"], ["figures", "Key figures"]);
  }
  for (const c of page.charts) items.push([c.name, c.title]);
  if (page.run?.attackers?.rows.some((r) => r.kind !== "offline")) items.push(["attackers", "Attackers"]);
  if (page.run?.attackers?.rows.some((r) => r.kind === "offline")) items.push(["offline", "Offline resource nodes"]);
  if (page.summary !== undefined) items.push(["summary", "Every summary value"]);
  if (items.length === 0) return "";
  return `<nav><ul>\n${items.map(([id, t]) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(t)}</a></li>`).join("\n")}\n</ul></nav>`;
}

function notesSection(notes: readonly string[] | undefined): string {
  if (notes === undefined || notes.length === 0) return "";
  return `<section id="notes">\n<h2>Notes</h2>\n<ul class="notes">\n${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("\n")}\n</ul>\n</section>`;
}

/** The charts, under "Consensus" and "Economics" headings when they carry a section. */
function chartsHtml(page: ReportPage): string[] {
  if (page.charts.length === 0) return ["<p>No chart inputs were found in this folder.</p>"];
  const out: string[] = [];
  const unsectioned = page.charts.filter((c) => c.section === undefined);
  out.push(...unsectioned.map(chartSection));
  const consensus = page.charts.filter((c) => c.section === "consensus");
  if (consensus.length > 0) out.push('<h2 id="consensus">Consensus</h2>', ...consensus.map(chartSection));
  const economics = page.charts.filter((c) => c.section === "economics");
  if (economics.length > 0 || page.run?.attackers?.rows.length) {
    out.push('<h2 id="economics">Economics</h2>', ...economics.map(chartSection), attackerTables(page.run?.attackers, page.run?.schedule));
  }
  return out;
}

/** The full HTML document. */
export function reportHtml(page: ReportPage): string {
  const specs: Record<string, unknown> = {};
  for (const c of page.charts) specs[c.name] = c.spec;
  const libs = browserLibraries()
    .map((l) => `<script data-lib="${l.pkg}">\n${l.code}\n</script>`)
    .join("\n");
  const run = page.run;
  const top = run
    ? [
        `<p class="facts">${escapeHtml(run.facts)}</p>`,
        verdictBanner(run, page.trace),
        navOf(page),
        scheduleSection(run, page.trace !== undefined),
        figuresSection(run.figures),
        notesSection(page.notes),
      ]
    : [
        page.trace === undefined ? "" : `<p class="trace-link"><a id="trace-link" href="${escapeHtml(page.trace.href)}">${escapeHtml(page.trace.label)}</a></p>`,
        page.summary === undefined ? "" : summarySection(page.summary, false),
        notesSection(page.notes),
        page.charts.length === 0 ? "" : navOf({ ...page, summary: undefined }),
      ];
  return `${[
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    libs,
    "</head>",
    "<body>",
    // the banner on lines of its own, and no empty line without one
    page.banner ? `<h1>${escapeHtml(page.title)}</h1>\n${page.banner}` : `<h1>${escapeHtml(page.title)}</h1>`,
    ...top,
    ...chartsHtml(page),
    run && page.summary !== undefined ? summarySection(page.summary, true) : "",
    `<footer class="docs"><p>What each file, column (with its unit), summary key and invariant id of this folder means is explained in <code>${RESULTS_DOC}</code> of potsim (in the source repository, and in the installed package under <code>node_modules/potsim/${RESULTS_DOC}</code>).</p></footer>`,
    `<script type="application/json" id="potsim-specs">${scriptJson(specs)}</script>`,
    `<script>\n${BOOT}\n</script>`,
    "</body>",
    "</html>",
  ]
    .filter((s) => s !== "")
    .join("\n")}\n`;
}

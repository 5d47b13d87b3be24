// report/html: the self-contained report.html — inlined vega/vega-lite/vega-embed, every chart's
// spec with its data, an optional summary table — that renders in a browser opened from disk.
// Output depends only on its inputs (no timestamps, no random ids).
// May import: nothing outside report/.

import type { Chart } from "./chart.js";
import { browserLibraries } from "./libs.js";

/**
 * Where every output of a results folder is explained. Named as text, not linked: a relative link breaks
 * when the folder moves, and an absolute path computed at render time would differ between machines
 * (report.html must stay byte-identical) and point nowhere once the folder is shared.
 */
export const RESULTS_DOC = "docs/results.md";

export interface ReportPage {
  title: string;
  /** Parsed summary.json, shown as a key/value table when present. */
  summary?: unknown;
  charts: Chart[];
  /** The run's message trace (trace.html next to report.html), linked at the top of the page. */
  trace?: TraceLink;
  /** Short remarks shown above the charts (e.g. metrics left out and why). */
  notes?: string[];
}

/** A link to trace.html; `href` may carry a fragment (#event=<id>) that opens it at that event. */
export interface TraceLink {
  href: string;
  label: string;
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

function summarySection(summary: unknown): string {
  const rows = flattenSummary(summary)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("\n");
  return `<section id="summary">\n<h2>Summary</h2>\n<table class="summary">\n${rows}\n</table>\n</section>`;
}

function chartSection(c: Chart): string {
  return `<section id="${escapeHtml(c.name)}" class="chart">\n<h2>${escapeHtml(c.title)}</h2>\n<div class="view" data-chart="${escapeHtml(c.name)}"></div>\n</section>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem}
table.summary{border-collapse:collapse;font-size:.9rem}
table.summary th,table.summary td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
table.summary th{background:#f6f6f6;font-weight:600}
nav ul{columns:2;font-size:.9rem}
p.trace-link{font-size:.95rem}
section.chart{overflow-x:auto}
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

/** The full HTML document. */
export function reportHtml(page: ReportPage): string {
  const specs: Record<string, unknown> = {};
  for (const c of page.charts) specs[c.name] = c.spec;
  const libs = browserLibraries()
    .map((l) => `<script data-lib="${l.pkg}">\n${l.code}\n</script>`)
    .join("\n");
  const nav =
    page.charts.length === 0
      ? "<p>No chart inputs were found in this folder.</p>"
      : `<nav><ul>\n${page.charts.map((c) => `<li><a href="#${escapeHtml(c.name)}">${escapeHtml(c.title)}</a></li>`).join("\n")}\n</ul></nav>`;
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
    `<h1>${escapeHtml(page.title)}</h1>`,
    page.trace === undefined ? "" : `<p class="trace-link"><a id="trace-link" href="${escapeHtml(page.trace.href)}">${escapeHtml(page.trace.label)}</a></p>`,
    page.summary === undefined ? "" : summarySection(page.summary),
    page.notes === undefined || page.notes.length === 0
      ? ""
      : `<section id="notes">\n<h2>Notes</h2>\n<ul class="notes">\n${page.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("\n")}\n</ul>\n</section>`,
    nav,
    ...page.charts.map(chartSection),
    `<footer class="docs"><p>What each file, column (with its unit), summary key and invariant id of this folder means is explained in <code>${RESULTS_DOC}</code> of potsim (in the source repository, and in the installed package under <code>node_modules/potsim/${RESULTS_DOC}</code>).</p></footer>`,
    `<script type="application/json" id="potsim-specs">${scriptJson(specs)}</script>`,
    `<script>\n${BOOT}\n</script>`,
    "</body>",
    "</html>",
  ]
    .filter((s) => s !== "")
    .join("\n")}\n`;
}

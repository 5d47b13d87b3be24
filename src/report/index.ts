// report/: charts for run, sweep and tune folders — Vega-Lite specs rendered to charts/<name>.svg and
// .png, and one self-contained report.html. `sim report DIR` calls these entry points.
// May import: metrics.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Chart, uniqueNames } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { type RunPage, reportHtml, type TraceLink } from "./html.js";
import { readCsvIfPresent, readJsonIfPresent, readTables } from "./inputs.js";
import { keyFigures, verdictOf } from "./outcome.js";
import { pngRenderer } from "./png-pool.js";
import { renderSvg } from "./render.js";
import { runCharts } from "./run-specs.js";
import { type SweepSpecView, sweepReport } from "./sweep-specs.js";
import { convergenceChart, convergencePoints } from "./tune-specs.js";
import { formatCount, formatDuration } from "./units.js";
import { warningsBanner } from "./warnings.js";

export { type Chart, slug } from "./chart.js";
export { type CsvTable, parseCsv } from "./csv.js";
export { INVARIANTS, invariantWords } from "./glossary.js";
export { RESULTS_DOC, reportHtml, type ReportPage, type RunPage, type TraceLink } from "./html.js";
export { type KeyFigure, keyFigures, type Verdict, verdictOf } from "./outcome.js";
export { svgToPng } from "./png.js";
export { compileSpec, renderSvg, vegaToSvg } from "./render.js";
export { runCharts } from "./run-specs.js";
export { sweepCharts, sweepReport } from "./sweep-specs.js";
export { nonNegative, unitOf, withUnit } from "./units.js";
export { convergenceChart, convergencePoints } from "./tune-specs.js";

export interface ReportResult {
  /** Paths written, relative to the folder, "/"-separated, sorted. */
  files: string[];
}

/** CSV stems a run folder may hold charts for. */
export const RUN_TABLES = [
  "requests",
  "throughput",
  "views",
  "messages",
  "epochs",
  "resource_rewards",
  "schedule",
  "replica_timeline",
  "attackers",
] as const;

/** The file a run folder keeps its replay command in (written by `sim run` when it knows the scenario file). */
export const REPLAY_FILE = "replay.txt";

/** Statistic columns of aggregate.csv; anything else besides point/metric is a parameter. */
const AGGREGATE_STATS = new Set(["point", "metric", "n", "mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"]);

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** "potsim run report: <scenario> (seed N)" from manifest.json when it says so. */
function runTitle(manifest: unknown): string {
  const m = asRecord(manifest);
  const name = asRecord(m?.scenario)?.name;
  const seed = m?.seed;
  let title = "potsim run report";
  if (typeof name === "string") title += `: ${name}`;
  if (typeof seed === "number") title += ` (seed ${seed})`;
  return title;
}

/** Swept parameter columns: params.json's "columns" (or "params" as written before clashes were renamed), else aggregate.csv's non-statistic columns. */
function sweepParams(dir: string, aggregate: CsvTable | undefined): string[] {
  const json = asRecord(readJsonIfPresent(dir, "params.json"));
  const listed = json?.columns ?? json?.params;
  if (Array.isArray(listed)) return listed.filter((p): p is string => typeof p === "string");
  return aggregate ? aggregate.columns.filter((c) => !AGGREGATE_STATS.has(c)) : [];
}

/**
 * The link to a run folder's trace.html (sim run --trace), opening at the first violation, else at the
 * first view change (event ids from manifest.json's `trace` block); undefined without trace.html.
 */
export function traceLinkOf(dir: string, manifest: unknown, summary?: unknown): TraceLink | undefined {
  if (!existsSync(join(dir, "trace.html"))) return undefined;
  const t = asRecord(asRecord(manifest)?.trace);
  const violation = t?.firstViolation;
  const viewChange = t?.firstViewChange;
  const first = typeof viewChange === "number" ? { firstViewChange: viewChange } : {};
  if (typeof violation === "number") {
    // The trace's first violation line is summary.json's first violation record.
    const v = asRecord(Array.isArray(asRecord(summary)?.violations) ? (asRecord(summary)!.violations as unknown[])[0] : undefined);
    const which = typeof v?.invariant === "string" && typeof v.time === "number" ? ` (${v.invariant} at t = ${formatDuration(v.time)})` : "";
    return { href: `trace.html#event=${violation}`, label: `trace.html at the first violation${which}`, ...first };
  }
  if (typeof viewChange === "number") return { href: `trace.html#event=${viewChange}`, label: "trace.html at the first view change", ...first };
  return { href: "trace.html", label: "trace.html" };
}

function numberOf(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * The command that reproduces a run: replay.txt when `sim run` wrote one, else rebuilt from the
 * manifest with a placeholder for the scenario file (the folder does not say where it was).
 */
export function replayOf(dir: string, manifest: unknown): { command: string; exact: boolean } {
  const path = join(dir, REPLAY_FILE);
  if (existsSync(path)) return { command: readFileSync(path, "utf8").trim(), exact: true };
  const m = asRecord(manifest);
  const scenario = asRecord(m?.scenario);
  const seed = numberOf(m?.seed) ?? numberOf(scenario?.seed);
  const until = numberOf(m?.until);
  const untilArg = until !== undefined && until !== numberOf(scenario?.until) ? ` --until ${until}` : "";
  return { command: `sim run <scenario file>${seed === undefined ? "" : ` --seed ${seed}`}${untilArg}`, exact: false };
}

/** "model pot · n = 7 (f = 2) · 5 min simulated · 26,197 events". */
function factsOf(summary: unknown, span: number): string {
  const s = asRecord(summary);
  const c = asRecord(s?.consensus) ?? s;
  const parts: string[] = [];
  if (typeof s?.model === "string") parts.push(`model ${s.model}`);
  const n = numberOf(c?.n);
  const f = numberOf(c?.f);
  if (n !== undefined) parts.push(`n = ${n} replicas${f !== undefined ? ` (f = ${f})` : ""}`);
  parts.push(`${formatDuration(span)} simulated`);
  const events = numberOf(s?.events);
  if (events !== undefined) parts.push(`${formatCount(events)} events`);
  return parts.join(" · ");
}

/** Writes charts/<name>.svg and .png for each chart (PNGs on ./png-pool.ts's threads), then report.html. */
async function writeReport(
  dir: string,
  title: string,
  summary: unknown,
  charts: Chart[],
  extras: { trace?: TraceLink; notes?: string[]; run?: RunPage } = {},
): Promise<ReportResult> {
  const files: string[] = [];
  if (charts.length > 0) mkdirSync(join(dir, "charts"), { recursive: true });
  const pngs = pngRenderer(charts.length);
  try {
    const pending: Promise<void>[] = [];
    for (const c of charts) {
      const svg = await renderSvg(c.spec);
      writeFileSync(join(dir, "charts", `${c.name}.svg`), svg);
      pending.push(pngs.png(svg).then((png) => writeFileSync(join(dir, "charts", `${c.name}.png`), png)));
      files.push(`charts/${c.name}.svg`, `charts/${c.name}.png`);
    }
    await Promise.all(pending);
  } finally {
    await pngs.close();
  }
  writeFileSync(join(dir, "report.html"), reportHtml({ title, summary, charts, ...extras, banner: warningsBanner(dir, summary) }));
  files.push("report.html");
  return { files: files.sort() };
}

/** Charts and report.html for a run folder (requests/throughput/views/messages/epochs/resource_rewards CSVs). */
export async function renderRunReport(dir: string): Promise<ReportResult> {
  const tables = readTables(dir, RUN_TABLES);
  const manifest = readJsonIfPresent(dir, "manifest.json");
  const summary = readJsonIfPresent(dir, "summary.json");
  const span = numberOf(asRecord(manifest)?.simTime) ?? numberOf(asRecord(summary)?.simTime);
  const charts = uniqueNames(runCharts(tables, { span, summary }));
  let run: RunPage | undefined;
  if (summary !== undefined) {
    const replay = replayOf(dir, manifest);
    const description = asRecord(asRecord(manifest)?.scenario)?.description;
    run = {
      facts: factsOf(summary, span ?? 0),
      verdict: verdictOf(summary, manifest),
      replay: replay.command,
      replayExact: replay.exact,
      description: typeof description === "string" ? description : undefined,
      schedule: tables.schedule,
      span: span ?? 0,
      figures: keyFigures(summary),
      attackers: tables.attackers,
    };
  }
  return writeReport(dir, runTitle(manifest), summary, charts, { trace: traceLinkOf(dir, manifest, summary), run });
}

/** Charts and report.html for a sweep folder (aggregate.csv, params.json, manifest.json's sweep spec, sensitivity.csv). */
export async function renderSweepReport(dir: string): Promise<ReportResult> {
  const aggregate = readCsvIfPresent(dir, "aggregate");
  const sweep = asRecord(asRecord(readJsonIfPresent(dir, "manifest.json"))?.sweep) as SweepSpecView | undefined;
  const sensitivity = readCsvIfPresent(dir, "sensitivity");
  const report = sweepReport({
    aggregate,
    params: sweepParams(dir, aggregate),
    ...(sweep ? { sweep } : {}),
    ...(sensitivity ? { sensitivity } : {}),
  });
  return writeReport(dir, "potsim sweep report", readJsonIfPresent(dir, "summary.json"), uniqueNames(report.charts), { notes: report.notes });
}

/** The convergence chart and report.html for a `sim tune` folder (tune.csv + summary.json). */
export async function renderTuneReport(dir: string): Promise<ReportResult> {
  const tune = readCsvIfPresent(dir, "tune");
  const summary = asRecord(readJsonIfPresent(dir, "summary.json"));
  const objective = asRecord(summary?.objective);
  const minimise = objective?.maximize === undefined;
  const text = String(objective?.minimize ?? objective?.maximize ?? "objective");
  const chart = tune ? convergenceChart(convergencePoints(tune), text, minimise) : undefined;
  return writeReport(dir, `potsim tune report${typeof summary?.name === "string" ? `: ${summary.name}` : ""}`, summary, chart ? [chart] : []);
}

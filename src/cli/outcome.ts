// What `sim run` prints on stdout when a run is written: its usual first line (scenario, seed, events,
// simulated time, trace hash, folder), then the outcome — the verdict in plain words (which invariant
// broke, when, where, and the command that replays it), three to six key figures with their units,
// and where the report and the trace are. Verdict and figures come from report/outcome.ts, the same
// source as report.html's banner and cards; nothing here loads the charting libraries.
// May import: report/outcome.ts, report/glossary.ts, report/units.ts (light modules, no vega).

import { join } from "node:path";
import { type KeyFigure, keyFigures, verdictOf } from "../report/outcome.js";

/** Which key figures the terminal shows, per model (the report shows them all). */
const TERMINAL_FIGURES: Readonly<Record<string, readonly string[]>> = {
  pbft: ["requestsCompleted", "latency.p50_s", "viewChanges", "executedSeq", "messages"],
  pot: ["reports.accepted", "issuance.minedStos", "issuance.trafficPaidStos", "market.ozonePrice", "consensus.viewChanges", "consensus.latency.p50_s"],
  phold: ["processed"],
};

/** A shell word: as is when safe, else in double quotes (as `sim check` writes --set values). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** The `sim run` command that reproduces a run: the file as given, every --set, the seed, --until when given. */
export function replayCommand(file: string, sets: readonly string[], seed: number, until?: number): string {
  const parts = ["sim", "run", shellWord(file), "--seed", String(seed)];
  if (until !== undefined) parts.push("--until", String(until));
  for (const s of sets) parts.push("--set", `"${s.replace(/(["\\$`])/g, "\\$1")}"`);
  return parts.join(" ");
}

export interface OutcomeInput {
  /** The line `sim run` has always printed first. */
  firstLine: string;
  dir: string;
  summary: Record<string, unknown>;
  manifest: Record<string, unknown>;
  /** Whether charts and report.html were drawn. */
  charts: boolean;
  /** The trace file's name in the folder (trace.jsonl or trace.jsonl.gz), when traced. */
  traceFile?: string;
  /** The replay command, when the scenario file is known. */
  replay?: string;
}

function warningsOf(summary: Record<string, unknown>): Array<{ code: string }> {
  const w = summary.warnings;
  return Array.isArray(w) ? w.filter((x): x is { code: string } => typeof x === "object" && x !== null && typeof x.code === "string") : [];
}

function figureLine(f: KeyFigure, width: number): string {
  const unit = f.unit ? ` ${f.unit}` : "";
  const extra = f.extra ? ` (${f.extra})` : "";
  return `  ${f.label.padEnd(width)}  ${f.value}${unit}${extra}`;
}

/** The lines `sim run` prints, each ending in a newline. */
export function formatOutcome(o: OutcomeInput): string {
  const lines = [o.firstLine];
  const v = verdictOf(o.summary, o.manifest);
  if (v.passed) lines.push(`PASSED: ${v.headline.replace(/^Passed: /, "")}`);
  else {
    const inv = v.invariant!;
    lines.push(`VIOLATED: ${inv.id} (${inv.name}): ${inv.meaning}`);
    lines.push(`  first ${v.where}: ${v.first?.detail ?? ""}`);
    if (v.total > 1) lines.push(`  ${v.total} violation records: ${v.counts.map(([id, n]) => `${id} × ${n}`).join(", ")} (each on stderr)`);
  }
  if (v.stoppedEarly) lines.push(`  ${v.stoppedEarly}`);
  // A pass in which a declared actor never acted may have tested nothing: say so under the verdict.
  const warnings = warningsOf(o.summary);
  if (warnings.length > 0) {
    lines.push(`  but with ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (each on stderr): ${warnings.map((w) => w.code).join(", ")}`);
  }
  if (o.replay) lines.push(`  replay: ${o.replay}`);
  const model = typeof o.summary.model === "string" ? o.summary.model : "";
  const wanted = TERMINAL_FIGURES[model] ?? [];
  const figures = keyFigures(o.summary).filter((f) => wanted.includes(f.key));
  figures.sort((a, b) => wanted.indexOf(a.key) - wanted.indexOf(b.key));
  const width = Math.max(0, ...figures.map((f) => f.label.length));
  for (const f of figures) lines.push(figureLine(f, width));
  if (o.charts) lines.push(`report: ${join(o.dir, "report.html")}`);
  else lines.push(`report: not drawn (--no-charts); draw it with: sim report ${shellWord(o.dir)}`);
  if (o.traceFile) lines.push(`trace:  ${o.charts ? `${join(o.dir, "trace.html")} (data: ${o.traceFile})` : join(o.dir, o.traceFile)}`);
  return `${lines.join("\n")}\n`;
}

// report/run-context: what every time chart of one run shares — the run's span and the time unit that
// fits it, and the fault and attack schedule (schedule.csv) as bands: the items that start or end
// inside the run are shaded on every time chart; items that last the whole run are named in the
// chart's subtitle instead (a band over the whole plot would hide nothing and show nothing); churn,
// which goes on all the time, is left to the resource-node chart.
// May import: nothing outside report/.

import type { CsvTable } from "./csv.js";
import { type TimeUnit, timeUnitFor } from "./units.js";
import { num } from "./values.js";

/** A schedule item drawn as a shaded band, times in the chart's unit. */
export interface Band {
  t0: number;
  t1: number;
  kind: string;
  /** "silent replica 1", "partition nodes 0, 1 | 2-10". */
  label: string;
  detail: string;
  /** Band colour (by kind). */
  fill: string;
  /** Label row (0 = top), so overlapping bands' labels do not overlap. */
  lane: number;
}

/** The first violation of an invariant, marked on every time chart. */
export interface Mark {
  t: number;
  label: string;
}

export interface RunContext {
  /** Simulated seconds the run covered. */
  span: number;
  time: TimeUnit;
  bands: Band[];
  /** First violation of each invariant violated (at most MAX_MARKS). */
  marks: Mark[];
  /** Items lasting the whole run, as labels. */
  whole: string[];
}

/** Band colour of each schedule kind (Tableau 10 hues, light enough at the band's opacity). */
export const KIND_COLORS: Readonly<Record<string, string>> = {
  crash: "#7f7f7f",
  byzantine: "#d62728",
  twins: "#d62728",
  partition: "#ff7f0e",
  network_rule: "#9467bd",
  latency_spike: "#8c564b",
  coalition: "#e377c2",
  sybil: "#bcbd22",
  outage: "#17becf",
  churn: "#17becf",
};

/** "silent replica 1" from a schedule row. */
export function scheduleLabel(row: Record<string, string>): string {
  return `${row.fault ?? ""} ${row.targets ?? ""}`.trim();
}

/** Rounds a chart coordinate to 9 significant digits (smaller pages, same picture). */
export function coord(v: number): number {
  return Number(v.toPrecision(9));
}

/**
 * The context of a run folder's charts: `span` from manifest/summary simTime (else the latest time in
 * the tables), the schedule's bands.
 */
const MAX_MARKS = 6;

/** The first violation of each invariant in summary.json's list, in time order; marks closer than 2% of the run share one rule and label. */
function violationMarks(summary: unknown, unit: TimeUnit, span: number): Mark[] {
  const list = summary !== null && typeof summary === "object" ? (summary as { violations?: unknown }).violations : undefined;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const marks: Mark[] = [];
  for (const v of list) {
    const inv = (v as { invariant?: unknown })?.invariant;
    const time = (v as { time?: unknown })?.time;
    if (typeof inv !== "string" || typeof time !== "number" || seen.has(inv)) continue;
    seen.add(inv);
    const t = coord(time / unit.seconds);
    const near = marks.find((m) => Math.abs(m.t - t) * unit.seconds <= span * 0.02);
    if (near) near.label += `, ${inv}`;
    else marks.push({ t, label: inv });
    if (seen.size === MAX_MARKS) break;
  }
  return marks;
}

export function runContext(span: number, schedule: CsvTable | undefined, summary?: unknown): RunContext {
  const s = span > 0 ? span : 1;
  const time = timeUnitFor(s);
  const bands: Band[] = [];
  const whole: string[] = [];
  const laneEnds: number[] = [];
  for (const row of schedule?.rows ?? []) {
    if (row.kind === "churn") continue;
    const start = num(row.start_s) ?? 0;
    const end = num(row.end_s);
    const stop = end === null ? s : Math.min(end, s);
    if (start > s) continue;
    const label = scheduleLabel(row);
    if (start <= s * 1e-3 && stop >= s * (1 - 1e-3)) {
      whole.push(label);
      continue;
    }
    // Greedy lanes: the first whose last band ended before this one starts.
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(stop);
    } else laneEnds[lane] = stop;
    bands.push({
      t0: coord(start / time.seconds),
      t1: coord(Math.max(stop, start + s * 2e-3) / time.seconds),
      kind: row.kind ?? "",
      label,
      detail: row.detail ?? "",
      fill: KIND_COLORS[row.kind ?? ""] ?? "#999999",
      lane,
    });
  }
  return { span: s, time, bands, whole, marks: violationMarks(summary, time, s) };
}

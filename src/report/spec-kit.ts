// report/spec-kit: what the run chart builders share — the tables record, sizes, the usable-table
// test and the top-level spec with the run's whole-schedule note as its subtitle.
// May import: nothing outside report/ (vega-lite types).

import type { TopLevelSpec } from "vega-lite";
import { VEGA_LITE_SCHEMA } from "./chart.js";
import type { CsvTable } from "./csv.js";
import type { RunContext } from "./run-context.js";
import { wholeRunNote } from "./time-chart.js";

/** The run folder's tables by file stem (requests, throughput, views, messages, epochs, …). */
export type RunTables = Partial<Record<string, CsvTable>>;

/** What the charts know of the run besides its tables. */
export interface RunInfo {
  /** Simulated seconds the run covered (manifest/summary simTime); else the latest time in the tables. */
  span?: number;
  /** Parsed summary.json (faulty replicas, resource-node count, epoch length). */
  summary?: unknown;
}

export const WIDTH = 560;
export const HEIGHT = 220;
export const MAX_POINTS = 1000;

export type Row = Record<string, string | number | boolean | null>;

export function usable(t: CsvTable | undefined, cols: string[]): t is CsvTable {
  return t !== undefined && t.rows.length > 0 && cols.every((c) => t.columns.includes(c));
}

/** A top-level spec; the whole-run schedule note becomes the subtitle of time charts. */
export function spec(title: string, body: Record<string, unknown>, ctx?: RunContext): TopLevelSpec {
  const note = ctx ? wholeRunNote(ctx) : undefined;
  const t = note ? { text: title, subtitle: note, subtitleColor: "#666666", anchor: "start" } : { text: title, anchor: "start" };
  return { $schema: VEGA_LITE_SCHEMA, title: t, ...body } as TopLevelSpec;
}


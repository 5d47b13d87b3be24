// Tabular results: a named table of rows with fixed columns, written as CSV by csv-stringify.
// Numbers are formatted deterministically so identical runs give identical bytes.

import { stringify } from "csv-stringify/sync";

export type Cell = string | number | boolean | bigint | null;

export interface Table {
  /** File stem: `<name>.csv`. */
  name: string;
  columns: string[];
  rows: Cell[][];
}

/** Canonical text of a cell: integers as is, floats with up to 12 significant digits. */
export function formatCell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
    return String(Number(v.toPrecision(12)));
  }
  return String(v);
}

export function tableToCsv(t: Table): string {
  const rows = t.rows.map((r) => r.map(formatCell));
  return stringify([t.columns, ...rows], { record_delimiter: "unix" });
}

/** Rounds a float for JSON summaries so tiny platform-independent noise never shows. */
export function round(v: number, digits = 12): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}

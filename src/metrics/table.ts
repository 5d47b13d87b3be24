// Tabular results: a named table of rows with fixed columns, written as CSV by csv-stringify.
// Numbers are formatted deterministically so identical runs give identical bytes. A long table
// (a 10-year run's epochs: 525,600 rows of 33 cells) can also give its rows one at a time; the CSV
// is then written in chunks of rows straight to the file, never held as cells or as one string.

import { closeSync, openSync, writeSync } from "node:fs";
import { stringify } from "csv-stringify/sync";

export type Cell = string | number | boolean | bigint | null;

export interface Table {
  /** File stem: `<name>.csv`. */
  name: string;
  columns: string[];
  rows: Cell[][];
  /**
   * The rows in order, one at a time (`row` may be reused between calls): what writeTableCsv reads
   * when present, so a table that keeps its rows compactly builds `rows` only if someone asks.
   */
  eachRow?(visit: (row: readonly Cell[]) => void): void;
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

/**
 * Rows per csv-stringify call when streaming: records are independent, so chunks concatenate to
 * tableToCsv's text. Small enough that a chunk's text (~40 KB of epochs rows) is an ordinary young
 * object: with 4,096 rows each chunk's 1.3 MB string went to the large-object space, which only a
 * full GC empties, and writing a 10-year epochs table raised the peak RSS by ~0.4 GB.
 */
const CSV_CHUNK_ROWS = 128;

/** Writes the table's CSV to `path` (tableToCsv's bytes), streaming the rows of a table with eachRow. */
export function writeTableCsv(path: string, t: Table): void {
  const fd = openSync(path, "w");
  try {
    if (t.eachRow === undefined) {
      writeSync(fd, tableToCsv(t));
      return;
    }
    writeSync(fd, stringify([t.columns], { record_delimiter: "unix" }));
    let chunk: string[][] = [];
    const flush = () => {
      if (chunk.length > 0) writeSync(fd, stringify(chunk, { record_delimiter: "unix" }));
      chunk = [];
    };
    t.eachRow((row) => {
      chunk.push(row.map(formatCell));
      if (chunk.length === CSV_CHUNK_ROWS) flush();
    });
    flush();
  } finally {
    closeSync(fd);
  }
}

/** Rounds a float for JSON summaries so tiny platform-independent noise never shows. */
export function round(v: number, digits = 12): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}

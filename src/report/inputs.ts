// report/inputs: reading a results folder's CSV and JSON files; a missing file reads as undefined.
// May import: nothing.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CsvTable, parseCsv } from "./csv.js";

/** `<dir>/<stem>.csv` parsed, or undefined when the file does not exist. */
export function readCsvIfPresent(dir: string, stem: string): CsvTable | undefined {
  const path = join(dir, `${stem}.csv`);
  return existsSync(path) ? parseCsv(readFileSync(path, "utf8")) : undefined;
}

/** `<dir>/<file>` parsed as JSON, or undefined when the file does not exist. */
export function readJsonIfPresent(dir: string, file: string): unknown {
  const path = join(dir, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as unknown) : undefined;
}

/** Reads the named tables of a folder into a record keyed by stem (missing stems are absent). */
export function readTables(dir: string, stems: readonly string[]): Partial<Record<string, CsvTable>> {
  const out: Partial<Record<string, CsvTable>> = {};
  for (const stem of stems) {
    const t = readCsvIfPresent(dir, stem);
    if (t !== undefined) out[stem] = t;
  }
  return out;
}

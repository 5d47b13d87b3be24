// report/chart: the Chart record shared by spec builders, renderers and the HTML page, plus the
// naming helpers that turn metric/parameter names into safe file stems and element ids.
// May import: nothing (vega-lite types only).

import type { TopLevelSpec } from "vega-lite";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export interface Chart {
  /** File stem and HTML section id: [A-Za-z0-9_-] only, unique within a report. */
  name: string;
  /** Human-readable heading. */
  title: string;
  /** Vega-Lite spec with its data inlined as `values`. */
  spec: TopLevelSpec;
  /** Where report.html puts it (run reports); absent: in order, without a section heading. */
  section?: "consensus" | "economics";
  /** One-line caption under its heading (glossary.ts CHART_NOTES). */
  note?: string;
}

/** A file-name- and id-safe version of a metric or parameter name. */
export function slug(text: string): string {
  const s = text
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return s === "" ? "x" : s;
}

/** Makes chart names unique by suffixing -2, -3, … to repeats, keeping order. */
export function uniqueNames(charts: Chart[]): Chart[] {
  const seen = new Map<string, number>();
  return charts.map((c) => {
    const k = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, k);
    return k === 1 ? c : { ...c, name: `${c.name}-${k}` };
  });
}

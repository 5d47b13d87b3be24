// The gate's coverage as a terminal table (stdout) and as coverage.csv (docs/results.md).

import type { Table } from "../metrics/index.js";
import { coveragePaths } from "./github.js";
import type { GateReport } from "./report.js";

/** coverage.csv: one row per scenario file and path its model has. */
export function coverageTable(report: GateReport): Table {
  return {
    name: "coverage",
    columns: ["file", "scenario", "path", "seeds", "seeds_reached", "count"],
    rows: report.suites.flatMap((s) => s.coverage.map((t) => [s.file, s.name, t.path, t.seeds, t.seedsReached, t.count])),
  };
}

/**
 * The table `sim check` prints: per path, the seeds that reached it over all scenarios that can
 * (`reached/seeds`) and the times it was reached; required paths are marked. Empty when no scenario
 * has paths (phold).
 */
export function coverageText(report: GateReport): string {
  const paths = coveragePaths(report);
  if (paths.length === 0) return "";
  const required = new Set(report.required.map((r) => r.path));
  const rows = paths.map((path) => {
    let seeds = 0;
    let reached = 0;
    let count = 0;
    for (const s of report.suites) {
      const t = s.coverage.find((x) => x.path === path);
      if (t === undefined) continue;
      seeds += t.seeds;
      reached += t.seedsReached;
      count += t.count;
    }
    return [path, `${reached}/${seeds}`, String(count), required.has(path) ? (reached > 0 ? "required" : "REQUIRED, MISSING") : ""];
  });
  const head = ["path", "seeds", "times", ""];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join("  ")
      .trimEnd();
  return `coverage (seeds that reached each path):\n${[head, ...rows].map((r) => `  ${line(r)}`).join("\n")}\n`;
}

// sweep/outputs: writes a finished sweep (or shard) folder atomically — everything goes into a
// hidden temporary folder renamed into place when complete. Files: runs.csv, aggregate.csv,
// sensitivity.csv (sobol and morris designs, not in shard folders: ./sensitivity.ts),
// params.json, summary.json (counts by status), manifest.json, timing.json (wall times: the only
// file that differs between identical sweeps), optional charts; a shard adds shard.json and
// tasks.jsonl (its raw task results, which `mergeShards` reads).
// May import: scenario, world, metrics, report, kernel.

import { stableJson, tableToCsv, writeAtomically } from "../metrics/index.js";
import { aggregateTable } from "./aggregate.js";
import type { SweepManifest } from "./manifest.js";
import { paramColumns, runsTable } from "./runs-table.js";
import { sensitivityTable } from "./sensitivity.js";
import type { TaskResult, TaskStatus } from "./task.js";

export interface ShardInfo {
  index: number;
  count: number;
}

export interface ShardFile extends ShardInfo {
  specHash: string;
  /** Total tasks of the whole sweep. */
  totalTasks: number;
  /** Task indices this shard ran, ascending. */
  tasks: number[];
}

export interface SweepFolderFiles {
  manifest: SweepManifest;
  /** Results in task order (all tasks, or a shard's). */
  results: readonly TaskResult[];
  timing: unknown;
  shard?: ShardInfo;
  charts?: boolean;
  /** Replace an output folder that is not a potsim result. */
  force?: boolean;
}

export function statusCounts(results: readonly TaskResult[]): Record<TaskStatus, number> {
  const c: Record<TaskStatus, number> = { ok: 0, violation: 0, error: 0, invalid: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

export interface TaskFailure {
  point: number;
  replicate: number;
  seed: number;
  status: TaskStatus;
  error: string;
}

export function failuresOf(results: readonly TaskResult[]): TaskFailure[] {
  return results
    .filter((r) => r.status !== "ok")
    .map((r) => ({ point: r.point, replicate: r.replicate, seed: r.seed, status: r.status, error: r.error }));
}

/** How many points of a sweep warned (a point warns when any of its runs does), overall and per code. */
export interface SweepWarnings {
  /** Points with at least one run that carries a warning. */
  points: number;
  /** Points of these results. */
  totalPoints: number;
  /** Per warning code (first-appearance order in task order): the points with a run that carries it. */
  byCode: { code: string; points: number }[];
}

export function sweepWarnings(results: readonly TaskResult[]): SweepWarnings {
  const all = new Set<number>();
  const warned = new Set<number>();
  const byCode = new Map<string, Set<number>>();
  for (const r of results) {
    all.add(r.point);
    for (const code of r.warnings) {
      warned.add(r.point);
      let s = byCode.get(code);
      if (!s) byCode.set(code, (s = new Set()));
      s.add(r.point);
    }
  }
  return { points: warned.size, totalPoints: all.size, byCode: [...byCode].map(([code, s]) => ({ code, points: s.size })) };
}

/** The stderr line of a sweep with warnings ("3 of 40 points have warnings: …"); undefined when none. */
export function sweepWarningsLine(w: SweepWarnings): string | undefined {
  if (w.points === 0) return undefined;
  const codes = w.byCode.map((c) => `${c.code} (${c.points})`).join(", ");
  return `${w.points} of ${w.totalPoints} point${w.totalPoints === 1 ? "" : "s"} ${w.points === 1 ? "has" : "have"} warnings: ${codes} (see the warnings column of runs.csv)`;
}

export function sweepSummary(manifest: SweepManifest, results: readonly TaskResult[]): Record<string, unknown> {
  const c = statusCounts(results);
  return {
    name: manifest.name,
    specHash: manifest.specHash,
    points: manifest.points.length,
    replicates: manifest.replicates,
    tasks: results.length,
    failed: results.length - c.ok,
    status: c,
  };
}

export async function writeSweepFolder(dir: string, f: SweepFolderFiles): Promise<void> {
  await writeAtomically(dir, async (put, tmp) => {
    put("runs.csv", tableToCsv(runsTable(f.manifest, f.results)));
    put("aggregate.csv", tableToCsv(aggregateTable(f.manifest, f.results)));
    // A shard holds a subset of the design's points: its indices come with the merged folder.
    const sensitivity = f.shard === undefined ? sensitivityTable(f.manifest, f.results) : undefined;
    if (sensitivity !== undefined) put("sensitivity.csv", tableToCsv(sensitivity));
    put("params.json", stableJson({ columns: paramColumns(f.manifest.params), params: f.manifest.params }));
    put("summary.json", stableJson(sweepSummary(f.manifest, f.results)));
    put("manifest.json", stableJson(f.manifest));
    if (f.shard !== undefined) {
      const shard: ShardFile = {
        index: f.shard.index,
        count: f.shard.count,
        specHash: f.manifest.specHash,
        totalTasks: f.manifest.tasks.length,
        tasks: f.results.map((r) => r.index),
      };
      put("shard.json", stableJson(shard));
      put("tasks.jsonl", f.results.map((r) => `${JSON.stringify(JSON.parse(stableJson(r)))}\n`).join(""));
    }
    if (f.charts) {
      const { renderSweepReport } = await import("../report/index.js");
      await renderSweepReport(tmp);
    }
    put("timing.json", stableJson(f.timing));
  }, { force: f.force === true });
}

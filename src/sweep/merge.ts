// sweep/merge: combines shard folders into the folder an unsharded sweep writes, byte for byte
// (timing.json aside). Checks that every shard comes from the same spec (same spec hash and
// identical manifest.json) and that together they cover every task exactly once.
// May import: scenario, world, metrics, report, kernel.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SweepManifest } from "./manifest.js";
import { failuresOf, type ShardFile, statusCounts, type TaskFailure, writeSweepFolder } from "./outputs.js";
import { defaultOutDir } from "./plan.js";
import { canonicalResult, type TaskResult, type TaskStatus } from "./task.js";

export class MergeError extends Error {}

export interface MergeOptions {
  charts?: boolean;
}

export interface MergeOutcome {
  dir: string;
  shards: number;
  total: number;
  failed: number;
  status: Record<TaskStatus, number>;
  failures: TaskFailure[];
}

interface ShardRead {
  dir: string;
  shard: ShardFile;
  manifestText: string;
  results: TaskResult[];
  timing: unknown;
}

function readShard(dir: string): ShardRead {
  const file = (name: string) => join(dir, name);
  if (!existsSync(file("shard.json"))) throw new MergeError(`${dir}: not a shard folder (no shard.json)`);
  const shard = JSON.parse(readFileSync(file("shard.json"), "utf8")) as ShardFile;
  const manifestText = readFileSync(file("manifest.json"), "utf8");
  const lines = readFileSync(file("tasks.jsonl"), "utf8").split("\n").filter((l) => l !== "");
  const results = lines.map((l, i) => {
    try {
      return canonicalResult(JSON.parse(l) as TaskResult);
    } catch (e) {
      throw new MergeError(`${dir}/tasks.jsonl:${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const listed = results.map((r) => r.index);
  if (listed.length !== shard.tasks.length || listed.some((t, i) => t !== shard.tasks[i])) {
    throw new MergeError(`${dir}: tasks.jsonl does not match the task list in shard.json`);
  }
  const timing = existsSync(file("timing.json")) ? (JSON.parse(readFileSync(file("timing.json"), "utf8")) as unknown) : null;
  return { dir, shard, manifestText, results, timing };
}

/** Merges shard folders into `out` (default: results/<scenario>/sweep-<spechash8>). */
export async function mergeShards(dirs: readonly string[], out?: string, opts: MergeOptions = {}): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new MergeError("no shard folders given");
  const shards = dirs.map(readShard);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    if (s.shard.specHash !== first.shard.specHash) {
      throw new MergeError(`${s.dir} is from sweep ${s.shard.specHash}, ${first.dir} from ${first.shard.specHash}`);
    }
    if (s.manifestText !== first.manifestText) {
      throw new MergeError(`${s.dir} and ${first.dir} have different manifest.json (other scenario path, --set or potsim version)`);
    }
  }
  const manifest = JSON.parse(first.manifestText) as SweepManifest;
  const total = manifest.tasks.length;
  const byIndex: (TaskResult | undefined)[] = new Array(total);
  const owner: string[] = new Array(total);
  for (const s of shards) {
    for (const r of s.results) {
      const t = manifest.tasks[r.index];
      if (t === undefined || t.point !== r.point || t.replicate !== r.replicate || t.seed !== r.seed) {
        throw new MergeError(`${s.dir}: task ${r.index} does not belong to sweep ${manifest.specHash}`);
      }
      if (byIndex[r.index] !== undefined) {
        throw new MergeError(`task ${r.index} (point ${r.point}, replicate ${r.replicate}) is in both ${owner[r.index]} and ${s.dir}`);
      }
      byIndex[r.index] = r;
      owner[r.index] = s.dir;
    }
  }
  const missing: number[] = [];
  for (let i = 0; i < total; i++) if (byIndex[i] === undefined) missing.push(i);
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
    throw new MergeError(`${missing.length} of ${total} tasks are in no shard (tasks ${shown})`);
  }
  const results = byIndex as TaskResult[];
  const dir = out ?? defaultOutDir({ name: manifest.name, specHash: manifest.specHash });
  await writeSweepFolder(dir, {
    manifest,
    results,
    charts: opts.charts === true,
    timing: {
      mergedFrom: shards.map((s) => ({ dir: s.dir, shard: `${s.shard.index}/${s.shard.count}`, timing: s.timing })),
      finishedAt: new Date().toISOString(),
    },
  });
  const status = statusCounts(results);
  return { dir, shards: shards.length, total, failed: total - status.ok, status, failures: failuresOf(results) };
}

// sweep/merge: combines shard folders into the folder an unsharded sweep writes, byte for byte
// (timing.json aside). Checks that every shard comes from the same spec (same spec hash and
// identical manifest.json) and that together they cover every task exactly once.
// May import: scenario, world, metrics, report, kernel.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkFolderName, OutputError } from "../metrics/index.js";
import type { SweepManifest } from "./manifest.js";
import { failuresOf, type ShardFile, statusCounts, type SweepWarnings, sweepWarnings, type TaskFailure, writeSweepFolder } from "./outputs.js";
import { defaultOutDir } from "./plan.js";
import { canonicalResult, type TaskResult, type TaskStatus } from "./task.js";

export class MergeError extends Error {}

export interface MergeOptions {
  charts?: boolean;
  /** Replace an output folder that is not a potsim result. */
  force?: boolean;
}

export interface MergeOutcome {
  dir: string;
  shards: number;
  total: number;
  failed: number;
  status: Record<TaskStatus, number>;
  failures: TaskFailure[];
  /** Points whose runs carry warnings, as SweepOutcome.warnings. */
  warnings: SweepWarnings;
}

interface ShardRead {
  dir: string;
  shard: ShardFile;
  manifestText: string;
  results: TaskResult[];
  timing: unknown;
}

/** A shard folder's file as text; a missing, unreadable or non-regular file is a MergeError. */
function readText(dir: string, name: string): string {
  const p = join(dir, name);
  try {
    if (!statSync(p).isFile()) throw new MergeError(`${p} is not a file`);
    return readFileSync(p, "utf8");
  } catch (e) {
    if (e instanceof MergeError) throw e;
    const code = (e as { code?: string }).code;
    throw new MergeError(`${dir}: cannot read ${name} (${code === "ENOENT" ? "missing" : (code ?? String(e))})`);
  }
}

function parseJson<T>(dir: string, name: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new MergeError(`${dir}/${name} is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
}

const STATUSES = ["ok", "violation", "error", "invalid"];

function isTaskResult(r: unknown): r is TaskResult {
  if (r === null || typeof r !== "object") return false;
  const t = r as Record<string, unknown>;
  return (
    ["index", "point", "replicate", "seed"].every((k) => Number.isSafeInteger(t[k]) && (t[k] as number) >= 0) &&
    typeof t.status === "string" &&
    STATUSES.includes(t.status) &&
    typeof t.error === "string" &&
    Array.isArray(t.warnings) &&
    t.warnings.every((w) => typeof w === "string") &&
    t.metrics !== null &&
    typeof t.metrics === "object" &&
    !Array.isArray(t.metrics)
  );
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isNat = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/** The fields merging and writing the sweep folder read, with their types. */
function isSweepManifest(m: unknown): m is SweepManifest {
  if (!isObj(m)) return false;
  return (
    typeof m.name === "string" &&
    typeof m.specHash === "string" &&
    typeof m.scenarioFile === "string" &&
    isNat(m.replicates) &&
    isNat(m.baseSeed) &&
    Array.isArray(m.params) &&
    m.params.every((p) => typeof p === "string") &&
    Array.isArray(m.set) &&
    Array.isArray(m.points) &&
    m.points.every((p) => isObj(p) && isNat(p.point) && Array.isArray(p.values) && Array.isArray(p.overrides) && typeof p.error === "string") &&
    Array.isArray(m.tasks) &&
    m.tasks.every((t) => isObj(t) && isNat(t.task) && isNat(t.point) && isNat(t.replicate) && isNat(t.seed) && typeof t.replay === "string") &&
    m.points.every((p) => (p as { values: unknown[] }).values.length === (m.params as unknown[]).length) &&
    m.tasks.every((t, i) => (t as { task: number }).task === i && (t as { point: number }).point < (m.points as unknown[]).length)
  );
}

const isIndexList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && x >= 0);

function readShard(dir: string): ShardRead {
  if (!existsSync(join(dir, "shard.json"))) throw new MergeError(`${dir}: not a shard folder (no shard.json)`);
  const shard = parseJson<ShardFile>(dir, "shard.json", readText(dir, "shard.json"));
  if (shard === null || typeof shard !== "object" || typeof shard.specHash !== "string" || !isIndexList(shard.tasks)) {
    throw new MergeError(`${dir}/shard.json is not a shard description`);
  }
  const manifestText = readText(dir, "manifest.json");
  const manifest = parseJson<SweepManifest>(dir, "manifest.json", manifestText);
  if (!isSweepManifest(manifest)) throw new MergeError(`${dir}/manifest.json is not a sweep manifest`);
  const lines = readText(dir, "tasks.jsonl").split("\n").filter((l) => l !== "");
  const results = lines.map((l, i) => {
    let r: TaskResult;
    try {
      r = canonicalResult(JSON.parse(l) as TaskResult);
    } catch (e) {
      throw new MergeError(`${dir}/tasks.jsonl:${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isTaskResult(r)) throw new MergeError(`${dir}/tasks.jsonl:${i + 1}: not a task result`);
    return r;
  });
  const listed = results.map((r) => r.index);
  if (listed.length !== shard.tasks.length || listed.some((t, i) => t !== shard.tasks[i])) {
    throw new MergeError(`${dir}: tasks.jsonl does not match the task list in shard.json`);
  }
  let timing: unknown = null;
  try {
    timing = existsSync(join(dir, "timing.json")) ? (JSON.parse(readFileSync(join(dir, "timing.json"), "utf8")) as unknown) : null;
  } catch {
    timing = null; // wall times only; a damaged one does not stop a merge
  }
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
  let dir: string;
  try {
    dir = out ?? defaultOutDir({ name: checkFolderName(manifest.name, "scenario name"), specHash: checkFolderName(manifest.specHash, "spec hash") });
  } catch (e) {
    if (e instanceof OutputError) throw new MergeError(`${first.dir}/manifest.json: ${e.message}`);
    throw e;
  }
  await writeSweepFolder(dir, {
    manifest,
    results,
    charts: opts.charts === true,
    force: opts.force === true,
    timing: {
      mergedFrom: shards.map((s) => ({ dir: s.dir, shard: `${s.shard.index}/${s.shard.count}`, timing: s.timing })),
      finishedAt: new Date().toISOString(),
    },
  });
  const status = statusCounts(results);
  return { dir, shards: shards.length, total, failed: total - status.ok, status, failures: failuresOf(results), warnings: sweepWarnings(results) };
}

// sweep/shard: which slice of a sweep this process runs. A shard I/N runs the tasks whose index
// % N === I. Sources, first match wins: `--shard I/N`; Slurm job arrays (SLURM_ARRAY_TASK_ID minus
// SLURM_ARRAY_TASK_MIN when set, count from --shards or SLURM_ARRAY_TASK_COUNT); Kubernetes
// Indexed Jobs (JOB_COMPLETION_INDEX, count from --shards or POTSIM_SHARD_COUNT).
// May import: scenario, world, metrics, report, kernel.

import type { ShardInfo } from "./outputs.js";

export class ShardError extends Error {}

function nonNegInt(text: string | undefined, what: string): number {
  const v = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isSafeInteger(v) || v < 0) {
    throw new ShardError(`${what} must be a non-negative integer, got ${JSON.stringify(text ?? "")}`);
  }
  return v;
}

function checked(index: number, count: number, source: string): ShardInfo {
  if (count < 1) throw new ShardError(`${source}: shard count must be >= 1, got ${count}`);
  if (index >= count) throw new ShardError(`${source}: shard index ${index} must be < shard count ${count}`);
  return { index, count };
}

/** `I/N` as given to --shard. */
export function parseShard(text: string): ShardInfo {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`--shard must look like I/N (e.g. 0/4), got ${JSON.stringify(text)}`);
  return checked(Number(m[1]), Number(m[2]), "--shard");
}

export interface ShardSources {
  /** `--shard I/N`. */
  shard?: string;
  /** `--shards N`: the count when the index comes from the environment. */
  shards?: number;
  env?: Record<string, string | undefined>;
}

/** The shard to run, or undefined for the whole sweep. Throws ShardError on inconsistent input. */
export function resolveShard(src: ShardSources): ShardInfo | undefined {
  if (src.shard !== undefined) return parseShard(src.shard);
  const env = src.env ?? process.env;
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== "") {
    const id = nonNegInt(slurmId, "SLURM_ARRAY_TASK_ID");
    const min = env.SLURM_ARRAY_TASK_MIN ? nonNegInt(env.SLURM_ARRAY_TASK_MIN, "SLURM_ARRAY_TASK_MIN") : 0;
    const count = src.shards ?? nonNegInt(env.SLURM_ARRAY_TASK_COUNT, "SLURM_ARRAY_TASK_COUNT");
    if (id < min) throw new ShardError(`SLURM_ARRAY_TASK_ID ${id} is below SLURM_ARRAY_TASK_MIN ${min}`);
    return checked(id - min, count, "Slurm array");
  }
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== "") {
    const index = nonNegInt(k8s, "JOB_COMPLETION_INDEX");
    if (src.shards === undefined && (env.POTSIM_SHARD_COUNT ?? "") === "") {
      throw new ShardError("JOB_COMPLETION_INDEX is set: give the shard count with --shards N or POTSIM_SHARD_COUNT");
    }
    const count = src.shards ?? nonNegInt(env.POTSIM_SHARD_COUNT, "POTSIM_SHARD_COUNT");
    return checked(index, count, "Indexed Job");
  }
  if (src.shards !== undefined) {
    throw new ShardError("--shards N needs an index: --shard I/N, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX");
  }
  return undefined;
}

export function inShard(taskIndex: number, shard: ShardInfo | undefined): boolean {
  return shard === undefined || taskIndex % shard.count === shard.index;
}

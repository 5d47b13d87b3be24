import { describe, expect, it } from "vitest";
import { inShard, parseShard, resolveShard, ShardError } from "../../src/sweep/shard.js";

describe("shards", () => {
  it("parses I/N and checks the index", () => {
    expect(parseShard("1/4")).toEqual({ index: 1, count: 4 });
    expect(() => parseShard("4/4")).toThrow(/must be < shard count 4/);
    expect(() => parseShard("0/0")).toThrow(/count must be >= 1/);
    expect(() => parseShard("a/b")).toThrow(ShardError);
  });

  it("assigns task i to shard i % N", () => {
    const s = { index: 2, count: 3 };
    expect([0, 1, 2, 3, 4, 5, 8].filter((i) => inShard(i, s))).toEqual([2, 5, 8]);
    expect(inShard(7, undefined)).toBe(true);
  });

  it("reads Slurm job arrays (offset by SLURM_ARRAY_TASK_MIN)", () => {
    expect(resolveShard({ env: { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "8" } })).toEqual({ index: 3, count: 8 });
    expect(
      resolveShard({ env: { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" } }),
    ).toEqual({ index: 4, count: 8 });
    expect(resolveShard({ shards: 16, env: { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "8" } })).toEqual({
      index: 3,
      count: 16,
    });
    expect(() => resolveShard({ env: { SLURM_ARRAY_TASK_ID: "3" } })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
  });

  it("reads Kubernetes Indexed Jobs with the count from --shards or POTSIM_SHARD_COUNT", () => {
    expect(resolveShard({ shards: 4, env: { JOB_COMPLETION_INDEX: "2" } })).toEqual({ index: 2, count: 4 });
    expect(resolveShard({ env: { JOB_COMPLETION_INDEX: "0", POTSIM_SHARD_COUNT: "3" } })).toEqual({ index: 0, count: 3 });
    expect(() => resolveShard({ env: { JOB_COMPLETION_INDEX: "2" } })).toThrow(/--shards N or POTSIM_SHARD_COUNT/);
    expect(() => resolveShard({ shards: 2, env: { JOB_COMPLETION_INDEX: "2" } })).toThrow(/must be < shard count 2/);
  });

  it("--shard wins over the environment; no source means the whole sweep", () => {
    expect(resolveShard({ shard: "0/2", env: { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" } })).toEqual({
      index: 0,
      count: 2,
    });
    expect(resolveShard({ env: {} })).toBeUndefined();
    expect(() => resolveShard({ shards: 3, env: {} })).toThrow(/needs an index/);
  });
});

// End-to-end sweeps on small PHOLD scenarios: layout, worker-count independence, resume,
// sharding + merge, failures.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stableJson } from "../../src/metrics/index.js";
import { parseCsv } from "../../src/report/csv.js";
import {
  deriveSeed,
  MergeError,
  mergeShards,
  planSweep,
  ResumeMismatchError,
  runSweep,
  type SweepProgress,
} from "../../src/sweep/index.js";
import { runScenario } from "../../src/world/run.js";
import { ensureWorkerBuilt, FIXTURES, snapshot, tempDir } from "./support.js";

const GRID = join(FIXTURES, "phold-grid.yaml");
const ZIP = join(FIXTURES, "extends-zip.yaml");

let tmp: string;
let reference: string;

beforeAll(async () => {
  tmp = tempDir("e2e");
  reference = join(tmp, "reference");
  const o = await runSweep(GRID, { workers: 1, out: reference });
  expect(o.failed).toBe(0);
});

describe("sweep outputs", () => {
  it("writes runs.csv, aggregate.csv, params.json, manifest.json and timing.json", () => {
    expect(readdirSync(reference).sort()).toEqual([
      "aggregate.csv",
      "manifest.json",
      "params.json",
      "runs.csv",
      "summary.json",
      "timing.json",
    ]);
    expect(existsSync(`${reference}.partial`)).toBe(false);
    expect(JSON.parse(readFileSync(join(reference, "params.json"), "utf8"))).toEqual({
      columns: ["phold.remote", "phold.lookahead"],
      params: ["phold.remote", "phold.lookahead"],
    });

    const runs = parseCsv(readFileSync(join(reference, "runs.csv"), "utf8"));
    expect(runs.columns).toEqual([
      "point",
      "replicate",
      "phold.remote",
      "phold.lookahead",
      "seed",
      "status",
      "error",
      "warnings",
      "trace_hash",
      "events",
      "replay",
      "checksum",
      "lps",
      "model",
      "pending",
      "processed",
      "simTime",
    ]);
    expect(runs.rows.map((r) => [r.point, r.replicate, r["phold.remote"], r["phold.lookahead"]])).toEqual([
      ["0", "0", "0.5", "0.1"],
      ["0", "1", "0.5", "0.1"],
      ["1", "0", "0.5", "0.2"],
      ["1", "1", "0.5", "0.2"],
      ["2", "0", "1", "0.1"],
      ["2", "1", "1", "0.1"],
      ["3", "0", "1", "0.2"],
      ["3", "1", "1", "0.2"],
    ]);
    for (const r of runs.rows) {
      expect(r.status).toBe("ok");
      expect(Number(r.seed)).toBe(deriveSeed(7, Number(r.point), Number(r.replicate)));
      expect(r.replay).toBe(
        `sim run ${GRID} --set phold.remote=${r["phold.remote"]} --set phold.lookahead=${r["phold.lookahead"]} --seed ${r.seed}`,
      );
    }

    const agg = parseCsv(readFileSync(join(reference, "aggregate.csv"), "utf8"));
    expect(agg.columns).toEqual([
      "point",
      "phold.remote",
      "phold.lookahead",
      "metric",
      "n",
      "mean",
      "sd",
      "ci95_low",
      "ci95_high",
      "p5",
      "p50",
      "p95",
    ]);
    expect(agg.rows.length).toBe(4 * 5); // 4 points × numeric metrics checksum, lps, pending, processed, simTime
    const p0 = agg.rows.find((r) => r.point === "0" && r.metric === "processed")!;
    const vals = runs.rows.filter((r) => r.point === "0").map((r) => Number(r.processed));
    expect(p0.n).toBe("2");
    expect(Number(p0.mean)).toBeCloseTo((vals[0]! + vals[1]!) / 2, 6);

    const manifest = JSON.parse(readFileSync(join(reference, "manifest.json"), "utf8"));
    expect(manifest.baseSeed).toBe(7);
    expect(manifest.replicates).toBe(2);
    expect(manifest.points[3].overrides).toEqual(["phold.remote=1", "phold.lookahead=0.2"]);
    expect(manifest.tasks[5]).toMatchObject({ task: 5, point: 2, replicate: 1, seed: deriveSeed(7, 2, 1) });
  });

  it("records each run's trace hash, which a replay reproduces", () => {
    const plan = planSweep(GRID);
    const runs = parseCsv(readFileSync(join(reference, "runs.csv"), "utf8"));
    const row = runs.rows[5]!;
    const r = runScenario(plan.points[2]!.scenario!, { seed: Number(row.seed) });
    expect(row.trace_hash).toBe(r.traceHash);
    expect(row.events).toBe(String(r.events));
  });

  it("is byte-identical with 2 worker threads (Piscina)", async () => {
    const workerFile = ensureWorkerBuilt();
    const out = join(tmp, "two-workers");
    const seen: SweepProgress[] = [];
    const o = await runSweep(GRID, { workers: 2, out, workerFile, onProgress: (p) => seen.push(p) });
    expect(o.total).toBe(8);
    expect(o.ran).toBe(8);
    expect(seen.at(-1)).toMatchObject({ done: 8, total: 8, failed: 0 });
    expect(snapshot(out)).toEqual(snapshot(reference));
    const timing = JSON.parse(readFileSync(join(out, "timing.json"), "utf8"));
    expect(timing.workers).toBe(2);
  });

  it("resumes an interrupted sweep to the same bytes", async () => {
    const out = join(tmp, "resumed");
    const abort = new AbortController();
    const first = await runSweep(GRID, {
      workers: 1,
      out,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done >= 3) abort.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(existsSync(out)).toBe(false);
    const stored = readdirSync(join(`${out}.partial`, "tasks")).sort();
    expect(stored).toEqual(["0-0.json", "0-1.json", "1-0.json"]);
    // A file cut short by a kill is ignored and its task run again.
    writeFileSync(join(`${out}.partial`, "tasks", "3-1.json"), '{"index": 7, "po');

    const second = await runSweep(GRID, { workers: 1, out, resume: true });
    expect(second.interrupted).toBe(false);
    expect(second.resumed).toBe(3);
    expect(second.ran).toBe(5);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(snapshot(out)).toEqual(snapshot(reference));
  });

  it("runs again a stored task written before runs had warnings (no `warnings` field, valid checksum)", async () => {
    const out = join(tmp, "older");
    const abort = new AbortController();
    await runSweep(GRID, { workers: 1, out, signal: abort.signal, onProgress: (p) => p.done >= 2 && abort.abort() });
    const file = join(`${out}.partial`, "tasks", "0-0.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { checksum: string; inputs: unknown; result: Record<string, unknown> };
    delete stored.result.warnings;
    stored.checksum = createHash("sha256").update(stableJson({ inputs: stored.inputs, result: stored.result })).digest("hex");
    writeFileSync(file, JSON.stringify(stored));
    const notes: string[] = [];
    const second = await runSweep(GRID, { workers: 1, out, resume: true, onNote: (m) => notes.push(m) });
    expect(second.resumed).toBe(1);
    expect(notes.join("\n")).toMatch(/task 0-0: stored result is malformed/);
    expect(snapshot(out)).toEqual(snapshot(reference));
  });

  it("refuses to resume a partial folder of another sweep", async () => {
    const out = join(tmp, "mismatch");
    const abort = new AbortController();
    abort.abort();
    const o = await runSweep(GRID, { workers: 1, out, signal: abort.signal });
    expect(o.interrupted).toBe(true);
    await expect(runSweep(GRID, { workers: 1, out, resume: true, set: ["phold.init=2"] })).rejects.toThrow(
      ResumeMismatchError,
    );
  });

  it("shards 0/2 and 1/2 merge into the unsharded bytes", async () => {
    const s0 = join(tmp, "shard0");
    const s1 = join(tmp, "shard1");
    const a = await runSweep(GRID, { workers: 1, out: s0, shard: { index: 0, count: 2 } });
    const b = await runSweep(GRID, { workers: 1, out: s1, shard: { index: 1, count: 2 } });
    expect([a.total, b.total]).toEqual([4, 4]);
    const shardFile = JSON.parse(readFileSync(join(s1, "shard.json"), "utf8"));
    expect(shardFile).toMatchObject({ index: 1, count: 2, totalTasks: 8, tasks: [1, 3, 5, 7] });
    expect(parseCsv(readFileSync(join(s0, "runs.csv"), "utf8")).rows.map((r) => `${r.point}-${r.replicate}`)).toEqual([
      "0-0",
      "1-0",
      "2-0",
      "3-0",
    ]);

    const merged = join(tmp, "merged");
    const m = await mergeShards([s1, s0], merged);
    expect(m).toMatchObject({ shards: 2, total: 8, failed: 0 });
    expect(snapshot(merged)).toEqual(snapshot(reference));

    await expect(mergeShards([s0], join(tmp, "m1"))).rejects.toThrow(/4 of 8 tasks are in no shard \(tasks 1, 3, 5, 7\)/);
    await expect(mergeShards([s0, s1, s0], join(tmp, "m2"))).rejects.toThrow(/task 0 .* is in both/);
    await expect(mergeShards([reference], join(tmp, "m3"))).rejects.toThrow(MergeError);
    const other = join(tmp, "other-shard");
    await runSweep(GRID, { workers: 1, out: other, shard: { index: 1, count: 2 }, set: ["sweep.replicates=1"] });
    await expect(mergeShards([s0, other], join(tmp, "m4"))).rejects.toThrow(/is from sweep/);
  });
});

describe("failures and overrides", () => {
  it("records an invalid point and carries on; failures count and aggregate n = 0", async () => {
    const out = join(tmp, "zip");
    const o = await runSweep(ZIP, { workers: 1, out });
    expect(o.total).toBe(12);
    expect(o.status).toEqual({ ok: 6, violation: 0, error: 0, invalid: 6 });
    expect(o.failed).toBe(6);
    expect(o.failures[0]).toMatchObject({ point: 3, replicate: 0, status: "invalid" });
    const runs = parseCsv(readFileSync(join(out, "runs.csv"), "utf8"));
    expect(runs.columns.slice(0, 5)).toEqual(["point", "replicate", "phold.remote", "phold.lookahead", "phold.meanDelay"]);
    // zip (lookahead, meanDelay) moves together; the grid key comes first (slowest)
    expect(runs.rows.filter((r) => r.replicate === "0").map((r) => [r["phold.remote"], r["phold.lookahead"], r["phold.meanDelay"]])).toEqual([
      ["0.5", "0.1", "1"],
      ["0.5", "0.2", "1.5"],
      ["0.5", "0.3", "2"],
      ["1.5", "0.1", "1"],
      ["1.5", "0.2", "1.5"],
      ["1.5", "0.3", "2"],
    ]);
    const bad = runs.rows[6]!;
    expect(bad.status).toBe("invalid");
    expect(bad.error).toBe("--set:1:14 phold.remote: must be <= 1, got 1.5");
    expect(bad.trace_hash).toBe("");
    expect(Number(bad.seed)).toBe(deriveSeed(11, 3, 0));
    const agg = parseCsv(readFileSync(join(out, "aggregate.csv"), "utf8"));
    expect(agg.rows.filter((r) => r.point === "3").every((r) => r.n === "0" && r.mean === "")).toBe(true);
    expect(agg.rows.filter((r) => r.point === "0").every((r) => r.n === "2")).toBe(true);
  });

  it("--set edits the sweep block (sweep.*) or every point, and changes the spec hash", () => {
    const base = planSweep(GRID);
    const p = planSweep(GRID, { set: ["sweep.replicates=3", "sweep.grid={phold.init: [1, 2, 3]}", "phold.lps=20"] });
    expect(p.params).toEqual(["phold.init"]);
    expect(p.tasks.length).toBe(9);
    expect(p.sets).toEqual(["phold.lps=20"]);
    expect((p.points[2]!.scenario!.phold as { lps: number; init: number })).toMatchObject({ lps: 20, init: 3 });
    expect(p.specHash).not.toBe(base.specHash);
    expect(p.specHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it("LHS points are applied to each point's scenario", () => {
    const p = planSweep(GRID, {
      set: ["sweep={lhs: {samples: 4, params: {phold.lps: {min: 10, max: 49, integer: true}, phold.lookahead: {min: 0.01, max: 1, log: true}}}}"],
    });
    expect(p.params).toEqual(["phold.lps", "phold.lookahead"]);
    const strata = p.points.map((pt) => Math.floor(((pt.values[0] as number) - 10) / 10)).sort();
    expect(strata).toEqual([0, 1, 2, 3]);
    for (const pt of p.points) {
      expect(pt.scenario!.phold).toMatchObject({ lps: pt.values[0], lookahead: pt.values[1] });
    }
  });

  it("a scenario without a sweep block is an error, not one silent point", () => {
    const file = join(FIXTURES, "base-phold.yaml");
    expect(() => planSweep(file)).toThrow(`${file}:1:1 no sweep: block, so there is nothing to sweep`);
    // Replicates alone are a sweep.
    const p = planSweep(file, { set: ["sweep.replicates=2"] });
    expect(p.params).toEqual([]);
    expect(p.tasks).toEqual([
      { index: 0, point: 0, replicate: 0, seed: deriveSeed(3, 0, 0) },
      { index: 1, point: 0, replicate: 1, seed: deriveSeed(3, 0, 1) },
    ]);
  });
});

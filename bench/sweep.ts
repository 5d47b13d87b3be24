// `npm run bench -- sweep`: runs a sweep of `points` points of a scenario once on 1 worker
// (inline) and once on `workers` threads (default: all cores), checks the two folders are
// byte-identical (timing.json aside) and reports the parallel wall time and speedup.
// The points are a grid over the scenario's `seed` key (replacing any `sweep:` block of the file).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runSweep } from "../src/sweep/index.js";

export interface SweepBenchArgs {
  /** At least 16. */
  points: number;
  /** Default: os.availableParallelism(). */
  workers?: number;
  /** Economic epochs per point, 10 simulated seconds each (default: the scenario's own). */
  epochs?: number;
  /** Default: scenarios/byzantine.yaml. */
  scenario?: string;
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== "timing.json") out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export function sameFolders(a: string, b: string): boolean {
  const fa = files(a);
  const fb = files(b);
  if (fa.size !== fb.size) return false;
  for (const [k, v] of fa) {
    const w = fb.get(k);
    if (w === undefined || !v.equals(w)) return false;
  }
  return true;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function runSweepBench(a: SweepBenchArgs): Promise<string> {
  const points = Math.max(16, Math.floor(a.points));
  const workers = a.workers ?? availableParallelism();
  const scenario = a.scenario ?? join("scenarios", "byzantine.yaml");
  const seeds = Array.from({ length: points }, (_, i) => i + 1).join(", ");
  // Each point simulates `until` seconds so one task outweighs a worker thread's start-up
  // (module loading and JIT warm-up), as it does in real sweeps.
  const set = [
    `sweep={grid: {seed: [${seeds}]}, replicates: 1, seed: 1}`,
    ...(a.epochs ? [`economics.epochs=${a.epochs}`, `until=${a.epochs * 10 + 20}`] : []),
  ];
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-sweep-"));
  try {
    const one = join(tmp, "workers-1");
    const many = join(tmp, `workers-${workers}`);
    const wall1 = await timed(() => runSweep(scenario, { workers: 1, out: one, set, charts: false }));
    const wallN = await timed(() => runSweep(scenario, { workers, out: many, set, charts: false }));
    const identical = sameFolders(one, many);
    return (
      `sweep points=${points} workers=${workers} wall_s=${wallN.toFixed(3)} wall_1_worker_s=${wall1.toFixed(3)} ` +
      `speedup=${(wall1 / wallN).toFixed(2)} identical=${identical}`
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// `npm run bench -- sweep`: runs `sim sweep` on a sweep of `points` points of a scenario once with
// --workers 1 (in-process) and once with `workers` threads (default: all cores), each as a fresh
// process exactly as a user would start it, checks the two folders are byte-identical (timing.json
// aside) and reports the parallel wall time and speedup. The points are a grid over the scenario's
// `seed` key (replacing any `sweep:` block of the file).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { packageRoot } from "../src/sweep/version.js";

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

/** Wall seconds of one `sim sweep` process. */
function timedSweep(scenario: string, workers: number, out: string, set: readonly string[]): number {
  const cli = join(packageRoot, "dist", "src", "cli", "main.js");
  const args = [cli, "sweep", scenario, "--workers", String(workers), "--out", out, "--no-charts"];
  for (const s of set) args.push("--set", s);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`sim sweep --workers ${workers} exited ${r.status}: ${r.stderr}`);
  return wall;
}

export function runSweepBench(a: SweepBenchArgs): string {
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
    const wall1 = timedSweep(scenario, 1, one, set);
    const wallN = timedSweep(scenario, workers, many, set);
    const identical = sameFolders(one, many);
    return (
      `sweep points=${points} workers=${workers} wall_s=${wallN.toFixed(3)} wall_1_worker_s=${wall1.toFixed(3)} ` +
      `speedup=${(wall1 / wallN).toFixed(2)} identical=${identical}`
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

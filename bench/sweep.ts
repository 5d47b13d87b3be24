// `npm run bench -- sweep [--epochs N] [--rounds R] [--baseline DIR]`: runs `sim sweep` on a sweep of
// `points` points of a scenario, each as a fresh process exactly as a user would start it:
//   - with --workers 1 (in-process): wall_1_worker_s;
//   - with `workers` threads (default: all cores): wall_s, speedup = wall_1_worker_s / wall_s;
//   - the ceiling: `workers` independent `sim sweep --workers 1 --shard i/workers` processes started
//     side by side on the same points (no threads, no shared heap, no task messages: what the machine
//     gives N copies of the world at once), ceiling = wall_1_worker_s / their wall time, and
//     of_ceiling = speedup / ceiling;
// checks the 1-worker and N-worker folders are byte-identical (timing.json aside), and reports the
// bytes the world allocates per processed event (bench alloc on the first point, in a child process).
// Each process also runs under /usr/bin/time: cpu_* are user + system seconds of all its threads, and
// cpu_ratio = cpu_s / cpu_1_worker_s is the extra work of running in parallel (warm-up per worker, GC
// threads, memory stalls); on a machine loaded by other work it is steadier than wall times, and a
// quiet machine's speedup is at most workers / cpu_ratio.
// The points are a grid over the scenario's `seed` key (replacing any `sweep:` block of the file);
// default: the scenario's own length (byzantine.yaml: 28 epochs, short points), --epochs N for longer
// ones. With --rounds R each measurement is repeated R times, alternating, and the median is shown;
// with --baseline DIR (another checkout with a built dist/, e.g. the previous build) every
// measurement alternates between that build (B) and this one (A) in the same rounds.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { packageRoot } from "../src/sweep/version.js";
import { type AllocFigures, epochOverrides } from "./alloc.js";

export interface SweepBenchArgs {
  /** At least 16. */
  points: number;
  /** Default: os.availableParallelism(). */
  workers?: number;
  /** Economic epochs per point, 10 simulated seconds each (default: the scenario's own). */
  epochs?: number;
  /** Default: scenarios/byzantine.yaml. */
  scenario?: string;
  /** Repetitions of each measurement (medians are reported). Default 1. */
  rounds?: number;
  /** Another checkout (built) measured alternately with this one. */
  baseline?: string;
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

function sweepArgs(root: string, scenario: string, workers: number, out: string, set: readonly string[], shard?: string): string[] {
  const args = [join(root, "dist", "src", "cli", "main.js"), "sweep", scenario, "--workers", String(workers), "--out", out, "--no-charts"];
  if (shard !== undefined) args.push("--shard", shard);
  for (const s of set) args.push("--set", s);
  return args;
}

const TIME = "/usr/bin/time";
const timed = existsSync(TIME);

/** A command line under /usr/bin/time (when installed), which appends "cpu USER SYS" to stderr. */
function timedCommand(args: string[]): [string, string[]] {
  return timed ? [TIME, ["-f", "cpu %U %S", process.execPath, ...args]] : [process.execPath, args];
}

function cpuOf(stderr: string): number {
  const m = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) : Number.NaN;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds of one `sim sweep` process. */
function timedSweep(root: string, scenario: string, workers: number, out: string, set: readonly string[]): Timing {
  const t0 = process.hrtime.bigint();
  const [cmd, args] = timedCommand(sweepArgs(root, scenario, workers, out, set));
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`sim sweep --workers ${workers} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: cpuOf(r.stderr) };
}

/** Wall seconds until all of `n` single-worker shard processes, started together, have exited; their CPU seconds summed. */
async function timedCeiling(root: string, scenario: string, n: number, out: string, set: readonly string[]): Promise<Timing> {
  const t0 = process.hrtime.bigint();
  const runs = Array.from(
    { length: n },
    (_, i) =>
      new Promise<number>((done, fail) => {
        const [cmd, args] = timedCommand(sweepArgs(root, scenario, 1, join(out, `shard-${i}`), set, `${i}/${n}`));
        const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
        });
        child.on("exit", (code) => (code === 0 ? done(cpuOf(stderr)) : fail(new Error(`sim sweep --shard ${i}/${n} exited ${code}: ${stderr}`))));
      }),
  );
  const cpus = await Promise.all(runs);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: cpus.reduce((a, b) => a + b, 0) };
}

/** bench alloc of the scenario's first point with `root`'s world, in a fresh process. */
function allocOf(root: string, scenario: string, epochs: number | undefined): AllocFigures {
  const args = [join(packageRoot, "dist", "bench", "main.js"), "alloc", scenario, "--root", root, "--json"];
  if (epochs !== undefined) args.push("--epochs", String(epochs));
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`bench alloc exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as AllocFigures;
}

/** Median of a non-empty list. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Build {
  label: string;
  root: string;
  wall1: number[];
  wallN: number[];
  ceiling: number[];
  cpu1: number[];
  cpuN: number[];
  cpuCeiling: number[];
  identical: boolean;
  alloc?: AllocFigures;
}

export async function runSweepBench(a: SweepBenchArgs): Promise<string> {
  const points = Math.max(16, Math.floor(a.points));
  const workers = a.workers ?? availableParallelism();
  const rounds = Math.max(1, Math.floor(a.rounds ?? 1));
  const scenario = a.scenario ?? join("scenarios", "byzantine.yaml");
  const seeds = Array.from({ length: points }, (_, i) => i + 1).join(", ");
  const set = [`sweep={grid: {seed: [${seeds}]}, replicates: 1, seed: 1}`, ...epochOverrides(scenario, a.epochs)];
  const builds: Build[] = [{ label: "A", root: packageRoot, wall1: [], wallN: [], ceiling: [], cpu1: [], cpuN: [], cpuCeiling: [], identical: true }];
  if (a.baseline !== undefined) builds.push({ label: "B", root: resolve(a.baseline), wall1: [], wallN: [], ceiling: [], cpu1: [], cpuN: [], cpuCeiling: [], identical: true });
  for (const b of builds) b.alloc = allocOf(b.root, scenario, a.epochs);
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-sweep-"));
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate which build goes first, so neither always runs on a machine the other just warmed.
      const order = r % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) {
        const one = join(tmp, `${b.label}-${r}-workers-1`);
        const t1 = timedSweep(b.root, scenario, 1, one, set);
        const many = join(tmp, `${b.label}-${r}-workers-${workers}`);
        const tN = timedSweep(b.root, scenario, workers, many, set);
        b.identical &&= sameFolders(one, many);
        const tc = await timedCeiling(b.root, scenario, workers, join(tmp, `${b.label}-${r}-ceiling`), set);
        b.wall1.push(t1.wall);
        b.wallN.push(tN.wall);
        b.ceiling.push(tc.wall);
        b.cpu1.push(t1.cpu);
        b.cpuN.push(tN.cpu);
        b.cpuCeiling.push(tc.cpu);
        rmSync(one, { recursive: true, force: true });
        rmSync(many, { recursive: true, force: true });
        rmSync(join(tmp, `${b.label}-${r}-ceiling`), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const lines = builds.map((b) => {
    const w1 = median(b.wall1);
    const wN = median(b.wallN);
    const wc = median(b.ceiling);
    const speedups = b.wall1.map((x, i) => x / b.wallN[i]!);
    const ceilings = b.wall1.map((x, i) => x / b.ceiling[i]!);
    const m = b.alloc!;
    const tag = builds.length > 1 ? `${b.label === "A" ? "A(this)" : `B(${b.root})`} ` : "";
    return (
      `${tag}sweep points=${points} epochs=${a.epochs ?? "scenario"} workers=${workers} rounds=${rounds} ` +
      `wall_1_worker_s=${w1.toFixed(3)} wall_s=${wN.toFixed(3)} wall_ceiling_s=${wc.toFixed(3)} ` +
      `speedup=${(w1 / wN).toFixed(2)} ceiling=${(w1 / wc).toFixed(2)} of_ceiling=${(wc / wN).toFixed(2)} ` +
      `cpu_1_worker_s=${median(b.cpu1).toFixed(2)} cpu_s=${median(b.cpuN).toFixed(2)} cpu_ceiling_s=${median(b.cpuCeiling).toFixed(2)} ` +
      `cpu_ratio=${(median(b.cpuN) / median(b.cpu1)).toFixed(2)} cpu_ratio_ceiling=${(median(b.cpuCeiling) / median(b.cpu1)).toFixed(2)} ` +
      `bytes_per_event=${(m.loopBytes / m.events).toFixed(0)} identical=${b.identical}` +
      (rounds > 1 ? ` speedups=[${speedups.map((x) => x.toFixed(2)).join(",")}] ceilings=[${ceilings.map((x) => x.toFixed(2)).join(",")}]` : "")
    );
  });
  if (builds.length > 1) {
    const [x, y] = builds as [Build, Build];
    const ratio = (f: (b: Build) => number[]) => (median(f(y)) / median(f(x))).toFixed(2);
    lines.push(
      `B/A wall_1_worker=${ratio((b) => b.wall1)} wall_N=${ratio((b) => b.wallN)} wall_ceiling=${ratio((b) => b.ceiling)} ` +
        `cpu_1_worker=${ratio((b) => b.cpu1)} cpu_N=${ratio((b) => b.cpuN)}`,
    );
  }
  return lines.join("\n");
}

// `npm run bench -- sobol | tune | report`: the overhead targets of issue 15.
//  sobol:  a Sobol' sweep of 5 parameters (scenarios/sweeps/tokenomics-sobol.yaml, N = 256 →
//          1,792 runs) against a plain `zip` sweep of exactly the same 1,792 points (so both run the
//          same simulations), alternated A/B/A/B in this process (same pool size): per-run wall of
//          each, and the time the Sobol' design (generateDesign) and its analysis (sensitivityTable
//          over every metric, 1,000 bootstrap resamples) take, as a share of the Sobol' sweep's wall.
//  tune:   `sim tune scenarios/tune/tokenomics-target.yaml` (its economy run for --epochs epochs,
//          default 200, so that a run costs what a real tuning run does rather than pot-short's
//          ~30 ms) on the Piscina pool, its runner wrapped to record when runs are in flight: the
//          share of wall time with no run in flight — time outside simulation: planning, CMA-ES,
//          scenario resolution, storing runs, writing tune.csv, best.yaml and the report.
//  report: renders the report of a 200-run sweep (a 100-point LHS × 2 replicates of the short PoT
//          economy, every varying metric charted, SVG + PNG + report.html): wall and CPU seconds
//          (all threads) per render; with --baseline DIR (a potsim checkout with dist/, e.g. the
//          session-start build) its renderer runs on a copy of the same folder, alternated A/B.

import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderSweepReport } from "../src/report/index.js";
import { generateDesign, planSweep, runSweep, sensitivityTable, type SweepManifest } from "../src/sweep/index.js";
import { createRunner, type TaskRunner } from "../src/sweep/pool.js";
import type { TaskResult } from "../src/sweep/task.js";
import { packageRoot } from "../src/sweep/version.js";
import { runTune } from "../src/tune/index.js";

const SOBOL_SPEC = join(packageRoot, "scenarios", "sweeps", "tokenomics-sobol.yaml");
const TUNE_SPEC = join(packageRoot, "scenarios", "tune", "tokenomics-target.yaml");
const SOBOL_PARAMS =
  "{economics.communityTax: {min: 0, max: 0.1}, economics.users.prepayStos: {min: 0.00001, max: 0.001, log: true}, " +
  "economics.users.refillEpochs: {min: 1, max: 6}, economics.resourceNodes.count: {min: 10, max: 40, integer: true}, " +
  "economics.metaNodes.settleFraction: {min: 0.5, max: 1.0}}";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

function readShardResults(dir: string): { manifest: SweepManifest; results: TaskResult[] } {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as SweepManifest;
  const results = readFileSync(join(dir, "tasks.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as TaskResult);
  return { manifest, results };
}

export async function runSobolBench(o: { samples: number; workers?: number; rounds: number }): Promise<string> {
  const workers = o.workers ?? availableParallelism();
  const k = 5;
  const runs = o.samples * (k + 2);
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-sobol-"));
  const shard = { index: 0, count: 1 }; // a 1/1 shard keeps tasks.jsonl, so the analysis can be timed on the results
  const sobolSets = [`sweep.sobol.samples=${o.samples}`];
  const plan = planSweep(SOBOL_SPEC, { set: sobolSets });
  const columns = plan.params.map((p, j) => `${p}: [${plan.points.map((pt) => JSON.stringify(pt.values[j])).join(", ")}]`);
  const lhsSets = [`sweep={zip: [{${columns.join(", ")}}], seed: ${plan.baseSeed}}`];
  const walls = { sobol: [] as number[], lhs: [] as number[] };
  let designS = 0;
  let analysisS = 0;
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const kind of ["sobol", "lhs"] as const) {
        const out = join(tmp, `${kind}-${round}`);
        const t0 = process.hrtime.bigint();
        await runSweep(SOBOL_SPEC, { workers, out, shard, set: kind === "sobol" ? sobolSets : lhsSets });
        walls[kind].push(seconds(t0));
        if (kind === "sobol" && round === 0) {
          const { manifest, results } = readShardResults(out);
          const spec = manifest.sweep as Parameters<typeof generateDesign>[0];
          let t = process.hrtime.bigint();
          generateDesign(spec, manifest.baseSeed);
          designS = seconds(t);
          t = process.hrtime.bigint();
          const table = sensitivityTable(manifest, results);
          analysisS = seconds(t);
          if (table === undefined || table.rows.length === 0) throw new Error("no sensitivity indices");
        }
        rmSync(out, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const perRunSobol = mean(walls.sobol) / runs;
  const perRunLhs = mean(walls.lhs) / runs;
  const overhead = (designS + analysisS) / mean(walls.sobol);
  return (
    `sobol k=${k} N=${o.samples} runs=${runs} workers=${workers} rounds=${o.rounds} ` +
    `wall_sobol_s=${walls.sobol.map((w) => w.toFixed(2)).join("/")} wall_same_points_zip_s=${walls.lhs.map((w) => w.toFixed(2)).join("/")} ` +
    `per_run_ms sobol=${(perRunSobol * 1e3).toFixed(2)} zip=${(perRunLhs * 1e3).toFixed(2)} ratio=${(perRunSobol / perRunLhs).toFixed(3)} ` +
    `design_s=${designS.toFixed(4)} analysis_s=${analysisS.toFixed(3)} overhead=${(overhead * 100).toFixed(2)}% (target < 2%)`
  );
}

/** Wraps a runner to record the union of the time intervals in which at least one run is in flight. */
function timedRunner(inner: TaskRunner): TaskRunner & { busyS(): number } {
  let inFlight = 0;
  let busySince = 0n;
  let busy = 0;
  return {
    concurrency: inner.concurrency,
    busyS: () => busy,
    async run(task: Parameters<TaskRunner["run"]>[0]) {
      if (inFlight++ === 0) busySince = process.hrtime.bigint();
      try {
        return await inner.run(task);
      } finally {
        if (--inFlight === 0) busy += seconds(busySince);
      }
    },
    close: () => inner.close(),
  };
}

export async function runTuneBench(o: { workers?: number; budget?: number; epochs: number }): Promise<string> {
  const workers = o.workers ?? availableParallelism();
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-tune-"));
  const runner = timedRunner(createRunner(workers));
  const set = [`economics.epochs=${o.epochs}`, `until=${o.epochs * 10 + 10}`, ...(o.budget ? [`tune.budget=${o.budget}`] : [])];
  try {
    const t0 = process.hrtime.bigint();
    const r = await runTune(TUNE_SPEC, { out: join(tmp, "out"), runner, charts: true, set });
    const wall = seconds(t0);
    const outside = (wall - runner.busyS()) / wall;
    return (
      `tune epochs=${o.epochs} evaluations=${r.evaluations.length} workers=${workers} wall_s=${wall.toFixed(3)} ` +
      `with_runs_in_flight_s=${runner.busyS().toFixed(3)} outside_simulation=${(outside * 100).toFixed(2)}% (target < 5%) ` +
      `ms_per_evaluation=${((wall / r.evaluations.length) * 1e3).toFixed(1)} best_feasible=${r.best?.feasible}`
    );
  } finally {
    await runner.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

type Render = (dir: string) => Promise<{ files: string[] }>;

async function timedRender(render: Render, dir: string): Promise<{ wall: number; cpu: number; charts: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { files } = await render(dir);
  const wall = seconds(t0);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6, charts: files.filter((f) => f.endsWith(".svg")).length };
}

export async function runReportBench(o: { workers?: number; repeats: number; baseline?: string }): Promise<string> {
  const workers = o.workers ?? availableParallelism();
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-report-"));
  try {
    const out = join(tmp, "sweep");
    const set = [`sweep={lhs: {samples: 100, params: ${SOBOL_PARAMS}}, replicates: 2, seed: 5}`];
    await runSweep(SOBOL_SPEC, { workers, out, set });
    const base = o.baseline
      ? ((await import(pathToFileURL(join(o.baseline, "dist", "src", "report", "index.js")).href)) as { renderSweepReport: Render }).renderSweepReport
      : undefined;
    const ours: Array<{ wall: number; cpu: number; charts: number }> = [];
    const theirs: Array<{ wall: number; cpu: number; charts: number }> = [];
    for (let i = 0; i < o.repeats; i++) {
      const a = join(tmp, `a${i}`);
      cpSync(out, a, { recursive: true });
      ours.push(await timedRender(renderSweepReport, a));
      if (base) {
        const b = join(tmp, `b${i}`);
        cpSync(out, b, { recursive: true });
        theirs.push(await timedRender(base, b));
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const line = (label: string, r: typeof ours) =>
      `${label}: charts=${r[0]!.charts} wall_s=${r.map((x) => x.wall.toFixed(2)).join("/")} median_wall_s=${median(r.map((x) => x.wall)).toFixed(2)} ` +
      `median_cpu_s=${median(r.map((x) => x.cpu)).toFixed(2)}`;
    return [
      `report runs=200 cores=${availableParallelism()} (target: render < 5 s)`,
      line("  this build", ours),
      ...(base ? [line(`  baseline ${o.baseline}`, theirs), `  wall ratio this/baseline=${(median(ours.map((x) => x.wall)) / median(theirs.map((x) => x.wall))).toFixed(3)}`] : []),
    ].join("\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

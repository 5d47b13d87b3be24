// tune/run-tune: runs `sim tune` end to end. Each generation CMA-ES (./cmaes.ts, stream
// "tune.cmaes" of the base seed) proposes λ points in unconstrained coordinates; each is folded
// into the unit cube by reflection and mapped into its parameter's range (./plan.ts), resolved
// into a scenario, and run `replicates` times — evaluation e = generation·λ + i, replicate r, seed
// deriveSeed(base, e, r), on the sweep's task runner (inline or the Piscina pool) with at most λ·R
// runs in flight. Each finished run is stored in `<out>.partial/` as a sweep's are (WorkDir,
// point = evaluation), so after a kill the search replays from the start, takes the stored runs and
// runs only the missing ones: the optimiser sees the same rankings, so a resumed search equals an
// uninterrupted one. Stops when the budget cannot fit another generation or the search has
// collapsed (σ·max √C_ii < 1e-9 of the unit cube). No clock is read here.
// May import: scenario, sweep, world, metrics, report, kernel.

import { availableParallelism } from "node:os";
import { RngTree } from "../kernel/index.js";
import { createRunner, type TaskRunner } from "../sweep/pool.js";
import { deriveSeed } from "../sweep/seeds.js";
import { canonicalResult, type TaskPayload, type TaskResult, taskRefs } from "../sweep/task.js";
import { WorkDir } from "../sweep/work-dir.js";
import { ScenarioError } from "../scenario/index.js";
import { CmaEs } from "./cmaes.js";
import { compareEvaluations, type Evaluation, evaluate } from "./evaluation.js";
import { ExpressionError } from "./expressions.js";
import { writeTuneFolder } from "./outputs.js";
import { candidateValues, defaultTuneDir, planTune, scenarioFor, type TunePlan } from "./plan.js";

/** A tuning run that cannot go on (an expression that does not fit the metrics, a budget below one generation). */
export class TuneError extends Error {}

export interface TuneProgress {
  generation: number;
  evaluations: number;
  budget: number;
  /** Best evaluation so far. */
  best?: Evaluation;
}

export interface TuneOptions {
  /** Worker threads; 0 or 1 runs inline. Default: os.availableParallelism(). */
  workers?: number;
  out?: string;
  resume?: boolean;
  charts?: boolean;
  set?: string[];
  signal?: AbortSignal;
  workerFile?: string;
  onProgress?: (p: TuneProgress) => void;
  /** Where runs go (default: createRunner(workers)); tests and benches pass their own. */
  runner?: TaskRunner;
  /** The study already planned from `specFile` with the same `set` (the CLI plans it for the size guard). */
  plan?: TunePlan;
}

export interface TuneOutcome {
  dir: string;
  name: string;
  specHash: string;
  evaluations: Evaluation[];
  best: Evaluation | undefined;
  generations: number;
  stop: "budget" | "converged" | "interrupted";
  ran: number;
  resumed: number;
}

export async function runTune(specFile: string, opts: TuneOptions = {}): Promise<TuneOutcome> {
  const plan = opts.plan ?? planTune(specFile, { set: opts.set ?? [] });
  // Load the report module (vega, vega-lite, resvg) while the first runs simulate: the main thread
  // idles then, and the module costs about as much as a whole generation of short runs.
  const report = opts.charts === true ? import("../report/index.js") : undefined;
  report?.catch(() => undefined);
  const spec = plan.spec;
  const dir = opts.out ?? defaultTuneDir(plan);
  const es = new CmaEs(
    { mean: plan.startUnits, sigma: spec.sigma, ...(spec.population !== undefined ? { population: spec.population } : {}) },
    new RngTree(plan.baseSeed).stream("tune.cmaes"),
  );
  const lambda = es.lambda;
  const generations = Math.floor(spec.budget / lambda);
  if (generations < 1) throw new TuneError(`tune.budget (${spec.budget}) must allow one generation of ${lambda} evaluations`);
  const R = spec.replicates;
  const refs = taskRefs(generations * lambda, R, (e, r) => deriveSeed(plan.baseSeed, e, r));
  const work = WorkDir.forOutput(dir);
  const stored = work.open({ specHash: plan.specHash, shard: null }, opts.resume === true, refs);
  const resumed = stored.size;
  const runner = opts.runner ?? createRunner(Math.min(opts.workers ?? availableParallelism(), lambda * R), opts.workerFile);
  const evaluations: Evaluation[] = [];
  let best: Evaluation | undefined;
  let ran = 0;
  let stop: TuneOutcome["stop"] = "budget";
  try {
    for (let g = 0; g < generations; g++) {
      if (opts.signal?.aborted) {
        stop = "interrupted";
        break;
      }
      const xs = es.ask();
      const heads = xs.map((x, i) => ({ evaluation: g * lambda + i, generation: g, ...candidateValues(plan, x) }));
      const runs = await runGeneration(plan, heads, R, refs, stored, runner, work, () => ran++);
      const gen = heads.map((h, i) => evaluateOrExplain(plan, h, runs[i]!));
      evaluations.push(...gen);
      const order = gen.map((_, i) => i).sort((a, b) => compareEvaluations(gen[a]!, gen[b]!, plan.objective.direction));
      es.tell(order);
      const genBest = gen[order[0]!]!;
      if (best === undefined || compareEvaluations(genBest, best, plan.objective.direction) < 0) best = genBest;
      opts.onProgress?.({ generation: g, evaluations: evaluations.length, budget: generations * lambda, best });
      if (es.maxStd() < 1e-9) {
        stop = "converged";
        break;
      }
    }
  } finally {
    if (opts.runner === undefined) await runner.close();
  }
  const outcome: TuneOutcome = { dir, name: plan.name, specHash: plan.specHash, evaluations, best, generations: es.generation, stop, ran, resumed };
  if (stop === "interrupted") return outcome;
  await writeTuneFolder(dir, { plan, evaluations, best, stop, lambda, ...(report ? { report: await report } : {}) });
  work.remove();
  return outcome;
}

type Head = { evaluation: number; generation: number; values: number[]; overrides: string[] };

/** Runs (or takes from storage) every replicate of a generation's candidates; results by candidate, then replicate. */
async function runGeneration(
  plan: TunePlan,
  heads: readonly Head[],
  R: number,
  refs: ReturnType<typeof taskRefs>,
  stored: Map<number, TaskResult>,
  runner: TaskRunner,
  work: WorkDir,
  onRun: () => void,
): Promise<TaskResult[][]> {
  const jobs: Promise<TaskResult>[][] = heads.map((h) => {
    let scenario: TaskPayload["scenario"] | undefined;
    let invalid = "";
    try {
      scenario = scenarioFor(plan.doc, [...plan.sets, ...h.overrides]);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      invalid = e.message.replace(/\n/g, " | ");
    }
    return Array.from({ length: R }, (_, r) => {
      const ref = refs[h.evaluation * R + r]!;
      const done = stored.get(ref.index);
      if (done !== undefined) return Promise.resolve(done);
      if (scenario === undefined) {
        return Promise.resolve<TaskResult>({ ...ref, status: "invalid", error: invalid, warnings: [], traceHash: null, events: null, metrics: {} });
      }
      return runner.run({ ...ref, scenario }).then((res) => {
        const c = canonicalResult(res);
        work.save(c);
        onRun();
        return c;
      });
    });
  });
  return Promise.all(jobs.map((list) => Promise.all(list)));
}

function evaluateOrExplain(plan: TunePlan, head: Head, runs: TaskResult[]): Evaluation {
  try {
    return evaluate(head, runs, plan.objective, plan.constraints);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    const names = Object.keys(runs.find((r) => r.status === "ok")?.metrics ?? {});
    const missing = /Undefined symbol (\S+)/.exec(e.message)?.[1];
    const near = missing ? names.filter((n) => n.toLowerCase().includes(missing.toLowerCase())).slice(0, 8) : [];
    const hint = near.length > 0 ? `; metrics containing "${missing}": ${near.join(", ")}` : names.length > 0 ? `; the runs' metrics include ${names.slice(0, 12).join(", ")}, …` : "";
    throw new TuneError(`${e.message} (evaluation ${head.evaluation})${hint}`);
  }
}

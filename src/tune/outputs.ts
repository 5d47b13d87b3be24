// tune/outputs: the folder of a finished `sim tune`, written atomically: tune.csv (one row per run:
// evaluation, generation, replicate, seed, parameters, status, error; then the evaluation's
// objective, feasible and violation — computed on the means over its replicates, so repeated on
// each of its rows — one `constraint.<i>` column per constraint with how far it is missed, and the
// run's own metrics), best.yaml (the merged scenario with the best parameters applied and the seed
// of its first replicate: runnable on its own, with its replay commands in the header),
// summary.json, manifest.json and, with charts, charts/convergence.{svg,png} and report.html.
// May import: scenario, sweep, world, metrics, report, kernel.

import { stringify } from "yaml";
import { type Cell, stableJson, type Table, tableToCsv, writeAtomically } from "../metrics/index.js";
import { replayCommand } from "../sweep/manifest.js";
import { cellOf, shellWord } from "../sweep/values.js";
import { potsimVersion } from "../sweep/version.js";
import { SEED_DERIVATION } from "../sweep/manifest.js";
import type { Evaluation } from "./evaluation.js";
import { plainScenario, type TunePlan } from "./plan.js";

export const TUNE_FIXED_COLUMNS = ["evaluation", "generation", "replicate", "seed", "status", "error", "objective", "feasible", "violation"];

export interface TuneFolder {
  plan: TunePlan;
  evaluations: readonly Evaluation[];
  best: Evaluation | undefined;
  stop: string;
  lambda: number;
  /** The report module, to render the convergence chart and report.html (absent: no charts). */
  report?: { renderTuneReport(dir: string): Promise<unknown> };
}

export function tuneTable(plan: TunePlan, evaluations: readonly Evaluation[]): Table {
  const fixed = new Set([...TUNE_FIXED_COLUMNS, ...plan.constraints.map((_, i) => `constraint.${i}`)]);
  const paramCols = plan.params.map((p) => (fixed.has(p) ? `param.${p}` : p));
  const reserved = new Set([...fixed, ...paramCols]);
  const metricSet = new Set<string>();
  for (const e of evaluations) for (const r of e.runs) for (const k of Object.keys(r.metrics)) metricSet.add(k);
  const metrics = [...metricSet].sort();
  const metricCols = metrics.map((m) => (reserved.has(m) ? `summary.${m}` : m));
  const rows: Cell[][] = [];
  for (const e of evaluations) {
    for (const r of e.runs) {
      rows.push([
        e.evaluation,
        e.generation,
        r.replicate,
        r.seed,
        ...e.values,
        r.status,
        r.error,
        e.objective,
        e.feasible,
        e.status === "ok" ? e.violations.reduce((a, b) => a + b, 0) : null,
        ...e.violations.map((v) => (Number.isFinite(v) ? v : null)),
        ...metrics.map((m) => cellOf(r.metrics[m])),
      ]);
    }
  }
  const head = TUNE_FIXED_COLUMNS.slice(0, 4);
  const tail = TUNE_FIXED_COLUMNS.slice(4);
  return {
    name: "tune",
    columns: [...head, ...paramCols, ...tail, ...plan.constraints.map((_, i) => `constraint.${i}`), ...metricCols],
    rows,
  };
}

function paramsOf(plan: TunePlan, e: Evaluation): Record<string, number> {
  return Object.fromEntries(plan.params.map((p, i) => [p, e.values[i]!]));
}

/** best.yaml: a standalone scenario (no extends, no tune block) with the best parameters. */
export function bestYaml(plan: TunePlan, best: Evaluation): string {
  const seeds = best.runs.map((r) => r.seed);
  const doc = plainScenario(plan.doc, [...plan.sets, ...best.overrides]) as Record<string, unknown>;
  doc.seed = seeds[0];
  const goal = plan.objective.direction === 1 ? "minimize" : "maximize";
  const lines = [
    `# Best candidate of \`sim tune ${plan.specFile}\` (spec ${plan.specHash}): evaluation ${best.evaluation}, generation ${best.generation}.`,
    `# ${goal} ${plan.objective.text} = ${best.objective ?? "n/a"} (mean over ${best.runs.length} replicate${best.runs.length === 1 ? "" : "s"})`,
    ...plan.constraints.map((c, i) => `# constraint ${c.text}: ${best.violations[i] === 0 ? "met" : `missed by ${best.violations[i]}`}`),
    `# feasible: ${best.feasible}`,
    ...plan.params.map((p, i) => `# ${p} = ${best.values[i]}`),
    "# Replay its runs (runs.csv-identical summaries):",
    ...seeds.map((s, r) => `#   sim run best.yaml --seed ${s}    # replicate ${r}`),
    "",
  ];
  return `${lines.join("\n")}${stringify(doc, { lineWidth: 0 })}`;
}

export function tuneSummary(f: TuneFolder): Record<string, unknown> {
  const { plan, evaluations, best } = f;
  return {
    name: plan.name,
    specHash: plan.specHash,
    objective: { [plan.objective.direction === 1 ? "minimize" : "maximize"]: plan.objective.text },
    constraints: plan.constraints.map((c) => c.text),
    params: plan.params,
    population: f.lambda,
    replicates: plan.spec.replicates,
    budget: plan.spec.budget,
    evaluations: evaluations.length,
    generations: evaluations.length === 0 ? 0 : evaluations[evaluations.length - 1]!.generation + 1,
    feasibleEvaluations: evaluations.filter((e) => e.feasible).length,
    failedEvaluations: evaluations.filter((e) => e.status !== "ok").length,
    stop: f.stop,
    best:
      best === undefined
        ? null
        : {
            evaluation: best.evaluation,
            generation: best.generation,
            params: paramsOf(plan, best),
            objective: best.objective,
            feasible: best.feasible,
            violations: best.violations.map((v) => (Number.isFinite(v) ? v : null)),
            seeds: best.runs.map((r) => r.seed),
            replay: best.runs.map((r) => replayCommand(plan.specFile, [...plan.sets, ...best.overrides], r.seed)),
          },
  };
}

export function tuneManifest(plan: TunePlan, lambda: number): Record<string, unknown> {
  return {
    potsim: potsimVersion,
    specHash: plan.specHash,
    tuneFile: plan.specFile,
    name: plan.name,
    set: plan.sets,
    tune: plan.spec,
    scenario: plan.scenario,
    baseSeed: plan.baseSeed,
    population: lambda,
    optimiser: "CMA-ES (Hansen 2016 defaults, positive weights), stream tune.cmaes of the base seed; reflection into each range's unit interval",
    seedDerivation: `${SEED_DERIVATION}, with <point> = the evaluation index`,
    command: `sim tune ${shellWord(plan.specFile)}${plan.sets.map((s) => ` --set ${shellWord(s)}`).join("")}`,
  };
}

export async function writeTuneFolder(dir: string, f: TuneFolder): Promise<void> {
  await writeAtomically(dir, async (put, tmp) => {
    put("tune.csv", tableToCsv(tuneTable(f.plan, f.evaluations)));
    if (f.best !== undefined) put("best.yaml", bestYaml(f.plan, f.best));
    put("summary.json", stableJson(tuneSummary(f)));
    put("manifest.json", stableJson(tuneManifest(f.plan, f.lambda)));
    if (f.report) await f.report.renderTuneReport(tmp);
  });
}

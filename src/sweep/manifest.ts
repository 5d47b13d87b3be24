// sweep/manifest: the manifest.json of a sweep folder — everything needed to rebuild its tables
// and replay any run: spec, base seed, points with their overrides, tasks with seeds and replay
// commands, potsim version. Shard folders carry the full manifest, so merging needs nothing else.
// May import: scenario, world, metrics, report, kernel.

import { stableJson } from "../metrics/index.js";
import { potsimVersion } from "./version.js";
import type { SweepPlan } from "./plan.js";
import { shellWord } from "./values.js";

export const SEED_DERIVATION =
  "seed = first 6 bytes (big-endian) of sha256(\"<baseSeed>/<point>/<replicate>\") as an integer < 2^48";

export interface ManifestPoint {
  point: number;
  values: unknown[];
  overrides: string[];
  /** Empty when the point's scenario validates. */
  error: string;
}

export interface ManifestTask {
  task: number;
  point: number;
  replicate: number;
  seed: number;
  replay: string;
}

export interface SweepManifest {
  potsim: string;
  specHash: string;
  scenarioFile: string;
  name: string;
  set: string[];
  sweep: unknown;
  scenario: unknown;
  baseSeed: number;
  replicates: number;
  seedDerivation: string;
  params: string[];
  points: ManifestPoint[];
  tasks: ManifestTask[];
}

/** `sim run <file> --set k=v ... --seed N`, shell-quoted. */
export function replayCommand(specFile: string, overrides: readonly string[], seed: number): string {
  const sets = overrides.map((o) => ` --set ${shellWord(o)}`).join("");
  return `sim run ${shellWord(specFile)}${sets} --seed ${seed}`;
}

/** The manifest, in its canonical (JSON round-tripped) form. */
export function buildManifest(plan: SweepPlan): SweepManifest {
  const m: SweepManifest = {
    potsim: potsimVersion,
    specHash: plan.specHash,
    scenarioFile: plan.specFile,
    name: plan.name,
    set: plan.sets,
    sweep: plan.spec,
    scenario: plan.scenario,
    baseSeed: plan.baseSeed,
    replicates: plan.replicates,
    seedDerivation: SEED_DERIVATION,
    params: plan.params,
    points: plan.points.map((p) => ({ point: p.index, values: p.values, overrides: p.overrides, error: p.error ?? "" })),
    tasks: plan.tasks.map((t) => ({
      task: t.index,
      point: t.point,
      replicate: t.replicate,
      seed: t.seed,
      replay: replayCommand(plan.specFile, [...plan.sets, ...plan.points[t.point]!.overrides], t.seed),
    })),
  };
  return JSON.parse(stableJson(m)) as SweepManifest;
}

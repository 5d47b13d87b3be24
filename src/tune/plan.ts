// tune/plan: turns a tuning file into a plan — the base document (the merged scenario without its
// `tune:` and `sweep:` blocks, `--set` overrides applied), the validated `tune:` block, its compiled
// objective and constraints, the search's unit-cube encoding of each parameter, and the spec hash
// naming the output folder. A candidate's scenario is resolved from the base document plus its
// `key=value` overrides, exactly as a sweep point's is.
// May import: scenario, sweep, world, metrics, report, kernel.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { stableJson } from "../metrics/index.js";
import {
  applyOverrides,
  INVALID,
  readScenarioDoc,
  resolveScenario,
  ScenarioError,
  type SourceDoc,
  toPlain,
} from "../scenario/index.js";
import { Issues } from "../scenario/issues.js";
import { fromPlain, type LMap, type LNode } from "../scenario/located.js";
import { type TuneSpec, tuneSchema } from "../scenario/sections/tune.js";
import { fromUnit, type Range } from "../sweep/sampling.js";
import { pointOverrides } from "../sweep/design.js";
import type { RunnableScenario } from "../world/models.js";
import { type Constraint, compileConstraint, compileObjective, ExpressionError, type Objective } from "./expressions.js";

const TUNE_KEY = "tune";
const STRIPPED = [TUNE_KEY, "sweep"];

export interface TunePlan {
  specFile: string;
  /** `--set` overrides applied to every candidate (those not under `tune.`). */
  sets: string[];
  name: string;
  baseSeed: number;
  spec: TuneSpec;
  /** The base document: merged scenario, no tune/sweep blocks, no overrides. */
  doc: SourceDoc;
  /** The base scenario (overrides applied). */
  scenario: RunnableScenario;
  params: string[];
  ranges: Range[];
  objective: Objective;
  constraints: Constraint[];
  /** Initial mean of the search in unit coordinates. */
  startUnits: number[];
  /** First 8 hex digits of sha256(stableJson({ scenario, tune, baseSeed, sets })). */
  specHash: string;
}

function withoutKeys(doc: SourceDoc, keys: readonly string[]): SourceDoc {
  const root = doc.root;
  if (root.kind !== "map" || !keys.some((k) => root.entries.has(k))) return doc;
  const entries = new Map(root.entries);
  for (const k of keys) entries.delete(k);
  const stripped: LMap = { ...root, entries };
  return { file: doc.file, root: stripped };
}

/** Splits `--set` overrides into those for the `tune:` block and those for the scenario. */
export function splitTuneSets(sets: readonly string[]): { tune: string[]; scenario: string[] } {
  const isTune = (s: string) => s === TUNE_KEY || /^tune[.=[]/.test(s);
  return { tune: sets.filter(isTune), scenario: sets.filter((s) => !isTune(s)) };
}

function readTuneBlock(doc: SourceDoc): TuneSpec {
  const root = doc.root;
  const node: LNode | undefined = root.kind === "map" ? root.entries.get(TUNE_KEY)?.value : undefined;
  const issues = new Issues();
  if (node === undefined || (node.kind === "scalar" && node.value === null)) {
    issues.add(root.loc, [TUNE_KEY], "a tuning file needs a `tune:` block (params, objective, budget)");
    issues.throwIfAny();
  }
  const spec = tuneSchema.check(node ?? fromPlain({}, root.loc), [TUNE_KEY], issues);
  issues.throwIfAny();
  if (spec === INVALID) throw new Error("invalid tune block");
  return spec;
}

/** The location of tune.<path> in the document, for expression errors. */
function locOf(doc: SourceDoc, path: (string | number)[]): LNode["loc"] {
  let node: LNode | undefined = doc.root;
  let loc = doc.root.loc;
  for (const seg of path) {
    if (node?.kind === "map") node = node.entries.get(String(seg))?.value;
    else if (node?.kind === "seq" && typeof seg === "number") node = node.items[seg];
    else node = undefined;
    if (node === undefined) break;
    loc = node.loc;
  }
  return loc;
}

/** The merged scenario (base document + overrides) as plain data, for best.yaml. */
export function plainScenario(doc: SourceDoc, sets: readonly string[]): unknown {
  return toPlain((sets.length > 0 ? applyOverrides(doc, sets) : doc).root);
}

export function scenarioFor(doc: SourceDoc, sets: readonly string[]): RunnableScenario {
  const d = sets.length > 0 ? applyOverrides(doc, sets) : doc;
  return resolveScenario(d) as unknown as RunnableScenario;
}

/** Unit coordinate of a value in a range: the inverse of fromUnit (middle of an integer's cell). */
export function toUnit(value: number, r: Range): number {
  const { min, max } = r;
  if (r.integer) {
    const hi = r.log ? Math.log(max + 1) : max + 1;
    const lo = r.log ? Math.log(min) : min;
    const v = r.log ? (Math.log(value) + Math.log(value + 1)) / 2 : value + 0.5;
    return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  }
  if (max === min) return 0.5;
  const u = r.log ? (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (value - min) / (max - min);
  return Math.min(1, Math.max(0, u));
}

/** Folds a search coordinate into [0, 1] by reflection at the bounds (period 2). */
export function reflect(x: number): number {
  const y = ((x % 2) + 2) % 2;
  return y > 1 ? 2 - y : y;
}

/** Parameter values and overrides for a search point (unconstrained coordinates). */
export function candidateValues(plan: Pick<TunePlan, "params" | "ranges">, x: readonly number[]): { values: number[]; overrides: string[] } {
  const values = x.map((xi, i) => fromUnit(reflect(xi), plan.ranges[i]!));
  return { values, overrides: pointOverrides(plan.params, values) };
}

export interface TunePlanOpts {
  /** `--set` overrides: `tune.*` ones edit the tune block, the rest apply to every candidate. */
  set?: readonly string[];
}

/** Reads the tuning file and builds the plan. Throws ScenarioError when the file or its tune block is invalid. */
export function planTune(specFile: string, opts: TunePlanOpts = {}): TunePlan {
  const { tune: tuneSets, scenario: sets } = splitTuneSets(opts.set ?? []);
  const full = readScenarioDoc(specFile);
  const withTuneSets = tuneSets.length > 0 ? applyOverrides(full, tuneSets) : full;
  const spec = readTuneBlock(withTuneSets);
  const doc = withoutKeys(full, STRIPPED);
  const scenario = scenarioFor(doc, sets);
  const baseSeed = spec.seed ?? scenario.seed;
  const params = Object.keys(spec.params);
  const ranges = Object.values(spec.params);
  const issues = new Issues();
  let objective: Objective | undefined;
  const constraints: Constraint[] = [];
  try {
    objective = compileObjective(spec.objective);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    const key = spec.objective.minimize !== undefined ? "minimize" : "maximize";
    issues.add(locOf(withTuneSets, [TUNE_KEY, "objective", key]), [TUNE_KEY, "objective", key], e.message.replace(/^tune\.objective\.\w+: /, ""));
  }
  spec.constraints.forEach((text, i) => {
    try {
      constraints.push(compileConstraint(text, i));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      issues.add(locOf(withTuneSets, [TUNE_KEY, "constraints", i]), [TUNE_KEY, "constraints", i], e.message.replace(/^tune\.constraints\[\d+\]: /, ""));
    }
  });
  const startUnits = params.map((p, i) => {
    const v = spec.start?.[p];
    if (v === undefined) return 0.5;
    if (typeof v !== "number") {
      issues.add(locOf(withTuneSets, [TUNE_KEY, "start", p]), [TUNE_KEY, "start", p], `must be a number, got ${JSON.stringify(v)}`);
      return 0.5;
    }
    const r = ranges[i]!;
    if (v < r.min || v > r.max) issues.add(locOf(withTuneSets, [TUNE_KEY, "start", p]), [TUNE_KEY, "start", p], `must be within [${r.min}, ${r.max}], got ${v}`);
    return toUnit(v, r);
  });
  issues.throwIfAny();
  const specHash = createHash("sha256").update(stableJson({ scenario, tune: spec, baseSeed, sets })).digest("hex").slice(0, 8);
  return {
    specFile,
    sets,
    name: scenario.name,
    baseSeed,
    spec,
    doc,
    scenario,
    params,
    ranges,
    objective: objective!,
    constraints,
    startUnits,
    specHash,
  };
}

/** results/<scenario-name>/tune-<spechash8>. */
export function defaultTuneDir(plan: Pick<TunePlan, "name" | "specHash">): string {
  return join("results", plan.name, `tune-${plan.specHash}`);
}

export { ScenarioError };

// sweep/plan: turns a sweep spec file into a plan — the base scenario, the validated `sweep:`
// block, the design's points (each resolved into a full scenario through the override mechanism,
// or marked invalid with the validation error), the task list with derived seeds, and the spec
// hash naming the output folder. The `sweep:` block is read from the merged document (so it works
// both inside a scenario file and in a sweep file that `extends:` one) and stripped before each
// point's scenario is validated, so points never depend on whether `sweep` is a registered section.
// May import: scenario, world, metrics, report, kernel.

import { createHash } from "node:crypto";
import { fromPlain, type LMap, type LNode } from "../scenario/located.js";
import { Issues } from "../scenario/issues.js";
import { formatPath, type Path, parsePath } from "../scenario/path.js";
import {
  applyOverrides,
  INVALID,
  readScenarioDoc,
  resolveScenario,
  ScenarioError,
  type SourceDoc,
} from "../scenario/index.js";
import { resultsPath, stableJson } from "../metrics/index.js";
import type { RunnableScenario } from "../world/models.js";
import { factorsOf, generateDesign, pointOverrides } from "./design.js";
import { deriveSeed } from "./seeds.js";
import { overrideOf } from "./values.js";
import { type SweepSpec, sweepSchema } from "../scenario/sections/sweep.js";
import { type TaskRef, taskRefs } from "./task.js";

const SWEEP_KEY = "sweep";

export interface PlanPoint {
  index: number;
  /** Values aligned with plan.params. */
  values: unknown[];
  /** The point's own `key=value` overrides (after the plan's base overrides). */
  overrides: string[];
  /** The resolved scenario, when the point validates. */
  scenario?: RunnableScenario;
  /** The validation error, when it does not. */
  error?: string;
}

export interface SweepPlan {
  /** The spec file as the caller named it (used in replay commands). */
  specFile: string;
  /** Base `--set` overrides applied to every point (those not under `sweep.`). */
  sets: string[];
  name: string;
  baseSeed: number;
  replicates: number;
  spec: SweepSpec;
  /** The base scenario (base overrides applied, no point overrides, no `sweep` key). */
  scenario: RunnableScenario;
  params: string[];
  points: PlanPoint[];
  tasks: TaskRef[];
  /** First 8 hex digits of sha256(stableJson({ scenario, sweep, baseSeed, sets })). */
  specHash: string;
}

/** Splits `--set` overrides into those for the `sweep:` block and those for the scenario. */
export function splitSets(sets: readonly string[]): { sweep: string[]; scenario: string[] } {
  const isSweep = (s: string) => s === SWEEP_KEY || s.startsWith(`${SWEEP_KEY}.`) || s.startsWith(`${SWEEP_KEY}=`) || s.startsWith(`${SWEEP_KEY}[`);
  return { sweep: sets.filter(isSweep), scenario: sets.filter((s) => !isSweep(s)) };
}

function withoutSweep(doc: SourceDoc): SourceDoc {
  const root = doc.root;
  if (root.kind !== "map" || !root.entries.has(SWEEP_KEY)) return doc;
  const entries = new Map(root.entries);
  entries.delete(SWEEP_KEY);
  const stripped: LMap = { ...root, entries };
  return { file: doc.file, root: stripped };
}

/**
 * Validates and defaults the `sweep:` block of a merged document. A document without one (or with
 * `sweep: null`), or a block that sweeps nothing (no grid, zip, random or lhs, one replicate), is
 * an error: `sim sweep` would otherwise run a single task without a word.
 */
export function readSweepBlock(doc: SourceDoc): SweepSpec {
  const root = doc.root;
  const node: LNode | undefined = root.kind === "map" ? root.entries.get(SWEEP_KEY)?.value : undefined;
  const issues = new Issues();
  if (node === undefined || (node.kind === "scalar" && node.value === null)) {
    const at = node?.loc ?? { file: doc.file, line: 1, col: 1 };
    issues.add(at, node === undefined ? [] : [SWEEP_KEY], "no sweep: block, so there is nothing to sweep (add one with grid, zip, random, lhs or replicates, or use sim run for one run)");
    issues.throwIfAny();
  }
  const spec = sweepSchema.check(node ?? fromPlain({}, root.loc), [SWEEP_KEY], issues);
  issues.throwIfAny();
  if (spec === INVALID) throw new Error("invalid sweep block");
  if (spec.replicates === 1 && factorsOf(spec, 0).length === 0) {
    issues.add(node!.loc, [SWEEP_KEY], "sweeps nothing: give a grid, zip, random or lhs factor, or replicates > 1 (sim run runs one task)");
    issues.throwIfAny();
  }
  return spec;
}

/** Where a swept key is written in the sweep block (for messages), or the block itself. */
function sweptKeyLoc(doc: SourceDoc, key: string): { at: LNode["loc"]; path: Path } {
  const block = doc.root.kind === "map" ? doc.root.entries.get(SWEEP_KEY)?.value : undefined;
  const where: [string, (string | number)[]][] = [];
  if (block?.kind === "map") {
    const grid = block.entries.get("grid")?.value;
    if (grid?.kind === "map") where.push(["grid", ["grid"]]);
    const zip = block.entries.get("zip")?.value;
    if (zip?.kind === "seq") for (let i = 0; i < zip.items.length; i++) where.push(["zip", ["zip", i]]);
    for (const k of ["random", "lhs"]) {
      const b = block.entries.get(k)?.value;
      if (b?.kind === "map") where.push([k, [k, "params"]]);
    }
    for (const [, path] of where) {
      let cur: LNode | undefined = block;
      for (const seg of path) cur = cur?.kind === "map" ? cur.entries.get(String(seg))?.value : cur?.kind === "seq" ? cur.items[Number(seg)] : undefined;
      const entry = cur?.kind === "map" ? cur.entries.get(key) : undefined;
      if (entry !== undefined) return { at: entry.keyLoc, path: [SWEEP_KEY, ...path, key] };
    }
  }
  return { at: block?.loc ?? doc.root.loc, path: [SWEEP_KEY] };
}

/**
 * Every swept key must be a scenario key: one the scenario would reject as unknown ("did you mean")
 * is an error at the sweep block, not a sweep whose every point is invalid.
 */
function checkSweptKeys(
  doc: SourceDoc,
  specDoc: SourceDoc,
  sets: readonly string[],
  params: readonly string[],
  firstValues: readonly unknown[],
): void {
  const issues = new Issues();
  params.forEach((key, j) => {
    const segs = parsePath(key);
    if (segs === undefined) return;
    const keyPath = segs.map((x) => x.seg);
    const prefixes = new Set(keyPath.map((_, k) => formatPath(keyPath.slice(0, k + 1))));
    let problem: string | undefined;
    try {
      scenarioOf(doc, [...sets, overrideOf(key, firstValues[j])]);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const bad = e.errors.find((i) => i.file === "--set" && prefixes.has(i.path) && /^(unknown key|cannot set)/.test(i.message));
      if (bad !== undefined) problem = `${bad.path}: ${bad.message}`;
    }
    if (problem !== undefined) {
      const { at, path } = sweptKeyLoc(specDoc, key);
      issues.add(at, path, `${JSON.stringify(key)} is not a scenario key path (${problem})`);
    }
  });
  issues.throwIfAny();
}

function stripSweepKey(s: Record<string, unknown>): RunnableScenario {
  const { [SWEEP_KEY]: _ignored, ...rest } = s;
  return rest as RunnableScenario;
}

export function scenarioOf(doc: SourceDoc, sets: readonly string[]): RunnableScenario {
  const d = sets.length > 0 ? applyOverrides(doc, sets) : doc;
  return stripSweepKey(resolveScenario(d) as unknown as Record<string, unknown>);
}

export interface PlanOpts {
  /** `--set` overrides: `sweep.*` ones edit the sweep block, the rest apply to every point. */
  set?: readonly string[];
}

/** Reads the spec file and builds the plan. Throws ScenarioError when the file or its sweep block is invalid. */
export function planSweep(specFile: string, opts: PlanOpts = {}): SweepPlan {
  const { sweep: sweepSets, scenario: sets } = splitSets(opts.set ?? []);
  const full = readScenarioDoc(specFile);
  const withSweepSets = sweepSets.length > 0 ? applyOverrides(full, sweepSets) : full;
  const spec = readSweepBlock(withSweepSets);
  const doc = withoutSweep(full);
  const scenario = scenarioOf(doc, sets);
  const baseSeed = spec.seed ?? scenario.seed;
  const design = generateDesign(spec, baseSeed);
  if (design.points.length > 0) checkSweptKeys(doc, withSweepSets, sets, design.params, design.points[0]!);
  const points: PlanPoint[] = design.points.map((values, index) => {
    const overrides = pointOverrides(design.params, values);
    try {
      return { index, values, overrides, scenario: scenarioOf(doc, [...sets, ...overrides]) };
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return { index, values, overrides, error: e.message.replace(/\n/g, " | ") };
    }
  });
  const specHash = createHash("sha256")
    .update(stableJson({ scenario, sweep: spec, baseSeed, sets }))
    .digest("hex")
    .slice(0, 8);
  return {
    specFile,
    sets,
    name: scenario.name,
    baseSeed,
    replicates: spec.replicates,
    spec,
    scenario,
    params: design.params,
    points,
    tasks: taskRefs(points.length, spec.replicates, (p, r) => deriveSeed(baseSeed, p, r)),
    specHash,
  };
}

/** results/<scenario-name>/sweep-<spechash8>, plus `-shard<I>of<N>` for a shard. */
export function defaultOutDir(plan: Pick<SweepPlan, "name" | "specHash">, shard?: { index: number; count: number }): string {
  const base = `sweep-${plan.specHash}`;
  return resultsPath("results", plan.name, shard ? `${base}-shard${shard.index}of${shard.count}` : base);
}

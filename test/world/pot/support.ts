// Small PoT worlds for tests: a base scenario (as a plain object) deep-merged with overrides,
// validated through the real scenario pipeline, then run in-process.

import { stringify } from "yaml";
import { parseScenarioText, type ResolvedScenario, resolveScenario } from "../../../src/scenario/index.js";
import { PotWorld, type PotWorldOptions } from "../../../src/world/pot/world.js";
import { type RunOptions, type RunResult, runScenario } from "../../../src/world/run.js";

type Plain = Record<string, unknown>;

/** 4 validators, 7 meta nodes, 30 resource nodes, 40 users; 12 epochs of 60 s; maturity 3 epochs. */
export const BASE: Plain = {
  name: "pot-test",
  model: "pot",
  seed: 7,
  until: 760,
  network: { latency: { model: "uniform", min: 0.001, max: 0.005 } },
  pbft: { n: 4, checkpointInterval: 10, requestTimeout: 1, maxBatchSize: 8 },
  economics: {
    epochLength: 60,
    epochs: 12,
    matureEpoch: 3,
    metaNodes: { count: 7 },
    resourceNodes: { count: 30, depositStos: 100, graceEpochs: 2 },
    users: { initialStos: 1, prepayStos: 0.0001, refillEpochs: 3 },
  },
  traffic: {
    mode: "aggregated",
    users: [{ count: 40, arrival: { model: "poisson", rate: 0.05 } }],
    sizes: { model: "lognormal", median: 2_000_000, sigma: 1 },
    catalog: { files: 100 },
  },
  check: { livenessBound: 30 },
};

function merge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (typeof a !== "object" || a === null || Array.isArray(a) || typeof b !== "object" || b === null || Array.isArray(b)) return b;
  // A tagged variant (`model: ...`) replaces the whole mapping.
  if ("model" in (b as Plain) && (b as Plain).model !== (a as Plain).model) return b;
  const out: Plain = { ...(a as Plain) };
  for (const [k, v] of Object.entries(b as Plain)) out[k] = merge(out[k], v);
  return out;
}

export function potScenario(over: Plain = {}): ResolvedScenario {
  const doc = parseScenarioText(stringify(merge(BASE, over)), "pot-test.yaml");
  return resolveScenario(doc);
}

export function runPot(over: Plain = {}, opts: RunOptions = {}): RunResult {
  return runScenario(potScenario(over), opts);
}

/** A world run to its end, for access to the actors and ledgers. */
export function potWorld(over: Plain = {}, opts: PotWorldOptions = {}): { world: PotWorld; out: ReturnType<PotWorld["finish"]> } {
  const s = potScenario(over);
  const world = new PotWorld(s, s.seed, opts);
  world.sim.run({ until: s.until });
  return { world, out: world.finish() };
}

export function table(r: { tables: RunResult["tables"] }, name: string): Record<string, unknown>[] {
  const t = r.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]])));
}

export function columns(r: { tables: RunResult["tables"] }, name: string): string[] {
  const t = r.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t.columns;
}

// biome-ignore lint/suspicious/noExplicitAny: summaries are JSON-like records
export type Summary = any;

// Runs one resolved scenario to completion: builds its world, advances the kernel in slices
// (so callers can show progress), and returns everything the results folder needs.

import type { Table } from "../metrics/index.js";
import { buildWorld, describeWorld, type RunnableScenario } from "./models.js";
import type { WorldObserver } from "./observe.js";
import type { Violation } from "./types.js";

export interface RunOptions {
  seed?: number;
  /** Overrides the scenario's `until`. */
  until?: number;
  /** Called between slices with simulated time and events so far. */
  onProgress?: (simTime: number, until: number, events: number) => void;
  /** Stop as soon as a violation is recorded (used by `sim check`). */
  stopOnViolation?: boolean;
  /** PoT worlds: draw aggregated traffic on a worker thread (PotWorldOptions.trafficThread). */
  trafficThread?: boolean;
  /**
   * Watches the run (traces, coverage): its `begin` gets the world's description before the world is
   * built. Only pbft and pot worlds take one (describeWorld returns null for the others).
   */
  observer?: WorldObserver;
}

export interface RunResult {
  seed: number;
  until: number;
  simTime: number;
  events: number;
  traceHash: string;
  summary: Record<string, unknown>;
  tables: Table[];
  violations: Violation[];
}

const SLICES = 100;

export function runScenario(scenario: RunnableScenario, opts: RunOptions = {}): RunResult {
  const seed = opts.seed ?? scenario.seed;
  const until = opts.until ?? scenario.until;
  const observer = opts.observer;
  if (observer) {
    const description = describeWorld(scenario);
    if (description === null) throw new Error(`model ${scenario.model} takes no world observer`);
    observer.begin(description);
  }
  const world = buildWorld(scenario, seed, { trafficThread: opts.trafficThread, worldObserver: observer });
  const sim = world.sim;
  const maxEvents = scenario.maxEvents ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= SLICES; i++) {
    const sliceEnd = i === SLICES ? until : (until * i) / SLICES;
    const budget = maxEvents - sim.eventCount;
    if (budget <= 0) break;
    const r = sim.run({
      until: sliceEnd,
      maxEvents: budget,
      stop: opts.stopOnViolation ? () => world.violations.length > 0 : undefined,
    });
    opts.onProgress?.(sim.now, until, sim.eventCount);
    if (r.reason === "stopped" || r.reason === "maxEvents") break;
  }
  const out = world.finish();
  return {
    seed,
    until,
    simTime: sim.now,
    events: sim.eventCount,
    traceHash: sim.traceHash,
    summary: out.summary,
    tables: out.tables,
    violations: out.violations,
  };
}

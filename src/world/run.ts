// Runs one resolved scenario to completion: builds its world, advances the kernel in slices
// (so callers can show progress), and returns everything the results folder needs.

import type { Table } from "../metrics/index.js";
import { buildWorld, describeWorld, type RunnableScenario } from "./models.js";
import type { WorldObserver } from "./observe.js";
import type { ReplicaFactory } from "./pbft/index.js";
import type { Violation } from "./types.js";

export interface RunOptions {
  seed?: number;
  /** Overrides the scenario's `until`. */
  until?: number;
  /** Called between slices with simulated time and events so far. */
  onProgress?: (simTime: number, until: number, events: number) => void;
  /** Stop as soon as a violation is recorded (`sim check`); default: the scenario's `check.stopOnViolation`. */
  stopOnViolation?: boolean;
  /** PoT worlds: draw aggregated traffic on a worker thread (PotWorldOptions.trafficThread). */
  trafficThread?: boolean;
  /**
   * Watches the run (traces, coverage): its `begin` gets the world's description before the world is
   * built. Only pbft and pot worlds take one (describeWorld returns null for the others).
   */
  observer?: WorldObserver;
  /** PBFT worlds: build replicas with this (mutation tests, `sim check --replica`; never set by a scenario). */
  replicaFactory?: ReplicaFactory;
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
/** Events per step of runScenarioAsync, between which Ctrl-C and progress get through (about 10-100 ms). */
const EVENTS_PER_STEP = 50_000;

export function runScenario(scenario: RunnableScenario, opts: RunOptions = {}): RunResult {
  const run = startRun(scenario, opts);
  while (run.step(Number.POSITIVE_INFINITY));
  return run.result();
}

/**
 * runScenario that yields to the event loop every EVENTS_PER_STEP events (same events, same
 * outputs: the kernel resumes exactly where it stopped). Resolves to undefined, after releasing the
 * world, when `signal` aborts.
 */
export async function runScenarioAsync(scenario: RunnableScenario, opts: RunOptions & { signal?: AbortSignal } = {}): Promise<RunResult | undefined> {
  const run = startRun(scenario, opts);
  while (run.step(EVENTS_PER_STEP)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.signal?.aborted) {
      run.world.finish();
      return undefined;
    }
  }
  return run.result();
}

/** The slice loop as steps of at most `chunk` events; `step` returns false once the run is over. */
function startRun(given: RunnableScenario, opts: RunOptions) {
  const seed = opts.seed ?? given.seed;
  const until = opts.until ?? given.until;
  // The world is built for the run it will have: an economy plans its epochs, attack budgets and
  // traffic from `until`, so an --until override must reach it, not only the kernel's stop time.
  const scenario = until === given.until ? given : { ...given, until };
  const stopOnViolation = opts.stopOnViolation ?? scenario.check.stopOnViolation;
  const observer = opts.observer;
  if (observer) {
    const description = describeWorld(scenario);
    if (description === null) throw new Error(`model ${scenario.model} takes no world observer`);
    observer.begin(description);
  }
  const world = buildWorld(scenario, seed, { trafficThread: opts.trafficThread, worldObserver: observer, replicaFactory: opts.replicaFactory });
  const sim = world.sim;
  const maxEvents = scenario.maxEvents ?? Number.POSITIVE_INFINITY;
  let i = 1;
  const step = (chunk: number): boolean => {
    if (i > SLICES) return false;
    const sliceEnd = i === SLICES ? until : (until * i) / SLICES;
    const budget = maxEvents - sim.eventCount;
    if (budget <= 0) return false;
    const limit = Math.min(budget, chunk);
    const r = sim.run({
      until: sliceEnd,
      maxEvents: limit,
      stop: stopOnViolation ? () => world.violations.length > 0 : undefined,
    });
    opts.onProgress?.(sim.now, until, sim.eventCount);
    if (r.reason === "maxEvents" && limit < budget) return true; // a step ended inside the slice
    if (r.reason === "stopped" || r.reason === "maxEvents") return false;
    i++;
    return i <= SLICES;
  };
  const result = (): RunResult => {
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
  };
  return { world, step, result };
}

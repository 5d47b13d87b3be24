// The shrink: from a scenario and a seed that violate an invariant to a small standalone scenario
// (the capsule) that violates the same invariant. Phases, repeated until a round changes nothing:
//   1. configuration (config.ts): until, clients, requests, replicas, epochs, the economy;
//   2. once: what the seed drew, made explicit (explicit.ts), and random timing removed;
//   3. delta debugging (ddmin.ts) of the schedule: first over the recorded per-message effects with
//      the faults, rules and partitions, then over the capsule's own faults, rules, partitions, spikes
//      and attacks, to a 1-minimal set.
// The last round ends with a scenario-level ddmin under the final configuration, so the result is
// 1-minimal unless the budget ran out; `minimality` re-tests each single removal (from the cache).
//
// Deterministic: candidates are tried in a fixed order and every candidate is a deterministic run, so
// the same input gives the same capsule; only where a budget stops the search depends on the machine.
// Resumable: verdicts come from and go to a cache the caller persists (the state file of `sim shrink`);
// a rerun with that cache replays the search up to where it stopped without running anything again.

import type { Violation } from "../check/index.js";
import { stableJson } from "../metrics/index.js";
import type { ResolvedScenario } from "../scenario/index.js";
import type { ReplicaFactory } from "../world/pbft/index.js";
import { capsuleText } from "./capsule.js";
import { type Search, shrinkConfiguration, tightenUntil } from "./config.js";
import { DeltaDebugger } from "./ddmin.js";
import { clone, layoutOf, type Scenario } from "./edit.js";
import { convertibleSources, explicitSchedule, fixTiming, record, remainingDraws, type Source } from "./explicit.js";
import { type Budget, BudgetExhausted, digestOf, normalize, Oracle, type Verdict } from "./oracle.js";
import { runCandidate } from "./run.js";
import { describeElement, type Element, materialize, type Schedule, scheduleOf, scheduleSize } from "./schedule.js";

/** Bump when the search changes: a state file of another version is not reused. */
export const SHRINK_VERSION = 1;

/** Rounds of (configuration, ddmin) at most; each after the first only runs if the previous changed something. */
const MAX_ROUNDS = 4;

export interface ShrinkOptions {
  /** The invariant to keep violating (SAF-1, INV-K, LIV-1, …); default: the run's first violation. */
  readonly invariant?: string;
  /** What targetViolation found for this input, seed and invariant, when the caller already ran it (the input's run is the longest). */
  readonly target?: Violation;
  /** Replicas of this class instead of the correct one (programs only: mutation tests). */
  readonly replicaFactory?: ReplicaFactory;
  /** Names `replicaFactory` in the capsule's header and the state fingerprint. */
  readonly replicaLabel?: string;
  readonly budget?: Budget;
  /** Verdicts of earlier attempts (a resumed shrink); new ones are added to it. */
  readonly cache?: Map<string, Verdict>;
  /** Called after each new verdict (persist the cache and `best` to resume after a kill). */
  readonly onVerdict?: (key: string, verdict: Verdict, best: Scenario) => void;
  /** One line per phase and kept step (the CLI prints them on stderr). */
  readonly onProgress?: (line: string) => void;
  /** Where the input came from, for the capsule's header (default: its name). */
  readonly sourceLabel?: string;
  /** The capsule's path as the replay command should name it (default "capsule.yaml"). */
  readonly capsulePath?: string;
  /** The replay command (default `npx sim run <capsulePath> --seed <seed>`). */
  readonly replay?: string;
  /** Tool and version for the header (e.g. "potsim 0.1.0"). */
  readonly tool?: string;
}

export interface ShrinkStep {
  readonly phase: string;
  readonly change: string;
  /** Candidate runs so far (this invocation). */
  readonly runs: number;
  readonly until: number;
  readonly elements: number;
}

/** Size of a scenario as the shrink reports it. */
export interface ShrinkSize {
  readonly model: string;
  readonly n: number | null;
  readonly clients: number | null;
  readonly requests: number | null;
  readonly until: number;
  /** Explicit fault events, rules, partitions, spikes and attacks. */
  readonly elements: number;
  /** Random sources still drawn from the seed. */
  readonly draws: string[];
}

export interface ShrinkResult {
  /** The capsule, resolved (what the loader makes of `yaml`). */
  readonly capsule: Scenario;
  /** The capsule file: header comment and the scenario, every value explicit. */
  readonly yaml: string;
  readonly seed: number;
  readonly invariant: string;
  /** The capsule's first violation of the invariant. */
  readonly violation: Violation;
  readonly replay: string;
  /** Every single removal of a remaining element was tested and loses the violation. */
  readonly oneMinimal: boolean;
  /** The budget stopped the search (the capsule violates but may not be minimal). */
  readonly budgetLimited: boolean;
  /** Each remaining element and whether the capsule without it still violates. */
  readonly minimality: ReadonlyArray<{ readonly element: string; readonly violates: boolean | null }>;
  /** Same trace for the seed and the next one: the capsule depends on no draw. */
  readonly drawFree: boolean;
  readonly before: ShrinkSize;
  readonly after: ShrinkSize;
  readonly steps: readonly ShrinkStep[];
  /** Distinct candidates tested by this search (earlier invocations included: the same for a fresh and a resumed search). */
  readonly tested: number;
  /** Candidate runs this invocation, answers from the cache, candidates the loader refused. */
  readonly runs: number;
  readonly cached: number;
  readonly refused: number;
}

/** The input does not violate (the given invariant): there is nothing to shrink. */
export class NothingToShrink extends Error {}

/** A digest of everything that determines a shrink's search (the state file is reused only on a match). */
export function shrinkFingerprint(input: ResolvedScenario, seed: number, o: Pick<ShrinkOptions, "invariant" | "replicaLabel">): string {
  return digestOf({ ...input, shrink: { version: SHRINK_VERSION, seed, invariant: o.invariant ?? null, replica: o.replicaLabel ?? null } } as unknown as Scenario);
}

export function sizeOf(s: Scenario): ShrinkSize {
  const pbft = s.model === "pbft" ? s.pbft : null;
  return {
    model: s.model,
    n: s.pbft?.n ?? null,
    clients: s.pbft ? layoutOf(s).clients : null,
    requests: pbft ? pbft.clients.requests : null,
    until: s.until,
    elements: scheduleSize(s),
    draws: remainingDraws(s),
  };
}

/** The capsule's name: the input's with "-shrunk" (within the scenario name's 64 characters). */
function capsuleName(name: string): string {
  return `${name.slice(0, 64 - "-shrunk".length)}-shrunk`;
}

/** The violation a shrink of `input` with `seed` keeps (the first of `o.invariant`, or the first of any). Throws NothingToShrink. */
export function targetViolation(input: ResolvedScenario, seed: number, o: Pick<ShrinkOptions, "invariant" | "replicaFactory" | "sourceLabel"> = {}): Violation {
  const first = runCandidate(input, seed, { invariant: o.invariant, replicaFactory: o.replicaFactory });
  if (first.violation !== null) return first.violation;
  const label = `seed ${seed} of ${o.sourceLabel ?? input.name}`;
  const within = `within its ${input.until} s`;
  throw new NothingToShrink(
    o.invariant === undefined
      ? `${label} violates no invariant ${within}: nothing to shrink`
      : `${label} does not violate ${o.invariant} ${within}${first.first ? ` (its first violation is ${first.first.invariant})` : ""}: nothing to shrink`,
  );
}

/** Shrinks the violating run of `input` with `seed` (see the file header). Throws NothingToShrink. */
export function shrink(input: ResolvedScenario, seed: number, o: ShrinkOptions = {}): ShrinkResult {
  const progress = o.onProgress ?? (() => {});
  const found = o.target ?? targetViolation(input, seed, o);
  const invariant = found.invariant;

  // The capsule's identity from the start, so what the search tests is exactly what it writes.
  const start = clone(input) as Scenario & { tune?: unknown };
  start.name = capsuleName(input.name);
  start.description = `${input.name} seed ${seed}, shrunk by sim shrink: violates ${invariant}`;
  start.seed = seed;
  start.sweep = null;
  delete start.tune;
  const normal = normalize(start);
  if ("invalid" in normal) throw new Error(`shrink: the input does not load as a standalone scenario: ${normal.invalid}`);

  const cache = o.cache ?? new Map<string, Verdict>();
  let best: Scenario = normal.scenario;
  let bestKey = normal.key;
  let bestTime = found.time;
  const oracle = new Oracle(seed, invariant, cache, o.budget ?? {}, o.replicaFactory, (key, v) => o.onVerdict?.(key, v, best));
  const steps: ShrinkStep[] = [];
  let phase = "start";
  const log = (line: string) => progress(`shrink: [${oracle.runs} runs${o.budget?.clock ? `, ${(oracle.elapsedMs / 1000).toFixed(1)} s` : ""}] ${line}`);

  const search: Search = {
    get best() {
      return best;
    },
    get violationTime() {
      return bestTime;
    },
    seed,
    invariant,
    attempt(candidate: Scenario, label: string): boolean {
      const n = normalize(candidate);
      if ("invalid" in n) {
        oracle.invalid++;
        return false;
      }
      if (n.key === bestKey) return true;
      const v = oracle.testResolved(n.scenario, n.key);
      if (v.v !== 1) return false;
      best = n.scenario;
      bestKey = n.key;
      bestTime = v.t!;
      const size = scheduleSize(best);
      steps.push({ phase, change: label, runs: oracle.runs, until: best.until, elements: size });
      log(`${phase}: ${label} (${size} schedule elements, until ${best.until} s)`);
      return true;
    },
  };

  const startVerdict = oracle.testResolved(normal.scenario, normal.key);
  if (startVerdict.v !== 1) throw new Error(`shrink: the input renamed as a capsule no longer violates ${invariant} (a run depends on the scenario's name?)`);
  log(`seed ${seed} violates ${invariant} at t=${found.time} s; ${scheduleSize(best)} schedule elements, until ${best.until} s`);

  let budgetLimited = false;
  try {
    let explicitDone = false;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const before = bestKey;
      phase = `round ${round} configuration`;
      shrinkConfiguration(search);
      let schedule: Schedule | null = null;
      if (!explicitDone) {
        explicitDone = true;
        phase = "explicit";
        schedule = makeExplicit(search, seed, input.until, o.replicaFactory, log);
      }
      if (schedule !== null && schedule.messages.length > 0) {
        phase = `round ${round} ddmin (per-message effects)`;
        ddmin(search, schedule, log, phase);
      }
      phase = `round ${round} ddmin`;
      ddmin(search, scheduleOf(best), log, phase);
      phase = `round ${round} configuration`;
      tightenUntil(search);
      roundTimes(search);
      if (bestKey === before) break;
    }
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    budgetLimited = true;
    log(`budget exhausted: keeping the smallest violating scenario found`);
  }

  // Each single removal, from the cache (a budget-limited search may leave some untested: null).
  const final = scheduleOf(best);
  const minimality = final.elements.map((el, i) => {
    const n = normalize(materialize(final, final.elements.filter((_, j) => j !== i)));
    let violates: boolean | null = null;
    if ("invalid" in n) violates = false;
    else {
      try {
        violates = oracle.testResolved(n.scenario, n.key).v === 1;
      } catch (e) {
        if (!(e instanceof BudgetExhausted)) throw e;
        budgetLimited = true;
      }
    }
    return { element: describeElement(el), violates };
  });
  const oneMinimal = !budgetLimited && minimality.every((m) => m.violates === false);

  // Run to the end (its first hit is the one a run stopped there finds), and with another seed: draw-free
  // when both give the same trace.
  const capsuleRun = runCandidate(best, seed, { invariant, full: true, replicaFactory: o.replicaFactory });
  if (capsuleRun.violation === null) throw new Error(`shrink: the capsule does not violate ${invariant} when run again`);
  const b = runCandidate(best, seed === Number.MAX_SAFE_INTEGER ? seed - 1 : seed + 1, { full: true, replicaFactory: o.replicaFactory });
  const drawFree = capsuleRun.traceHash === b.traceHash;
  const capsulePath = o.capsulePath ?? "capsule.yaml";
  const replay = o.replay ?? `npx sim run ${capsulePath} --seed ${seed}`;
  const after = sizeOf(best);
  const yaml = capsuleText(best, {
    source: o.sourceLabel ?? input.name,
    seed,
    violation: capsuleRun.violation,
    before: sizeOf(input),
    after,
    oneMinimal,
    budgetLimited,
    tested: cache.size,
    drawFree,
    replicaLabel: o.replicaFactory ? (o.replicaLabel ?? "a program's replica class") : undefined,
    replay,
    tool: o.tool,
  });
  log(
    `done: ${after.elements} schedule elements, until ${after.until} s, ${oneMinimal ? "1-minimal" : budgetLimited ? "budget-limited" : "not 1-minimal"}, ${oracle.runs} runs`,
  );
  return {
    capsule: best,
    yaml,
    seed,
    invariant,
    violation: capsuleRun.violation,
    replay,
    oneMinimal,
    budgetLimited,
    minimality,
    drawFree,
    before: sizeOf(input),
    after,
    steps,
    tested: cache.size,
    runs: oracle.runs,
    cached: oracle.hits,
    refused: oracle.invalid,
  };
}

/** Phase 2 (explicit.ts): returns the schedule with recorded effects, or null when nothing was drawn. */
function makeExplicit(search: Search, seed: number, until: number, factory: ReplicaFactory | undefined, log: (line: string) => void): Schedule | null {
  const timed = fixTiming(search, until);
  if (timed) tightenUntil(search);
  const pre = search.best;
  const sources = convertibleSources(pre);
  let schedule: Schedule | null = null;
  if (sources.length > 0) {
    const has = (x: Source) => sources.includes(x);
    const recording = record(pre, seed, { loss: has("loss"), duplicate: has("duplicate"), rules: has("rules"), latency: has("latency") }, factory);
    log(`explicit: recorded ${recording.messages.length} copies at the rule table, ${recording.effects.length} drawn effects, ${recording.partitions.length} random partitions`);
    const tryWith = (chosen: Source[]): Schedule | null => {
      const s = explicitSchedule(pre, seed, chosen, recording);
      return search.attempt(materialize(s, s.elements), `made explicit: ${chosen.join(", ")}`) ? s : null;
    };
    schedule = tryWith(sources);
    if (schedule === null && sources.length > 1) {
      const chosen: Source[] = [];
      for (const src of sources) {
        const s = tryWith([...chosen, src]);
        if (s !== null) {
          chosen.push(src);
          schedule = s;
        }
      }
    }
    if (schedule === null) log(`explicit: no conversion kept the violation; the draws stay`);
  }
  if (!timed && fixTiming(search, until) && schedule !== null) {
    tightenUntil(search);
    // The schedule's base takes the new timing (the recorded effects are keyed by protocol fields, not times).
    const b = search.best;
    schedule = { ...schedule, base: { ...schedule.base, until: b.until, network: { ...schedule.base.network, latency: b.network.latency, reorder: b.network.reorder } } };
  }
  return schedule;
}

/** Significant digits the times and delays of a schedule are rounded to when the violation survives it. */
const ROUND_DIGITS = 3;

/** The schedule's times and delays to ROUND_DIGITS significant digits (drawn values read as 1.3386272744974121). */
function roundTimes(search: Search): boolean {
  const r = (x: number | undefined) => (x === undefined ? undefined : Number(x.toPrecision(ROUND_DIGITS)));
  const s = clone(search.best);
  for (const f of s.pbft?.faults ?? []) {
    const g = f as { at: number; until?: number; delay?: number };
    g.at = r(g.at)!;
    if (g.until !== undefined) g.until = r(g.until);
    if (g.delay !== undefined) g.delay = r(g.delay);
  }
  for (const rule of s.network.rules) {
    const g = rule as { start?: number; end?: number; delay?: number; until?: unknown };
    if (g.start !== undefined) g.start = r(g.start);
    if (g.end !== undefined) g.end = r(g.end);
    if (g.delay !== undefined) g.delay = r(g.delay);
    if (typeof g.until === "number") g.until = r(g.until);
  }
  for (const p of s.network.partitions) {
    p.at = r(p.at)!;
    if (p.heal !== undefined) p.heal = r(p.heal);
  }
  for (const k of s.network.spikes) {
    k.at = r(k.at)!;
    k.until = r(k.until)!;
    k.extra = r(k.extra)!;
  }
  if (stableJson(s) === stableJson(search.best)) return false;
  return search.attempt(s, `times and delays rounded to ${ROUND_DIGITS} significant digits`);
}

/** ddmin over `schedule`'s elements; each smaller failing set found becomes the search's best. */
function ddmin(search: Search, schedule: Schedule, log: (line: string) => void, phase: string): void {
  const total = schedule.elements.length;
  if (total === 0) return;
  log(`${phase}: ${total} elements`);
  const dd = new DeltaDebugger<Element>(schedule.elements, (subset) =>
    subset.length < total ? search.attempt(materialize(schedule, subset), `schedule ${total} -> ${subset.length} elements`) : false,
  );
  dd.run();
}

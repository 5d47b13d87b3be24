// The shrink's test: does a candidate scenario, run with the shrink's seed, violate the target
// invariant? Every candidate first goes through the normal scenario loader (written as YAML, read
// back, validated and defaulted): a candidate the loader refuses is not a violation, and one it
// accepts is exactly what a capsule holding it will run. Verdicts are cached by a digest of the
// resolved candidate, which is also what the state file stores, so a resumed shrink replays its
// search without running anything it already ran.
//
// Limits: a budget in runs and/or wall time (the clock is the caller's: this folder reads none);
// the budget is checked before each run that is not in the cache, and running out throws
// BudgetExhausted, which the search turns into a budget-limited result.

import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { stableJson } from "../metrics/index.js";
import { parseScenarioText, resolveScenario, ScenarioError } from "../scenario/index.js";
import type { ReplicaFactory } from "../world/pbft/index.js";
import type { Scenario } from "./edit.js";
import { runCandidate } from "./run.js";

/** A candidate's outcome as stored in the state file. */
export interface Verdict {
  /** 1: violates the target invariant; 0: does not (or could not run: `error` says why). */
  readonly v: 0 | 1;
  /** Time of the first target violation (s); null when none. */
  readonly t: number | null;
  /** Why the candidate could not run (refused by the loader, or an error in the world). */
  readonly error?: string;
}

export class BudgetExhausted extends Error {}

export interface Budget {
  /** Most candidate runs (cache hits are free). */
  readonly maxRuns?: number;
  /** Wall-clock budget (ms) measured with `clock`. */
  readonly wallMs?: number;
  /** Milliseconds on some monotonic clock (the CLI passes one; the library reads no clock). */
  readonly clock?: () => number;
}

/** The file name candidates are validated as (names nothing on disk: `extends` is never written). */
export const CANDIDATE_FILE = "capsule.yaml";

/** The candidate's resolved form and digest, or the loader's complaint. */
export function normalize(candidate: Scenario): { scenario: Scenario; key: string } | { invalid: string } {
  try {
    const scenario = resolveScenario(parseScenarioText(stringify(candidate), CANDIDATE_FILE));
    return { scenario, key: digestOf(scenario) };
  } catch (e) {
    if (e instanceof ScenarioError) return { invalid: e.message.split("\n")[0]! };
    throw e;
  }
}

export function digestOf(s: Scenario): string {
  return createHash("sha256").update(stableJson(s)).digest("hex").slice(0, 32);
}

export class Oracle {
  /** Candidate runs made by this oracle (not answered from the cache). */
  runs = 0;
  hits = 0;
  /** Candidates the loader refused (counted by the search, which normalizes them). */
  invalid = 0;
  private readonly started: number;

  constructor(
    private readonly seed: number,
    readonly invariant: string,
    private readonly cache: Map<string, Verdict>,
    private readonly budget: Budget,
    private readonly replicaFactory: ReplicaFactory | undefined,
    private readonly onVerdict: (key: string, v: Verdict) => void = () => {},
  ) {
    this.started = budget.clock?.() ?? 0;
  }

  /** Milliseconds since this oracle started (0 without a clock). */
  get elapsedMs(): number {
    return this.budget.clock ? this.budget.clock() - this.started : 0;
  }

  /** Whether the budget allows another run. */
  get exhausted(): boolean {
    const b = this.budget;
    if (b.maxRuns !== undefined && this.runs >= b.maxRuns) return true;
    return b.wallMs !== undefined && b.clock !== undefined && this.elapsedMs >= b.wallMs;
  }

  /** The verdict on a normalized candidate (cached, or run now; throws BudgetExhausted when it would have to run past the budget). */
  testResolved(scenario: Scenario, key: string): Verdict {
    const known = this.cache.get(key);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    if (this.exhausted) throw new BudgetExhausted("budget exhausted");
    this.runs++;
    let verdict: Verdict;
    try {
      const r = runCandidate(scenario, this.seed, { invariant: this.invariant, replicaFactory: this.replicaFactory });
      verdict = r.violation ? { v: 1, t: r.violation.time } : { v: 0, t: null };
    } catch (e) {
      verdict = { v: 0, t: null, error: e instanceof Error ? e.message.split("\n")[0]! : String(e) };
    }
    this.cache.set(key, verdict);
    this.onVerdict(key, verdict);
    return verdict;
  }
}

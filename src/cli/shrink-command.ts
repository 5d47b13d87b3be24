// `sim shrink SCENARIO --seed N [--budget 10m] [--out DIR]`: the violating run of a seed, shrunk to a
// minimal standalone scenario (the capsule) that violates the same invariant (src/shrink). Writes
// into results/<scenario>/shrink-seed<N>-<id8>/ (id: a digest of the inputs; or --out, with the
// rules of every results folder: only an absent or empty folder or a potsim result is replaced,
// unless --force):
//   manifest.json  the inputs (marks the folder as a potsim result);
//   state.json     the verdict of every candidate tested and the current best, written (atomically)
//                  after the first candidate, then about once a second: a shrink killed or out of
//                  budget continues from it when run again with the same inputs;
//   capsule.yaml   the capsule, with its replay line;
//   shrink.json    the outcome: invariant, sizes before and after, steps, 1-minimality per element;
//   timing.json    wall time (the only file that differs between two identical shrinks).
// Progress lines go to stderr. `shrinkToFolder` is the same without the printing, for programs (the
// gate's `--shrink`).

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { assertReplaceable, inspectOutput, resultsPath, stableJson, writeAtomically } from "../metrics/index.js";
import type { Violation } from "../check/index.js";
import type { ResolvedScenario } from "../scenario/index.js";
import { NothingToShrink, shrink, shrinkFingerprint, type ShrinkResult, targetViolation, type Verdict } from "../shrink/index.js";
import type { ReplicaModule } from "../sweep/task.js";
import type { ReplicaFactory } from "../world/pbft/index.js";
import { EXIT_OK, UsageError } from "./exit-codes.js";
import { RESULTS_ROOT } from "./run-command.js";
import { loadScenarioForCli } from "./scenario-io.js";
import { checkRunSize } from "./size-guard.js";
import { version } from "./version.js";
import { writeFileAtomically } from "./check-outputs.js";
import { displayPath, importReplicaClass, replicaFactoryOf } from "./replica-option.js";

/** Default wall-time budget (the example). */
export const DEFAULT_BUDGET = "10m";
/** Longest budget accepted: a week. */
const MAX_BUDGET_MS = 7 * 24 * 3600 * 1000;
/** The state file is rewritten at most this often (ms); a kill loses at most this much work. */
const STATE_INTERVAL_MS = 1000;

export interface ShrinkCommandOptions {
  seed: string;
  budget?: string;
  out?: string;
  invariant?: string;
  set: string[];
  force?: boolean;
  replica?: ReplicaModule;
}

/** "90s", "10m", "1.5h", "500ms", or seconds ("600") → milliseconds. */
export function parseBudget(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const scale: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const ms = m === null ? Number.NaN : Number(m[1]) * scale[m[2] ?? "s"]!;
  if (!(ms > 0 && ms <= MAX_BUDGET_MS)) throw new UsageError(`--budget: expected a duration such as 90s, 10m or 1h (at most a week), got ${JSON.stringify(text)}`);
  return ms;
}

export async function shrinkCommand(file: string, o: ShrinkCommandOptions): Promise<number> {
  const loaded = loadScenarioForCli(file, o.set, { seed: o.seed });
  const scenario = loaded.scenario;
  const seed = loaded.seed!;
  const budgetMs = parseBudget(o.budget ?? DEFAULT_BUDGET);
  checkRunSize(scenario, { label: file, force: o.force === true });
  const factory = o.replica === undefined ? undefined : await loadReplica(o.replica, scenario);
  const started = performance.now();
  const { dir, result } = await shrinkToFolder(scenario, {
    file,
    seed,
    budgetMs,
    out: o.out,
    invariant: o.invariant,
    force: o.force === true,
    replica: o.replica === undefined ? undefined : { module: o.replica, factory: factory! },
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  const a = result.before;
  const b = result.after;
  const change = (x: number | null, y: number | null) => `${x ?? "-"} -> ${y ?? "-"}`;
  const status = result.oneMinimal ? "1-minimal" : result.budgetLimited ? "budget-limited (run again to continue)" : "not shown 1-minimal";
  process.stdout.write(
    `shrunk ${file} seed ${seed}: ${result.invariant} kept; fault events and rules ${change(a.elements, b.elements)}, n ${change(a.n, b.n)}, clients ${change(a.clients, b.clients)}, requests ${change(a.requests, b.requests)}, until ${a.until} -> ${b.until} s; ${status}; ${result.tested} candidates, ${result.runs} runs, ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
      `capsule: ${join(dir, "capsule.yaml")}\nreplay: ${result.replay}\n`,
  );
  return EXIT_OK;
}

export interface ShrinkToFolderOptions {
  /** The scenario file as given (messages, the capsule's header). */
  file: string;
  seed: number;
  budgetMs: number;
  out?: string;
  invariant?: string;
  force?: boolean;
  /** A replica class to run instead of the correct one, and the module it came from (for the replay line). */
  replica?: { module: ReplicaModule; factory: ReplicaFactory };
  onProgress?: (line: string) => void;
}

interface StateFile {
  potsim: string;
  kind: "shrink-state";
  fingerprint: string;
  verdicts: Record<string, Verdict>;
  best: unknown;
}

/** Shrinks into a results folder (see the file header); throws UsageError when the seed does not violate. */
export async function shrinkToFolder(scenario: ResolvedScenario, o: ShrinkToFolderOptions): Promise<{ dir: string; result: ShrinkResult }> {
  const replicaLabel = o.replica ? `${displayPath(o.replica.module.module)}#${o.replica.module.export}` : undefined;
  const fingerprint = shrinkFingerprint(scenario, o.seed, { invariant: o.invariant, replicaLabel });
  const dir = o.out ?? resultsPath(RESULTS_ROOT, scenario.name, `shrink-seed${o.seed}-${fingerprint.slice(0, 8)}`);
  assertReplaceable(dir, { force: o.force });
  // A seed that does not violate is refused before anything is written.
  let target: Violation;
  try {
    target = targetViolation(scenario, o.seed, { invariant: o.invariant, replicaFactory: o.replica?.factory, sourceLabel: o.file });
  } catch (e) {
    if (e instanceof NothingToShrink) throw new UsageError(e.message);
    throw e;
  }
  const cache = await openFolder(dir, fingerprint, scenario, o);
  const capsulePath = join(dir, "capsule.yaml");
  const replay = o.replica
    ? `npx sim check ${capsulePath} --seeds ${o.seed} --replica ${replicaLabel} --workers 1`
    : `npx sim run ${capsulePath} --seed ${o.seed}`;
  // The first verdict is saved at once (a kill soon after the start loses nothing), then about once a second.
  let lastSave = Number.NEGATIVE_INFINITY;
  const save = (best: unknown) => writeFileAtomically(join(dir, "state.json"), [stableJson(stateOf(fingerprint, cache, best))]);
  const started = performance.now();
  let result: ShrinkResult;
  try {
    result = shrink(scenario, o.seed, {
      invariant: o.invariant,
      target,
      replicaFactory: o.replica?.factory,
      replicaLabel,
      budget: { wallMs: o.budgetMs, clock: () => performance.now() },
      cache,
      onVerdict: (_key, _v, best) => {
        const now = performance.now();
        if (now - lastSave < STATE_INTERVAL_MS) return;
        lastSave = now;
        save(best);
      },
      onProgress: o.onProgress,
      sourceLabel: o.file,
      capsulePath,
      replay,
      tool: `potsim ${version}`,
    });
  } catch (e) {
    if (e instanceof NothingToShrink) throw new UsageError(e.message);
    throw e;
  }
  save(result.capsule);
  writeFileAtomically(capsulePath, [result.yaml]);
  writeFileAtomically(join(dir, "shrink.json"), [stableJson(outcomeOf(o, result))]);
  writeFileAtomically(join(dir, "timing.json"), [stableJson({ wallSeconds: Number(((performance.now() - started) / 1000).toFixed(3)), runs: result.runs, cached: result.cached })]);
  return { dir, result };
}

/** The verdicts of a previous shrink of the same inputs in `dir`, or a fresh folder holding only the manifest. */
async function openFolder(dir: string, fingerprint: string, scenario: ResolvedScenario, o: ShrinkToFolderOptions): Promise<Map<string, Verdict>> {
  assertReplaceable(dir, { force: o.force });
  const found = inspectOutput(dir);
  if (found.kind === "potsim" && found.manifest.command === "shrink" && found.manifest.fingerprint === fingerprint) {
    const state = readState(join(dir, "state.json"), fingerprint);
    if (state !== null) {
      o.onProgress?.(`shrink: resuming from ${join(dir, "state.json")} (${Object.keys(state.verdicts).length} candidates tested)`);
      return new Map(Object.entries(state.verdicts));
    }
  }
  const manifest = { potsim: version, command: "shrink", fingerprint, file: o.file, seed: o.seed, invariant: o.invariant ?? null, replica: o.replica ? `${o.replica.module.export}` : null, scenario };
  await writeAtomically(dir, (put) => put("manifest.json", stableJson(manifest)), { force: o.force });
  return new Map();
}

function readState(path: string, fingerprint: string): StateFile | null {
  try {
    if (!statSync(path).isFile()) return null;
    const s = JSON.parse(readFileSync(path, "utf8")) as StateFile;
    if (s?.kind !== "shrink-state" || s.fingerprint !== fingerprint || typeof s.verdicts !== "object" || s.verdicts === null) return null;
    for (const v of Object.values(s.verdicts)) if ((v?.v !== 0 && v?.v !== 1) || (v.t !== null && typeof v.t !== "number")) return null;
    return s;
  } catch {
    return null;
  }
}

function stateOf(fingerprint: string, cache: Map<string, Verdict>, best: unknown): StateFile {
  return { potsim: version, kind: "shrink-state", fingerprint, verdicts: Object.fromEntries(cache), best };
}

function outcomeOf(o: ShrinkToFolderOptions, r: ShrinkResult): Record<string, unknown> {
  return {
    file: o.file,
    seed: r.seed,
    invariant: r.invariant,
    violation: r.violation,
    replay: r.replay,
    oneMinimal: r.oneMinimal,
    budgetLimited: r.budgetLimited,
    drawFree: r.drawFree,
    before: r.before,
    after: r.after,
    minimality: r.minimality,
    steps: r.steps,
    tested: r.tested,
  };
}

/** The replica class of `--replica <module.js>#<Export>` (checked: a class extending the PBFT Replica; pbft worlds only). */
export async function loadReplica(r: ReplicaModule, scenario: ResolvedScenario): Promise<ReplicaFactory> {
  if (scenario.model !== "pbft") throw new UsageError(`--replica: the scenario has model ${scenario.model}; only pbft worlds build replicas this way`);
  return replicaFactoryOf(await importReplicaClass(r));
}

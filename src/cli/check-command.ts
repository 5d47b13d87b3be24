// `sim check`: many seeds of safety scenarios as a regression gate. Each failing seed prints one
// line with the exact command that replays it; any violation (or, with --check-determinism, a
// trace hash that differs between two runs of the same seed), or a path named by
// --require-coverage that no seed reached, makes the exit code 1. Every run counts the protocol
// paths it reached (coverage/); the table is printed, and written to --out DIR/coverage.csv and the
// JUnit file's properties (--junit FILE). Under GitHub Actions (GITHUB_ACTIONS=true) failures are
// also `::error` annotations on the scenario file and the job summary gets a Markdown report.
// Progress goes to stderr (check-progress.ts).
// `runCheck` is the same run without the printing, for programs.
// `--replica <module.js>#<Export>` runs every PBFT replica as that class (a compiled ES module's
// export extending Replica) instead of the correct one: how the checker's self-tests run
// deliberately broken replicas (test/protocols/pbft/mutants.ts) through this very command. A replay
// line then names `sim check` with the same option (`sim run` always builds correct replicas).

import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import {
  coverageTable,
  coverageText,
  type FailureStatus,
  type GateCase,
  type GateFailure,
  type GateReport,
  type GateSuite,
  githubAnnotations,
  githubStepSummary,
  junitChunks,
  missingCoverage,
  replayCommand,
} from "../ci/index.js";
import { COVERAGE_PATHS, isCoveragePath, pathsOf, tallyCoverage } from "../coverage/index.js";
import type { ResolvedScenario } from "../scenario/index.js";
import { inlineRunner, piscinaRunner, type TaskRunner } from "../sweep/pool.js";
import type { ReplicaModule, TaskPayload, TaskResult } from "../sweep/task.js";
import type { RunnableScenario } from "../world/models.js";
import { CheckProgress } from "./check-progress.js";
import { displayPath, importReplicaClass } from "./replica-option.js";
import {
  appendStepSummary,
  assertCheckFolder,
  assertJunitTarget,
  assertStepSummary,
  writeCheckFolder,
  writeFileAtomically,
} from "./check-outputs.js";
import { EXIT_OK, EXIT_VIOLATION, UsageError } from "./exit-codes.js";
import { respawnWithSingleThreadedGc, shouldRespawn } from "./gc-respawn.js";
import { loadScenarioForCli } from "./scenario-io.js";
import { checkRunSize } from "./size-guard.js";
import { version } from "./version.js";

export interface CheckOptions {
  seeds: number[];
  checkDeterminism: boolean;
  workers?: number;
  set: string[];
  /** Run again in a child with single-threaded GC when starting worker threads (the CLI; see gc-respawn). */
  respawn?: boolean;
  /** Skip the estimated-size guard; replace a --junit file or --out folder that is not a check's. */
  force?: boolean;
  /** Replicas of this class instead of the correct one (`--replica`; the checker's self-tests). */
  replica?: ReplicaModule;
  /** Stop starting seeds once one fails (hunting a mutant: the first failing seed is the answer). */
  stopAtFirstFailure?: boolean;
  /** Progress on stderr (default true). */
  progress?: boolean;
  /** Paths that at least one seed must reach (--require-coverage). */
  requireCoverage?: string[];
  /** JUnit XML file (--junit). */
  junit?: string;
  /** Check folder: manifest.json, coverage.csv (--out). */
  out?: string;
  /** The environment GitHub Actions outputs are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Shrink the first MAX_SHRINKS violating seeds into capsules under this folder (--shrink DIR). */
  shrink?: string;
  /** Wall-time budget per shrink in ms (--shrink-budget; default DEFAULT_SHRINK_BUDGET_MS). */
  shrinkBudgetMs?: number;
}

/** Violating seeds `--shrink` cuts down at most: a gate reports a few capsules, not hundreds. */
export const MAX_SHRINKS = 3;
/** Default wall time of each of them (`--shrink-budget`). */
export const DEFAULT_SHRINK_BUDGET_MS = 120_000;

/** One failing seed of a check (the fields every CI output shows). */
export type CheckFailure = GateFailure;

export interface CheckOutcome {
  /** Runs that finished (fewer than planned when stopped at the first failure). */
  readonly runs: number;
  readonly failures: CheckFailure[];
  /** Everything the CI outputs show: suites per file, cases per finished seed, coverage, required paths. */
  readonly report: GateReport;
}

/** Most seeds one check runs. */
export const MAX_SEEDS = 1_000_000;

/** Parses "1..200", "5", or "1,4,9..12" into a sorted list of distinct seeds (each a valid scenario seed). */
export function parseSeeds(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--seeds: expected N, A..B or a comma list, got ${JSON.stringify(text)}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
      throw new UsageError(`--seeds: seeds must be integers from 0 to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(part.trim())}`);
    }
    if (b < a) throw new UsageError(`--seeds: range ${a}..${b} is empty`);
    if (b - a >= MAX_SEEDS || out.size + (b - a + 1) > MAX_SEEDS) throw new UsageError(`--seeds: more than ${MAX_SEEDS} seeds`);
    for (let s = a; s <= b; s++) out.add(s);
  }
  return [...out].sort((x, y) => x - y);
}

/** Parses `--replica <module.js>#<Export>` (the module path relative to `cwd`); the file must exist. */
export function parseReplicaOption(text: string, cwd = process.cwd()): ReplicaModule {
  const hash = text.lastIndexOf("#");
  const file = hash < 0 ? "" : text.slice(0, hash);
  const name = hash < 0 ? "" : text.slice(hash + 1);
  if (file === "" || !/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new UsageError(`--replica: expected <module.js>#<ExportName>, got ${JSON.stringify(text)}`);
  }
  const module = resolve(cwd, file);
  if (!existsSync(module) || !statSync(module).isFile()) throw new UsageError(`--replica: ${file}: no such file`);
  return { module, export: name };
}

/** Imports the module once here, so a wrong name is a usage error (exit 2) and not one failing run per seed. */
async function checkReplicaModule(r: ReplicaModule, scenarios: readonly RunnableScenario[], files: readonly string[]): Promise<void> {
  await importReplicaClass(r);
  scenarios.forEach((s, i) => {
    if (s.model !== "pbft") throw new UsageError(`--replica: ${files[i]} has model ${s.model}; only pbft worlds build replicas this way`);
  });
}

/** Parses --require-coverage's comma list into known path names (a UsageError names an unknown one and lists the known). */
export function parseRequiredPaths(text: string): string[] {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw new UsageError("--require-coverage: expected a comma list of path names");
  const unknown = names.filter((n) => !isCoveragePath(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `--require-coverage: unknown path${unknown.length === 1 ? "" : "s"} ${unknown.map((u) => JSON.stringify(u.length > 60 ? `${u.slice(0, 57)}...` : u)).join(", ")}; known paths: ${COVERAGE_PATHS.map((p) => p.name).join(", ")}`,
    );
  }
  return [...new Set(names)];
}

export async function checkCommand(files: string[], o: CheckOptions): Promise<number> {
  const env = o.env ?? process.env;
  const github = env.GITHUB_ACTIONS === "true";
  const summaryPath = github && env.GITHUB_STEP_SUMMARY ? env.GITHUB_STEP_SUMMARY : undefined;
  // Every output place is checked before the first seed runs: a bad one is exit 2 with nothing written.
  if (o.junit !== undefined) assertJunitTarget(o.junit, o.force === true);
  if (o.out !== undefined) assertCheckFolder(o.out, o.force === true);
  if (o.shrink !== undefined) assertCheckFolder(o.shrink, o.force === true);
  if (summaryPath !== undefined) assertStepSummary(summaryPath);

  const checked = await runCheck(files, o);
  if (typeof checked === "number") return checked;
  const outcome = o.shrink === undefined ? checked : await shrinkFailures(checked, o.shrink, o);
  const { report } = outcome;
  const missing = missingCoverage(report);
  for (const f of outcome.failures) {
    process.stdout.write(`FAIL ${f.file} seed ${f.seed}: ${f.status}: ${f.error}\n  replay: ${f.replay}\n`);
    for (const a of f.attachments) process.stdout.write(`  shrunk: ${a}\n`);
  }
  for (const m of missing) {
    const why = m.seedsApplicable === 0 ? "no scenario of this check can reach it" : `reached by none of ${m.seedsApplicable} seeds`;
    process.stdout.write(`FAIL coverage: required path ${m.path} ${why} (--require-coverage)\n`);
  }
  if (github) {
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const repoPath = (file: string) => {
      const rel = relative(workspace, resolve(file));
      return rel.startsWith("..") || isAbsolute(rel) ? file : rel.replaceAll("\\", "/");
    };
    for (const line of githubAnnotations(report, repoPath)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(coverageText(report));
  const copies = o.checkDeterminism ? 2 : 1;
  const runs = files.length * o.seeds.length;
  process.stdout.write(
    `checked ${runs} run${runs === 1 ? "" : "s"} (${files.length} scenario${files.length === 1 ? "" : "s"} × ${o.seeds.length} seed${o.seeds.length === 1 ? "" : "s"}${copies === 2 ? ", each twice" : ""}): ${outcome.failures.length} failing${missing.length > 0 ? `, ${missing.length} required path${missing.length === 1 ? "" : "s"} not reached` : ""}\n`,
  );

  if (o.junit !== undefined) writeFileAtomically(o.junit, junitChunks(report));
  if (o.out !== undefined) {
    const manifest = {
      potsim: version,
      command: "check",
      files,
      seeds: o.seeds.length,
      firstSeed: o.seeds[0] ?? null,
      lastSeed: o.seeds[o.seeds.length - 1] ?? null,
      set: o.set,
      checkDeterminism: o.checkDeterminism,
      requireCoverage: o.requireCoverage ?? [],
      failures: outcome.failures.length,
    };
    await writeCheckFolder(o.out, manifest, [coverageTable(report)], o.force === true);
  }
  if (summaryPath !== undefined) appendStepSummary(summaryPath, githubStepSummary(report));
  return outcome.failures.length > 0 || missing.length > 0 ? EXIT_VIOLATION : EXIT_OK;
}

/**
 * `--shrink DIR`: the first MAX_SHRINKS violating seeds, each shrunk (src/shrink, within its wall-time
 * budget) into DIR/<scenario>-seed<N>/ and its capsule attached to the failure (JUnit
 * [[ATTACHMENT|…]], the job summary, stdout). DIR gets a manifest.json, so a later check may replace
 * it. A shrink that cannot keep the violation (it is not reproducible alone: a nondeterministic seed)
 * attaches nothing and says why on stderr.
 */
async function shrinkFailures(outcome: CheckOutcome, dir: string, o: CheckOptions): Promise<CheckOutcome> {
  const { loadReplica, shrinkToFolder } = await import("./shrink-command.js");
  const attached = new Map<CheckFailure, string>();
  const targets = outcome.failures.filter((f) => f.status === "violation" && f.invariant !== null).slice(0, MAX_SHRINKS);
  await writeCheckFolder(dir, { potsim: version, command: "check --shrink", files: [...new Set(targets.map((f) => f.file))], seeds: targets.map((f) => f.seed) }, [], o.force === true);
  for (const f of targets) {
    const loaded = loadScenarioForCli(f.file, o.set, { seed: String(f.seed) });
    const factory = o.replica === undefined ? undefined : await loadReplica(o.replica, loaded.scenario);
    const out = join(dir, `${loaded.scenario.name}-seed${f.seed}`);
    try {
      const { result } = await shrinkToFolder(loaded.scenario, {
        file: f.file,
        seed: f.seed,
        budgetMs: o.shrinkBudgetMs ?? DEFAULT_SHRINK_BUDGET_MS,
        out,
        invariant: f.invariant!,
        force: true,
        replica: o.replica === undefined ? undefined : { module: o.replica, factory: factory! },
        onProgress: (line) => process.stderr.write(`shrink ${f.file} seed ${f.seed}: ${line}\n`),
      });
      attached.set(f, join(out, "capsule.yaml"));
      process.stderr.write(`shrink ${f.file} seed ${f.seed}: ${result.invariant} in ${result.after.elements ?? 0} fault events or rules${result.oneMinimal ? " (1-minimal)" : ""}\n`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`shrink ${f.file} seed ${f.seed}: not shrunk: ${e.message}\n`);
    }
  }
  const withCapsule = (f: CheckFailure): CheckFailure => {
    const a = attached.get(f);
    return a === undefined ? f : { ...f, attachments: [...f.attachments, a] };
  };
  const suites = outcome.report.suites.map((s) => ({ ...s, cases: s.cases.map((c) => (c.failure === null ? c : { ...c, failure: withCapsule(c.failure) })) }));
  return { runs: outcome.runs, failures: outcome.failures.map(withCapsule), report: { ...outcome.report, suites } };
}

/** Runs every seed of every file (in file, then seed order); a number when the process re-ran itself (its exit code). */
export async function runCheck(files: string[], o: CheckOptions): Promise<CheckOutcome | number> {
  const required = o.requireCoverage ?? [];
  for (const r of required) if (!isCoveragePath(r)) throw new UsageError(`--require-coverage: unknown path ${JSON.stringify(r)}`);
  const scenarios: RunnableScenario[] = files.map((f) => loadScenarioForCli(f, o.set).scenario);
  if (o.replica !== undefined) await checkReplicaModule(o.replica, scenarios, files);
  const tasks: TaskPayload[] = [];
  const copies = o.checkDeterminism ? 2 : 1;
  scenarios.forEach((scenario, si) => {
    for (const seed of o.seeds) {
      for (let k = 0; k < copies; k++) {
        const t: TaskPayload = { index: tasks.length, point: si, replicate: k, seed, scenario, stopOnViolation: true, check: true };
        if (o.replica !== undefined) t.replica = o.replica;
        tasks.push(t);
      }
    }
  });
  const workers = o.workers ?? Math.min(availableParallelism(), tasks.length);
  scenarios.forEach((s, i) => {
    const runs = o.seeds.length * copies;
    checkRunSize(s as ResolvedScenario, { label: files[i]!, force: o.force, concurrent: Math.max(1, workers), tasks: runs });
  });
  if (o.respawn && shouldRespawn(workers)) return respawnWithSingleThreadedGc();
  const runner: TaskRunner = workers <= 1 ? inlineRunner() : piscinaRunner(workers);
  const progress = o.progress === false ? null : new CheckProgress("check");
  const results: Array<TaskResult | undefined> = new Array(tasks.length);
  let done = 0;
  let failing = 0;
  try {
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, runner.concurrency) }, async () => {
      while (next < tasks.length && !(failing > 0 && o.stopAtFirstFailure)) {
        const t = tasks[next++]!;
        const r = await runner.run(t);
        results[t.index] = r;
        if (r.status !== "ok") failing++;
        progress?.update(++done, tasks.length, failing);
      }
    });
    await Promise.all(lanes);
  } finally {
    await runner.close();
    progress?.finish();
  }
  return checkOutcome(files, scenarios, tasks, results, copies, o);
}

function checkOutcome(
  files: string[],
  scenarios: RunnableScenario[],
  tasks: TaskPayload[],
  results: Array<TaskResult | undefined>,
  copies: number,
  o: CheckOptions,
): CheckOutcome {
  const cases: GateCase[][] = scenarios.map(() => []);
  const failures: CheckFailure[] = [];
  let runs = 0;
  for (let i = 0; i < tasks.length; i += copies) {
    const t = tasks[i]!;
    const r = results[i];
    if (r === undefined || (copies === 2 && results[i + 1] === undefined)) continue;
    runs++;
    const file = files[t.point]!;
    const replay = replayCommand(file, t.seed, o.set, o.replica && { module: displayPath(o.replica.module), export: o.replica.export });
    let failure: GateFailure | null = null;
    if (r.status !== "ok") failure = failureOf(file, t.seed, r.status, r, replay);
    else if (copies === 2 && results[i + 1]!.traceHash !== r.traceHash) {
      failure = failureOf(file, t.seed, "nondeterministic", { ...r, error: `trace ${r.traceHash} then ${results[i + 1]!.traceHash}` }, replay);
    }
    if (failure !== null) failures.push(failure);
    const wallSec = (r.check?.wallSec ?? 0) + (copies === 2 ? (results[i + 1]!.check?.wallSec ?? 0) : 0);
    cases[t.point]!.push({ seed: t.seed, failure, coverage: r.check?.coverage ?? {}, wallSec });
  }
  const suites: GateSuite[] = scenarios.map((s, i) => ({
    file: files[i]!,
    name: s.name,
    model: s.model,
    cases: cases[i]!,
    coverage: tallyCoverage(s.model, cases[i]!.map((c) => c.coverage)),
  }));
  const requiredPaths = (o.requireCoverage ?? []).map((path) => {
    let seedsReached = 0;
    let seedsApplicable = 0;
    for (const s of suites) {
      if (!pathsOf(s.model).some((p) => p.name === path)) continue;
      seedsApplicable += s.cases.length;
      seedsReached += s.cases.filter((c) => (c.coverage[path] ?? 0) > 0).length;
    }
    return { path, seedsReached, seedsApplicable };
  });
  return { runs, failures, report: { suites, required: requiredPaths, checkDeterminism: copies === 2 } };
}

function failureOf(file: string, seed: number, status: FailureStatus | "ok", r: TaskResult, replay: string): GateFailure {
  const v = r.check?.violation ?? null;
  return {
    file,
    seed,
    status: status === "ok" ? "violation" : status,
    error: r.error,
    invariant: status === "violation" && v !== null ? v.invariant : null,
    detail: status === "violation" && v !== null ? v.detail : r.error,
    timeSec: status === "violation" && v !== null ? v.time : null,
    view: v?.view ?? null,
    seq: v?.seq ?? null,
    replicas: v?.replicas ?? null,
    replay,
    attachments: [],
  };
}

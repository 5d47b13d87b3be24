// `sim check`: many seeds of safety scenarios as a regression gate. Each failing seed prints one
// line with the exact command that replays it; any violation (or, with --check-determinism, a
// trace hash that differs between two runs of the same seed) makes the exit code 1.
// `runCheck` is the same run without the printing, for programs.
// `--replica <module.js>#<Export>` runs every PBFT replica as that class (a compiled ES module's
// export extending Replica) instead of the correct one: how the checker's self-tests run
// deliberately broken replicas (test/protocols/pbft/mutants.ts) through this very command. A replay
// line then names `sim check` with the same option (`sim run` always builds correct replicas).

import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Replica } from "../protocols/pbft/index.js";
import { inlineRunner, piscinaRunner, type TaskRunner } from "../sweep/pool.js";
import type { ReplicaModule, TaskPayload, TaskResult } from "../sweep/task.js";
import type { ResolvedScenario } from "../scenario/index.js";
import type { RunnableScenario } from "../world/models.js";
import { EXIT_OK, EXIT_VIOLATION, UsageError } from "./exit-codes.js";
import { respawnWithSingleThreadedGc, shouldRespawn } from "./gc-respawn.js";
import { Progress } from "./progress.js";
import { checkRunSize } from "./size-guard.js";
import { loadScenarioForCli } from "./scenario-io.js";

export interface CheckOptions {
  seeds: number[];
  checkDeterminism: boolean;
  workers?: number;
  set: string[];
  /** Run again in a child with single-threaded GC when starting worker threads (the CLI; see gc-respawn). */
  respawn?: boolean;
  /** Skip the estimated-size guard. */
  force?: boolean;
  /** Replicas of this class instead of the correct one (`--replica`; the checker's self-tests). */
  replica?: ReplicaModule;
  /** Stop starting seeds once one fails (hunting a mutant: the first failing seed is the answer). */
  stopAtFirstFailure?: boolean;
  /** Progress on stderr (default true). */
  progress?: boolean;
}

/** One failing seed of a check. */
export interface CheckFailure {
  readonly file: string;
  readonly seed: number;
  /** "violation", "error", "invalid" or "nondeterministic". */
  readonly status: string;
  /** The first violation (or the error), one line. */
  readonly error: string;
  readonly replay: string;
}

export interface CheckOutcome {
  /** Runs that finished (fewer than planned when stopped at the first failure). */
  readonly runs: number;
  readonly failures: CheckFailure[];
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
  const where = `--replica: ${displayPath(r.module)}`;
  let m: Record<string, unknown>;
  try {
    m = (await import(isAbsolute(r.module) ? pathToFileURL(r.module).href : r.module)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${where}: cannot be loaded as an ES module (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  const cls = m[r.export];
  if (typeof cls !== "function" || !(cls.prototype instanceof Replica)) {
    throw new UsageError(`${where} has no export ${r.export} extending the PBFT Replica`);
  }
  scenarios.forEach((s, i) => {
    if (s.model !== "pbft") throw new UsageError(`--replica: ${files[i]} has model ${s.model}; only pbft worlds build replicas this way`);
  });
}

function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
}

export async function checkCommand(files: string[], o: CheckOptions): Promise<number> {
  const outcome = await runCheck(files, o);
  if (typeof outcome === "number") return outcome;
  for (const f of outcome.failures) process.stdout.write(`FAIL ${f.file} seed ${f.seed}: ${f.status}: ${f.error}\n  replay: ${f.replay}\n`);
  const copies = o.checkDeterminism ? 2 : 1;
  const runs = files.length * o.seeds.length;
  process.stdout.write(
    `checked ${runs} run${runs === 1 ? "" : "s"} (${files.length} scenario${files.length === 1 ? "" : "s"} × ${o.seeds.length} seed${o.seeds.length === 1 ? "" : "s"}${copies === 2 ? ", each twice" : ""}): ${outcome.failures.length} failing\n`,
  );
  return outcome.failures.length > 0 ? EXIT_VIOLATION : EXIT_OK;
}

/** Runs every seed of every file (in file, then seed order); a number when the process re-ran itself (its exit code). */
export async function runCheck(files: string[], o: CheckOptions): Promise<CheckOutcome | number> {
  const scenarios: RunnableScenario[] = files.map((f) => loadScenarioForCli(f, o.set).scenario);
  if (o.replica !== undefined) await checkReplicaModule(o.replica, scenarios, files);
  const tasks: TaskPayload[] = [];
  const copies = o.checkDeterminism ? 2 : 1;
  scenarios.forEach((scenario, si) => {
    for (const seed of o.seeds) {
      for (let k = 0; k < copies; k++) {
        const t: TaskPayload = { index: tasks.length, point: si, replicate: k, seed, scenario, stopOnViolation: true };
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
  const progress = o.progress === false ? null : new Progress("check");
  const results: Array<TaskResult | undefined> = new Array(tasks.length);
  let done = 0;
  let failed = false;
  try {
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, runner.concurrency) }, async () => {
      while (next < tasks.length && !(failed && o.stopAtFirstFailure)) {
        const t = tasks[next++]!;
        const r = await runner.run(t);
        results[t.index] = r;
        if (r.status !== "ok") failed = true;
        progress?.update(++done, tasks.length, `${done}/${tasks.length}`);
      }
    });
    await Promise.all(lanes);
  } finally {
    await runner.close();
    progress?.done();
  }

  const failures: CheckFailure[] = [];
  let runs = 0;
  const sets = o.set.map((s) => ` --set ${JSON.stringify(s)}`).join("");
  for (let i = 0; i < tasks.length; i += copies) {
    const t = tasks[i]!;
    const r = results[i];
    if (r === undefined || (copies === 2 && results[i + 1] === undefined)) continue;
    runs++;
    const file = files[t.point]!;
    const replay =
      o.replica === undefined
        ? `sim run ${file} --seed ${t.seed}${sets}`
        : `sim check ${file} --seeds ${t.seed}${sets} --replica ${displayPath(o.replica.module)}#${o.replica.export} --workers 1`;
    if (r.status !== "ok") failures.push({ file, seed: t.seed, status: r.status, error: r.error, replay });
    else if (copies === 2 && results[i + 1]!.traceHash !== r.traceHash) {
      failures.push({ file, seed: t.seed, status: "nondeterministic", error: `trace ${r.traceHash} then ${results[i + 1]!.traceHash}`, replay });
    }
  }
  return { runs, failures };
}

// `sim check`: many seeds of safety scenarios as a regression gate. Each failing seed prints one
// line with the exact command that replays it; any violation (or, with --check-determinism, a
// trace hash that differs between two runs of the same seed) makes the exit code 1.

import { availableParallelism } from "node:os";
import { inlineRunner, piscinaRunner, type TaskRunner } from "../sweep/pool.js";
import type { TaskPayload, TaskResult } from "../sweep/task.js";
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

export async function checkCommand(files: string[], o: CheckOptions): Promise<number> {
  const scenarios: RunnableScenario[] = files.map((f) => loadScenarioForCli(f, o.set).scenario);
  const tasks: TaskPayload[] = [];
  const copies = o.checkDeterminism ? 2 : 1;
  scenarios.forEach((scenario, si) => {
    for (const seed of o.seeds) {
      for (let k = 0; k < copies; k++) {
        tasks.push({ index: tasks.length, point: si, replicate: k, seed, scenario, stopOnViolation: true });
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
  const progress = new Progress("check");
  const results: TaskResult[] = new Array(tasks.length);
  let done = 0;
  try {
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, runner.concurrency) }, async () => {
      while (next < tasks.length) {
        const t = tasks[next++]!;
        results[t.index] = await runner.run(t);
        progress.update(++done, tasks.length, `${done}/${tasks.length}`);
      }
    });
    await Promise.all(lanes);
  } finally {
    await runner.close();
    progress.done();
  }

  let failures = 0;
  const sets = o.set.map((s) => ` --set ${JSON.stringify(s)}`).join("");
  for (let i = 0; i < tasks.length; i += copies) {
    const t = tasks[i]!;
    const r = results[i]!;
    const file = files[t.point]!;
    const replay = `sim run ${file} --seed ${t.seed}${sets}`;
    if (r.status !== "ok") {
      failures++;
      process.stdout.write(`FAIL ${file} seed ${t.seed}: ${r.status}: ${r.error}\n  replay: ${replay}\n`);
      continue;
    }
    if (copies === 2 && results[i + 1]!.traceHash !== r.traceHash) {
      failures++;
      process.stdout.write(
        `FAIL ${file} seed ${t.seed}: nondeterministic: trace ${r.traceHash} then ${results[i + 1]!.traceHash}\n  replay: ${replay}\n`,
      );
    }
  }
  const runs = scenarios.length * o.seeds.length;
  process.stdout.write(
    `checked ${runs} run${runs === 1 ? "" : "s"} (${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"} × ${o.seeds.length} seed${o.seeds.length === 1 ? "" : "s"}${copies === 2 ? ", each twice" : ""}): ${failures} failing\n`,
  );
  return failures > 0 ? EXIT_VIOLATION : EXIT_OK;
}

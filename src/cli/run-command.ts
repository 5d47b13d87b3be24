// `sim run`: one seeded run of a scenario into results/<scenario>/<run-id>/.
// Before the run: its estimated size must fit the machine (size-guard.ts, --force to skip), and
// the output folder must be empty, absent or a previous potsim result (metrics/output-dir.ts,
// --force to replace anything else). The run id covers every input that changes the outputs (the
// resolved scenario with its --set values, the seed, --until), and a default path that already
// holds a result of other inputs is not replaced. During the run: progress on a terminal, and
// Ctrl-C stops it (exit 130) without writing anything.

import { createHash } from "node:crypto";
import { assertReplaceable, type ExistingOutput, OutputError, resultsPath, stableJson, writeRunFolder } from "../metrics/index.js";
import type { ResolvedScenario } from "../scenario/index.js";
import type { TraceOptions } from "../trace/index.js";
import type { RunnableScenario } from "../world/models.js";
import { type RunResult, runScenarioAsync } from "../world/run.js";
import type { RunWarning } from "../world/types.js";
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION } from "./exit-codes.js";
import { formatOutcome, replayCommand } from "./outcome.js";
import { Progress } from "./progress.js";
import { checkRunSize, longRunNotice } from "./size-guard.js";
import { version } from "./version.js";

/** Where `sim run` writes unless --out is given. */
export const RESULTS_ROOT = "results";

export interface RunCommandOptions {
  seed?: number;
  out?: string;
  until?: number;
  charts: boolean;
  quiet?: boolean;
  /** Run even when the estimate exceeds the machine; replace an output folder that is not a potsim result. */
  force?: boolean;
  /** The scenario file as given: for messages, and with --set the run's replay command (replay.txt, the outcome). */
  file?: string;
  /** The --set overrides as given, for the replay command. */
  sets?: readonly string[];
  /** Stops the run (the CLI aborts it on SIGINT); default: one made here and wired to SIGINT. */
  signal?: AbortSignal;
  /** Write trace.jsonl (and trace.html with the charts); checked by checkTraceOptions. */
  trace?: TraceOptions;
}

/**
 * Run folder name: the seed plus a digest of the resolved scenario, so different settings never
 * collide. `--until` (when it differs from the scenario's) is part of the digest; without it the
 * id is what it always was.
 */
export function runId(scenario: RunnableScenario, seed: number, until?: number): string {
  const h = createHash("sha256").update(stableJson(scenario));
  if (until !== undefined && until !== scenario.until) h.update(`--until=${until}\n`);
  return `seed${seed}-${h.digest("hex").slice(0, 8)}`;
}

export function manifestOf(scenario: RunnableScenario, result: RunResult): Record<string, unknown> {
  return {
    potsim: version,
    scenario,
    seed: result.seed,
    until: result.until,
    simTime: result.simTime,
    events: result.events,
    traceHash: result.traceHash,
  };
}

export function summaryOf(result: RunResult): Record<string, unknown> {
  return {
    ...result.summary,
    events: result.events,
    simTime: result.simTime,
    traceHash: result.traceHash,
    violations: result.violations,
  };
}

/** Whether a previous run's manifest records the same inputs (scenario, seed, until). */
function sameInputs(m: Record<string, unknown>, scenario: RunnableScenario, seed: number, until: number): boolean {
  return m.seed === seed && m.until === until && stableJson(m.scenario) === stableJson(scenario);
}

function checkOutput(dir: string, defaultPath: boolean, scenario: RunnableScenario, seed: number, until: number, force: boolean): ExistingOutput {
  const found = assertReplaceable(dir, { force });
  if (found.kind === "potsim" && !sameInputs(found.manifest, scenario, seed, until)) {
    if (defaultPath && !force) {
      throw new OutputError(
        `${dir} holds a result of other inputs (another scenario, seed or --until, e.g. from an older potsim); remove it, use --out, or pass --force to replace it`,
      );
    }
    if (!defaultPath) process.stderr.write(`note: replacing ${dir} (a result of other inputs)\n`);
  }
  return found;
}

export async function runCommand(scenario: ResolvedScenario, opts: RunCommandOptions): Promise<number> {
  const seed = opts.seed ?? scenario.seed;
  const until = opts.until ?? scenario.until;
  const label = opts.file ?? scenario.name;
  const force = opts.force === true;
  const est = checkRunSize(scenario, { until: opts.until, force, label });
  const dir = opts.out ?? resultsPath(RESULTS_ROOT, scenario.name, runId(scenario, seed, opts.until));
  checkOutput(dir, opts.out === undefined, scenario, seed, until, force);
  const notice = longRunNotice(label, scenario.model, est);
  if (notice !== undefined && !opts.quiet) process.stderr.write(`${notice}\n`);

  const progress = new Progress(`run ${scenario.name}`);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  if (opts.signal === undefined) process.on("SIGINT", onSigint);
  opts.signal?.addEventListener("abort", onSigint, { once: true });
  const wallStart = Date.now();
  const tracing = opts.trace ? new (await import("../trace/index.js")).TraceSession(scenario.name, seed, opts.trace) : undefined;
  let result: RunResult | undefined;
  try {
    result = await runScenarioAsync(scenario, {
      seed,
      until: opts.until,
      observer: tracing?.recorder,
      // One world in this process: the other core draws its traffic (same outputs).
      trafficThread: true,
      signal: abort.signal,
      onProgress: (t, u, events) => progress.update(t, u, `${events} events`),
    });
  } finally {
    progress.done();
    process.off("SIGINT", onSigint);
  }
  if (result === undefined) {
    process.stderr.write(`interrupted: ${label} stopped before the end; nothing was written\n`);
    return EXIT_INTERRUPTED;
  }
  const wall = (Date.now() - wallStart) / 1000;
  const traceStart = Date.now();
  const trace = tracing?.finish(result.simTime);
  const traceSeconds = (Date.now() - traceStart) / 1000;
  const replay = opts.file === undefined ? undefined : replayCommand(opts.file, opts.sets ?? [], seed, opts.until);
  const manifest = trace ? { ...manifestOf(scenario, result), trace: trace.manifest } : manifestOf(scenario, result);
  const summary = summaryOf(result);
  const extra = [
    ...(trace ? [{ path: trace.file.path, content: trace.file.content }] : []),
    ...(replay ? [{ path: "replay.txt", content: `${replay}\n` }] : []),
  ];
  await writeRunFolder(
    dir,
    {
      manifest,
      summary,
      tables: result.tables,
      extra: extra.length > 0 ? extra : undefined,
      finalize: opts.charts
        ? async (tmp) => {
            if (trace) (await import("../trace/index.js")).writeTraceHtml(tmp, trace.data);
            // Loaded only when charts are drawn: vega is a large share of the CLI's start-up time.
            const { renderRunReport } = await import("../report/index.js");
            await renderRunReport(tmp);
          }
        : undefined,
      timing: {
        wallSeconds: Number(wall.toFixed(3)),
        eventsPerSecond: wall > 0 ? Math.round(result.events / wall) : null,
        ...(trace ? { traceSeconds: Number(traceSeconds.toFixed(3)) } : {}),
        finishedAt: new Date().toISOString(),
      },
    },
    { force },
  );
  if (!opts.quiet) {
    const firstLine = `${scenario.name} seed=${seed} events=${result.events} sim_time=${result.simTime} trace=${result.traceHash} -> ${dir}`;
    process.stdout.write(formatOutcome({ firstLine, dir, summary, manifest, charts: opts.charts, traceFile: trace?.file.path, replay }));
  }
  if (trace?.warning) process.stderr.write(`${trace.warning}\n`);
  // A run that finished but never saw a declared actor act says so (summary.json `warnings`).
  const warnings = result.summary.warnings;
  if (Array.isArray(warnings)) for (const w of warnings as RunWarning[]) process.stderr.write(`warning ${w.code}: ${w.message}\n`);
  if (result.violations.length > 0) {
    for (const v of result.violations.slice(0, 20)) {
      const where = [v.view !== undefined ? `view ${v.view}` : "", v.seq !== undefined ? `seq ${v.seq}` : ""]
        .filter(Boolean)
        .join(" ");
      const reps = v.replicas ? ` replicas ${v.replicas.join(",")}` : "";
      process.stderr.write(`violation ${v.invariant} at t=${v.time} ${where}${reps}: ${v.detail} (seed ${seed})\n`);
    }
    return EXIT_VIOLATION;
  }
  return EXIT_OK;
}

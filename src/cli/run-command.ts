// `sim run`: one seeded run of a scenario into results/<scenario>/<run-id>/.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { stableJson, writeRunFolder } from "../metrics/index.js";
import type { TraceOptions } from "../trace/index.js";
import type { RunnableScenario } from "../world/models.js";
import { type RunResult, runScenario } from "../world/run.js";
import { EXIT_OK, EXIT_VIOLATION } from "./exit-codes.js";
import { Progress } from "./progress.js";
import { version } from "./version.js";

export interface RunCommandOptions {
  seed?: number;
  out?: string;
  until?: number;
  charts: boolean;
  quiet?: boolean;
  /** Write trace.jsonl (and trace.html with the charts); checked by checkTraceOptions. */
  trace?: TraceOptions;
}

/** Run folder name: the seed plus a digest of the resolved scenario, so different settings never collide. */
export function runId(scenario: RunnableScenario, seed: number): string {
  const digest = createHash("sha256").update(stableJson(scenario)).digest("hex").slice(0, 8);
  return `seed${seed}-${digest}`;
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

export async function runCommand(scenario: RunnableScenario, opts: RunCommandOptions): Promise<number> {
  const seed = opts.seed ?? scenario.seed;
  const progress = new Progress(`run ${scenario.name}`);
  const wallStart = Date.now();
  const tracing = opts.trace ? new (await import("../trace/index.js")).TraceSession(scenario.name, seed, opts.trace) : undefined;
  const result = runScenario(scenario, {
    seed,
    until: opts.until,
    observer: tracing?.recorder,
    // One world in this process: the other core draws its traffic (same outputs).
    trafficThread: true,
    onProgress: (t, until, events) => progress.update(t, until, `${events} events`),
  });
  progress.done();
  const wall = (Date.now() - wallStart) / 1000;
  const traceStart = Date.now();
  const trace = tracing?.finish(result.simTime);
  const traceSeconds = (Date.now() - traceStart) / 1000;
  const dir = opts.out ?? join("results", scenario.name, runId(scenario, seed));
  await writeRunFolder(dir, {
    manifest: trace ? { ...manifestOf(scenario, result), trace: trace.manifest } : manifestOf(scenario, result),
    summary: summaryOf(result),
    tables: result.tables,
    extra: trace ? [{ path: trace.file.path, content: trace.file.content }] : undefined,
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
  });
  if (!opts.quiet) {
    process.stdout.write(
      `${scenario.name} seed=${seed} events=${result.events} sim_time=${result.simTime} trace=${result.traceHash} -> ${dir}\n`,
    );
  }
  if (trace?.warning) process.stderr.write(`${trace.warning}\n`);
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

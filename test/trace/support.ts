// Traced runs for the trace tests: in-process through sim run's own writer, into temporary folders.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/cli/run-command.js";
import { checkTraceOptions } from "../../src/cli/trace-command.js";
import { loadScenario, parseScenarioText, type ResolvedScenario, resolveScenario } from "../../src/scenario/index.js";
import { parseJsonl, type RawTraceOptions, readTraceText, type TraceData, traceFileIn } from "../../src/trace/index.js";

export const repoRoot = join(import.meta.dirname, "..", "..");

const dirs: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "potsim-trace-"));
  dirs.push(d);
  return d;
}
export function cleanTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * A small PBFT world that exercises every message fate: random loss and duplication, a partition that
 * cuts the primary off (view change), a drop rule, a censoring replica (Byzantine input filter), and
 * a crash with recovery from the persisted log (state transfer).
 */
export const RICH_PBFT = `
name: trace-rich
model: pbft
seed: 3
until: 40
network:
  latency: { model: uniform, min: 0.005, max: 0.03 }
  loss: 0.02
  duplicate: 0.03
  partitions:
    - { at: 4, heal: 8, groups: [[0], [1, 2, 3, 4, 5]] }
  rules:
    - { action: drop, kind: commit, from: 2, to: 3, start: 1, end: 3 }
pbft:
  n: 4
  checkpointInterval: 5
  requestTimeout: 1.0
  clients: { count: 2, requests: 40 }
  faults:
    - { type: censor, replica: 1, clients: [0], at: 0, until: 10 }
    - { type: crash, replica: 3, at: 10.5 } # clients still send until ~11 s: messages meet the down replica
    - { type: recover, replica: 3, at: 18, state: kept }
check:
  livenessBound: 30
`;

export function scenarioFile(file: string, sets: string[] = []): ResolvedScenario {
  return loadScenario(join(repoRoot, "scenarios", file), { overrides: sets });
}

export function scenarioText(yaml: string): ResolvedScenario {
  return resolveScenario(parseScenarioText(yaml, "trace-test.yaml"));
}

export interface TracedRun {
  dir: string;
  code: number;
  text: string;
  data: TraceData;
  stderr: string;
}

/** sim run --trace… in-process (stderr captured), optionally with charts (report.html, trace.html). */
export async function tracedRun(
  scenario: ResolvedScenario,
  raw: RawTraceOptions = {},
  opts: { charts?: boolean; until?: number; out?: string } = {},
): Promise<TracedRun> {
  const dir = opts.out ?? join(tempDir(), "run");
  const trace = checkTraceOptions(scenario, raw);
  let stderr = "";
  const saved = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await runCommand(scenario, { out: dir, until: opts.until, charts: opts.charts ?? false, quiet: true, trace });
  } finally {
    process.stderr.write = saved;
  }
  const file = traceFileIn(dir);
  if (file === undefined) throw new Error(`no trace in ${dir}`);
  const text = readTraceText(file);
  return { dir, code, text, data: parseJsonl(text, file), stderr };
}

/** An untraced sim run of the same scenario (for comparisons). */
export async function plainRun(scenario: ResolvedScenario, opts: { until?: number } = {}): Promise<string> {
  const dir = join(tempDir(), "plain");
  const saved = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await runCommand(scenario, { out: dir, until: opts.until, charts: false, quiet: true });
  } finally {
    process.stderr.write = saved;
  }
  return dir;
}

export function lines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function csvRows(dir: string, file: string): Array<Record<string, string>> {
  const [head, ...rest] = readFileSync(join(dir, file), "utf8").trimEnd().split("\n");
  const cols = head!.split(",");
  return rest.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i]!, v])));
}

// `sim run --trace…` option checks and `sim trace export`: a run folder's trace.jsonl(.gz) to Chrome
// Trace Event JSON (Perfetto, chrome://tracing) or a ShiViz log, written atomically next to it.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  perfettoJson,
  type RawTraceOptions,
  readTrace,
  SHIVIZ_REGEX,
  ShivizLimitError,
  shivizLog,
  TraceFormatError,
  TraceOptionError,
  type TraceOptions,
  parseTraceOptions,
} from "../trace/index.js";
import { describeWorld, type RunnableScenario } from "../world/models.js";
import { assertFileTarget, writeFileAtomically } from "./check-outputs.js";
import { EXIT_OK, UsageError } from "./exit-codes.js";

/** The checked trace options of `sim run`, or a UsageError (exit 2) naming the bad option. */
export function checkTraceOptions(scenario: RunnableScenario, raw: RawTraceOptions): TraceOptions {
  const world = describeWorld(scenario);
  if (world === null) throw new UsageError(`--trace: scenario ${scenario.name} (model ${scenario.model}) has no network messages to trace; tracing needs model pbft or pot`);
  try {
    return parseTraceOptions(raw, world);
  } catch (e) {
    if (e instanceof TraceOptionError) throw new UsageError(e.message);
    throw e;
  }
}

export interface TraceExportOptions {
  format: "perfetto" | "shiviz";
  out?: string;
  force: boolean;
}

/** A file `sim trace export` wrote: the only kind it replaces without --force. */
export function isTraceExport(head: string): boolean {
  return /^\{"displayTimeUnit":"[a-z]+","otherData":\{"source":"potsim trace"/.test(head) || head.startsWith(`${SHIVIZ_REGEX}\n`);
}

export function traceExportCommand(dir: string, o: TraceExportOptions): number {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such run folder`);
  if (o.out !== undefined) assertFileTarget(o.out, { option: "--out", force: o.force, ours: isTraceExport, writer: "sim trace export" });
  let data: ReturnType<typeof readTrace>;
  try {
    data = readTrace(dir);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new UsageError(e.message);
    throw e;
  }
  if (data === undefined) throw new UsageError(`${dir}: no trace.jsonl or trace.jsonl.gz (run the scenario with --trace)`);
  let text: string;
  if (o.format === "perfetto") text = perfettoJson(data);
  else {
    try {
      text = shivizLog(data, { force: o.force });
    } catch (e) {
      if (e instanceof ShivizLimitError) throw new UsageError(e.message);
      throw e;
    }
  }
  const out = o.out ?? join(dir, o.format === "perfetto" ? "trace.perfetto.json" : "trace.shiviz.log");
  // Written beside its final name, then renamed: a killed export never leaves half a file.
  writeFileAtomically(out, [text]);
  process.stdout.write(`${o.format}: ${out}\n`);
  return EXIT_OK;
}

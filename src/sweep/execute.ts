// sweep/execute: runs one task — one world — and reports it as a TaskResult. Never throws: a
// run that throws is status "error" (message only, no stack, so results do not depend on where
// the code was loaded from); a run with invariant violations is status "violation".
// Used inline (workers ≤ 1) and by the Piscina worker entry.
// May import: scenario, world, metrics, report, kernel.

import { runScenario } from "../world/run.js";
import type { RunWarning } from "../world/types.js";
import { flattenSummary } from "./flatten.js";
import type { TaskPayload, TaskResult } from "./task.js";

export function executeTask(task: TaskPayload): TaskResult {
  const ref = { index: task.index, point: task.point, replicate: task.replicate, seed: task.seed };
  try {
    const r = runScenario(task.scenario, { seed: task.seed, stopOnViolation: task.stopOnViolation });
    const v = r.violations;
    const first = v[0];
    const error =
      first === undefined
        ? ""
        : `${v.length} violation${v.length === 1 ? "" : "s"}; first: ${first.invariant} at t=${first.time}: ${first.detail}`;
    return {
      ...ref,
      status: v.length === 0 ? "ok" : "violation",
      error,
      warnings: warningCodes(r.summary.warnings),
      traceHash: r.traceHash,
      events: r.events,
      metrics: flattenSummary({ ...r.summary, simTime: r.simTime }),
    };
  } catch (e) {
    return {
      ...ref,
      status: "error",
      error: oneLine(e instanceof Error ? e.message : String(e)),
      warnings: [],
      traceHash: null,
      events: null,
      metrics: {},
    };
  }
}

/** Distinct warning codes of a summary's `warnings` list, in order. */
function warningCodes(warnings: unknown): string[] {
  return Array.isArray(warnings) ? [...new Set((warnings as RunWarning[]).map((w) => w.code))] : [];
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " | ");
}

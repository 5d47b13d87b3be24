// sweep/execute: runs one task — one world — and reports it as a TaskResult. Never throws: a
// run that throws is status "error" (message only, no stack, so results do not depend on where
// the code was loaded from); a run with invariant violations is status "violation".
// Used inline (workers ≤ 1) and by the Piscina worker entry.
// May import: scenario, world, metrics, report, kernel, coverage.

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { ReplicaFactory } from "../world/pbft/index.js";
import { runScenario } from "../world/run.js";
import type { RunWarning } from "../world/types.js";
import { CoverageCounter, pathsOf } from "../coverage/index.js";
import { flattenSummary } from "./flatten.js";
import type { CheckDetails, ReplicaModule, TaskPayload, TaskResult } from "./task.js";

export function executeTask(task: TaskPayload, replicaFactory?: ReplicaFactory): TaskResult {
  const ref = { index: task.index, point: task.point, replicate: task.replicate, seed: task.seed };
  const started = performance.now();
  // Check tasks count coverage paths: an observer only watches, so the run is the same run.
  const counter = task.check && pathsOf(task.scenario.model).length > 0 ? new CoverageCounter() : undefined;
  const details = (violation: CheckDetails["violation"]): { check?: CheckDetails } =>
    task.check ? { check: { coverage: counter?.result() ?? {}, violation, wallSec: (performance.now() - started) / 1000 } } : {};
  try {
    const r = runScenario(task.scenario, { seed: task.seed, stopOnViolation: task.stopOnViolation, replicaFactory, observer: counter });
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
      ...details(first === undefined ? null : { ...first, ...(first.replicas ? { replicas: [...first.replicas] } : {}) }),
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
      ...details(null),
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

/** Loaded replica classes, per module and export (one load per thread). */
const factories = new Map<string, Promise<ReplicaFactory>>();

function loadFactory(r: ReplicaModule): Promise<ReplicaFactory> {
  const key = `${r.module}#${r.export}`;
  let f = factories.get(key);
  if (f === undefined) {
    const url = isAbsolute(r.module) ? pathToFileURL(r.module).href : r.module;
    f = import(url).then((m: Record<string, unknown>) => {
      const Cls = m[r.export] as (new (...args: Parameters<ReplicaFactory>) => ReturnType<ReplicaFactory>) | undefined;
      if (typeof Cls !== "function") throw new Error(`${r.module} has no export ${r.export}`);
      return (id, config, app, digests) => new Cls(id, config, app, digests);
    });
    factories.set(key, f);
  }
  return f;
}

/** executeTask, building the task's replica class first when it names one (TaskPayload.replica). */
export async function executeTaskLoading(task: TaskPayload): Promise<TaskResult> {
  if (task.replica === undefined) return executeTask(task);
  let factory: ReplicaFactory;
  try {
    factory = await loadFactory(task.replica);
  } catch (e) {
    const ref = { index: task.index, point: task.point, replicate: task.replicate, seed: task.seed };
    return { ...ref, status: "error", error: oneLine(e instanceof Error ? e.message : String(e)), warnings: [], traceHash: null, events: null, metrics: {} };
  }
  return executeTask(task, factory);
}

// The "estimated size" guard: before a run starts, its estimated peak memory (scenario/estimate.ts)
// is compared with what this machine can hold — the smaller of V8's heap limit (JavaScript objects
// beyond it end the process) and 75% of physical memory, or POTSIM_MEMORY_LIMIT (e.g. `800M`,
// `4G`; for CI machines and tests that must stay small). A run over it stops before it starts, with
// the estimate and the keys that drive it, unless --force. A run estimated to need more than
// MAX_EVENTS kernel events (about a week of computing), or POTSIM_MAX_EVENTS when set (a CI job's
// or test's own budget), is refused the same way. Sweeps and checks add up their tasks: the worlds
// running at once for memory, every task's events, and the results kept until the end. A run
// estimated to take more than a minute says so up front (progress is drawn on a terminal; Ctrl-C
// stops it cleanly).
// May import: scenario, node built-ins, ./exit-codes.js.

import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { estimatedSeconds, estimateRunSize, type ResolvedScenario, type SizeEstimate } from "../scenario/index.js";
import { UsageError } from "./exit-codes.js";

/** About a week at this simulator's event rates (10^5 to 10^6 events per second). */
export const MAX_EVENTS = 1e11;
/** Memory of one finished sweep or check task kept until the end (its metrics, rows), measured: ~6 KB. */
export const TASK_RESULT_BYTES = 10_000;
/** Memory of one planned sweep point (its resolved scenario and overrides), measured: ~4 KB. */
export const POINT_BYTES = 6_000;

export interface MemoryBudget {
  readonly bytes: number;
  /** How it was found, for messages. */
  readonly source: string;
}

/** Parses `800M`, `4G`, `1.5g`, `123456789` (bytes), `512MB`. Undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (m === null) return undefined;
  const scale: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
  const v = Number(m[1]) * scale[m[2]!.toLowerCase()]!;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export function memoryBudget(env: Record<string, string | undefined> = process.env): MemoryBudget {
  const forced = env.POTSIM_MEMORY_LIMIT;
  if (forced !== undefined && forced !== "") {
    const bytes = parseByteSize(forced);
    if (bytes === undefined) throw new UsageError(`POTSIM_MEMORY_LIMIT must be a size such as 800M or 4G, got ${JSON.stringify(forced)}`);
    return { bytes, source: "POTSIM_MEMORY_LIMIT" };
  }
  const heap = getHeapStatistics().heap_size_limit;
  const ram = 0.75 * totalmem();
  return heap <= ram
    ? { bytes: heap, source: "the JavaScript heap limit; raise it with NODE_OPTIONS=--max-old-space-size=MB" }
    : { bytes: ram, source: "75% of this machine's memory" };
}

/** MAX_EVENTS, or POTSIM_MAX_EVENTS (a positive number such as 5e6). */
export function eventLimit(env: Record<string, string | undefined> = process.env): { events: number; source: string } {
  const text = env.POTSIM_MAX_EVENTS;
  if (text === undefined || text === "") return { events: MAX_EVENTS, source: "about a week of computing" };
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v <= 0) throw new UsageError(`POTSIM_MAX_EVENTS must be a positive number such as 5e6, got ${JSON.stringify(text)}`);
  return { events: v, source: "POTSIM_MAX_EVENTS" };
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(b / 2 ** 20))} MB`;
}

function formatCount(n: number): string {
  return n < 1e6 ? String(Math.round(n)) : n.toExponential(1);
}

export interface GuardOpts {
  readonly until?: number;
  readonly force?: boolean;
  /** Worlds running at once (sweeps, checks): memory adds up. */
  readonly concurrent?: number;
  /** Runs of this scenario in all (sweep replicates, check seeds): events and kept results add up. */
  readonly tasks?: number;
  /** Planned sweep points held in memory. */
  readonly points?: number;
  /** What to call the run in messages (the scenario file). */
  readonly label: string;
  readonly env?: Record<string, string | undefined>;
}

/** The estimate; throws UsageError (exit 2) when the run cannot fit and force is not set. */
export function checkRunSize(s: ResolvedScenario, o: GuardOpts): SizeEstimate {
  const est = estimateRunSize(s, o.until === undefined ? {} : { until: o.until });
  if (o.force) return est;
  const budget = memoryBudget(o.env);
  const limit = eventLimit(o.env);
  const tasks = Math.max(1, o.tasks ?? 1);
  const concurrent = Math.min(tasks, Math.max(1, o.concurrent ?? 1));
  const results = (tasks > 1 ? tasks * TASK_RESULT_BYTES : 0) + (o.points ?? 0) * POINT_BYTES;
  const need = est.memoryBytes * concurrent + results;
  // A non-finite estimate (it cannot be, with the documented ranges) is refused rather than waved through.
  if (!(need <= budget.bytes)) {
    const parts = est.terms.map((t) => ({ bytes: t.bytes * concurrent, text: `${t.keys}: ${t.what}` }));
    if (results > 0) parts.push({ bytes: results, text: `tasks: results of ${tasks} tasks kept until the end${o.points ? ` and ${o.points} planned points` : ""}` });
    parts.sort((a, b) => b.bytes - a.bytes);
    const lines = parts.slice(0, 3).map((p) => `  ${formatBytes(p.bytes).padStart(8)}  ${p.text}`);
    const how = concurrent > 1 || results > 0 ? ` (${concurrent} run${concurrent === 1 ? "" : "s"} at once × ${formatBytes(est.memoryBytes)}${results > 0 ? ` + results of ${tasks} tasks` : ""})` : "";
    throw new UsageError(
      [
        `${o.label}: estimated peak memory ${formatBytes(need)}${how} exceeds what this machine can hold (${formatBytes(budget.bytes)}, ${budget.source}). Largest parts:`,
        ...lines,
        "Reduce these keys, or pass --force to run anyway.",
      ].join("\n"),
    );
  }
  const events = est.events * tasks;
  if (!(events <= limit.events)) {
    const lines = [...est.terms]
      .sort((a, b) => b.events - a.events)
      .slice(0, 3)
      .map((t) => `  ${formatCount(t.events).padStart(8)}  ${t.keys}: ${t.what}`);
    throw new UsageError(
      [
        `${o.label}: estimated ${formatCount(events)} kernel events${tasks > 1 ? ` (${tasks} tasks × ${formatCount(est.events)})` : ""}, more than ${formatCount(limit.events)} (${limit.source}). Largest parts${tasks > 1 ? " of one task" : ""}:`,
        ...lines,
        `Reduce these keys${tasks > 1 ? " or the tasks" : ""} (or set maxEvents), or pass --force to run anyway.`,
      ].join("\n"),
    );
  }
  return est;
}

export { estimatedSeconds };

/** One line for runs estimated to take more than a minute, or undefined. */
export function longRunNotice(label: string, model: string, est: SizeEstimate): string | undefined {
  const s = estimatedSeconds(model, est.events);
  if (s < 60) return undefined;
  const t = s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
  return `${label}: a long run (about ${formatCount(est.events)} events, roughly ${t}); Ctrl-C stops it without writing anything`;
}

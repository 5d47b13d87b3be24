// The trace's command-line options, checked like scenario values: a bad value is a TraceOptionError
// naming the option, what was expected and (for a name) the closest valid one; the CLI turns it into
// exit code 2 before anything runs or is written.

import { didYouMean } from "../scenario/suggest.js";
import type { WorldDescription } from "../world/observe.js";
import { ECONOMIC_EVENTS, EVENT_NAMES } from "./vocabulary.js";

/** Rows written before tracing stops (--trace-max-events default). */
export const DEFAULT_TRACE_LIMIT = 1_000_000;
/** Largest accepted --trace-max-events. */
export const MAX_TRACE_LIMIT = 50_000_000;

export interface TraceFilters {
  /** Event names and message kinds to keep (null: all). */
  readonly kinds: readonly string[] | null;
  /** Node ids to keep (null: all). A message is kept when its sender or receiver is kept. */
  readonly nodes: readonly number[] | null;
  /** Simulated-time window [t0, t1] in seconds, both ends included (null: the whole run). */
  readonly window: readonly [number, number] | null;
}

export interface TraceOptions {
  readonly filters: TraceFilters;
  readonly limit: number;
}

export interface RawTraceOptions {
  kinds?: string;
  nodes?: string;
  window?: string;
  maxEvents?: string;
}

export class TraceOptionError extends Error {}

/** The names --trace-kinds accepts for a world: its message kinds, then the event names of its model. */
export function traceKindNames(world: Pick<WorldDescription, "model" | "messageKinds">): string[] {
  const events = EVENT_NAMES.filter((e) => world.model === "pot" || !ECONOMIC_EVENTS.includes(e));
  return [...world.messageKinds, ...events];
}

function list(option: string, text: string): string[] {
  const items = text.split(",").map((s) => s.trim());
  if (text.trim() === "" || items.some((s) => s === "")) throw new TraceOptionError(`${option}: expected a comma-separated list, got ${JSON.stringify(text)}`);
  return items;
}

function parseKinds(text: string, world: Pick<WorldDescription, "model" | "messageKinds">): string[] {
  const valid = traceKindNames(world);
  const out: string[] = [];
  for (const k of list("--trace-kinds", text)) {
    if (!valid.includes(k)) {
      const economic = (ECONOMIC_EVENTS as readonly string[]).includes(k) ? ` (an event of model pot; this scenario's model is ${world.model})` : didYouMean(k, valid);
      throw new TraceOptionError(
        `--trace-kinds: unknown kind ${JSON.stringify(k)}${economic}; valid: message kinds (${world.messageKinds.join(", ")}) and event names (${valid.slice(world.messageKinds.length).join(", ")})`,
      );
    }
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

function parseNodes(text: string, world: Pick<WorldDescription, "nodes">): number[] {
  const count = world.nodes.length;
  const labels = world.nodes.map((n) => n.label);
  const out = new Set<number>();
  const check = (v: number, item: string): number => {
    if (v >= count) throw new TraceOptionError(`--trace-nodes: node ${v} does not exist (${item}); this scenario has nodes 0..${count - 1} (${labels.join(", ")})`);
    return v;
  };
  for (const item of list("--trace-nodes", text)) {
    const range = /^(\d+)\s*(?:\.\.\s*(\d+))?$/.exec(item);
    if (range) {
      const a = check(Number(range[1]), item);
      const b = range[2] === undefined ? a : check(Number(range[2]), item);
      if (b < a) throw new TraceOptionError(`--trace-nodes: range ${item} is empty`);
      for (let v = a; v <= b; v++) out.add(v);
      continue;
    }
    const at = labels.indexOf(item);
    if (at < 0) {
      throw new TraceOptionError(
        `--trace-nodes: ${JSON.stringify(item)} is neither a node id, a range A..B nor a node label${didYouMean(item, labels)}; this scenario has nodes 0..${count - 1} (${labels.join(", ")})`,
      );
    }
    out.add(at);
  }
  return [...out].sort((a, b) => a - b);
}

function parseWindow(text: string): [number, number] {
  const m = /^\s*([^.\s][^\s]*?)\s*\.\.\s*([^\s]+)\s*$/.exec(text);
  const a = m ? Number(m[1]) : Number.NaN;
  const b = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new TraceOptionError(`--trace-window: expected T0..T1 in simulated seconds (e.g. 10..20), got ${JSON.stringify(text)}`);
  }
  if (a < 0) throw new TraceOptionError(`--trace-window: T0 must be >= 0, got ${a}`);
  if (b < a) throw new TraceOptionError(`--trace-window: T1 must be >= T0, got ${a}..${b}`);
  return [a, b];
}

function parseLimit(text: string): number {
  const v = Number(text);
  if (text.trim() === "" || !Number.isInteger(v) || v < 1 || v > MAX_TRACE_LIMIT) {
    throw new TraceOptionError(`--trace-max-events: expected an integer from 1 to ${MAX_TRACE_LIMIT}, got ${JSON.stringify(text)}`);
  }
  return v;
}

/** Checks the raw option texts against the world they will trace. */
export function parseTraceOptions(raw: RawTraceOptions, world: Pick<WorldDescription, "model" | "messageKinds" | "nodes">): TraceOptions {
  return {
    filters: {
      kinds: raw.kinds === undefined ? null : parseKinds(raw.kinds, world),
      nodes: raw.nodes === undefined ? null : parseNodes(raw.nodes, world),
      window: raw.window === undefined ? null : parseWindow(raw.window),
    },
    limit: raw.maxEvents === undefined ? DEFAULT_TRACE_LIMIT : parseLimit(raw.maxEvents),
  };
}

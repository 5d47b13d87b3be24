// Phase 2 of a shrink: make explicit what the seed drew, so the result no longer depends on the
// draw. Two steps, each kept only if the violation survives it:
//   * the network without random timing: a constant latency (the model's central value, then its
//     low and high ends) and no reordering jitter;
//   * the draws themselves, from a recording of the run (record.ts): the random fault mix becomes
//     its drawn faults (planFaults with the seed's "faults" stream: the same draw the world makes),
//     random partitions become scheduled partitions at the times they started and healed, random
//     loss and duplication and probabilistic rules become per-message rules (schedule.ts). All of
//     them at once first; if that run no longer violates (a recording can be inexact, see
//     record.ts), each source alone, keeping those that work.
// What stays drawn afterwards (an open-loop workload, message mutation by a Byzantine replica, a
// Twins search, the PoT traffic, or whatever could not be converted) is listed by `remainingDraws`.

import { drawRandomFaults, type RandomFaultSpec } from "../faults/index.js";
import { RngTree } from "../kernel/index.js";
import type { ReplicaFactory } from "../world/pbft/index.js";
import type { Search } from "./config.js";
import { faultsTolerated } from "../protocols/pbft/index.js";
import { clone, layoutOf, type Scenario } from "./edit.js";
import { type Effect, isProbabilistic, type PartitionEpisode, Recorder, type RecordSources, type Recording } from "./record.js";
import { runCandidate } from "./run.js";
import { baseOf, type Element, elementsOf, type Partition, type Schedule } from "./schedule.js";

type Latency = Scenario["network"]["latency"];

/** Points of a grid over [0, 1]: the middle, the ends, the quarters, the eighths. */
const GRID = [0.5, 0, 1, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875];

/** Constant latencies to try for a latency model, most typical first (none for a constant or region model). */
export function constantLatencies(l: Latency): number[] {
  const round = (x: number) => Number(x.toPrecision(3));
  let values: number[];
  switch (l.model) {
    case "uniform":
      values = GRID.map((q) => l.min + q * (l.max - l.min));
      break;
    case "normal":
      values = [0, -1, 1, -0.5, 0.5].map((z) => Math.max(l.min, l.mean + z * l.stddev));
      break;
    case "lognormal":
      values = [0, -1, 1, -0.5, 0.5].map((z) => Math.exp(l.mu + z * l.sigma));
      break;
    case "pareto":
      values = [1, 1.5, 2, 3].map((k) => l.scale * k);
      break;
    default:
      values = [];
  }
  return [...new Set(values.map(round))].filter((v) => v > 0);
}

/**
 * Tries the network without random timing (see the file header); true when a variant was kept.
 * Other timing moves the violation, so candidates run longer — up to ten times the current `until`,
 * within the input's — and the caller's next `tightenUntil` finds it again.
 */
export function fixTiming(search: Search, inputUntil: number): boolean {
  const until = Math.min(inputUntil, 10 * search.best.until);
  const net = search.best.network;
  const values = constantLatencies(net.latency);
  const variants: Array<{ latency?: number; reorder: boolean; label: string }> = [];
  for (const v of values) variants.push({ latency: v, reorder: false, label: `latency ${net.latency.model} -> constant ${v} s${net.reorder ? ", no reordering" : ""}` });
  if (net.reorder) {
    variants.push({ reorder: false, label: "no reordering" });
    for (const v of values) variants.push({ latency: v, reorder: true, label: `latency ${net.latency.model} -> constant ${v} s` });
  }
  for (const variant of variants) {
    const s = clone(search.best);
    s.until = Math.max(s.until, until);
    if (variant.latency !== undefined) s.network.latency = { model: "constant", value: variant.latency };
    if (!variant.reorder) s.network.reorder = null;
    if (search.attempt(s, variant.label)) return true;
  }
  return false;
}

/** The random sources a scenario draws from that a recording can turn into elements. */
export type Source = "faults" | "partitions" | "loss" | "duplicate" | "rules" | "latency";

export function convertibleSources(s: Scenario): Source[] {
  const out: Source[] = [];
  if (s.pbft?.randomFaults && s.pbft.randomFaults.count > 0) out.push("faults");
  if (s.network.randomPartitions) out.push("partitions");
  if (s.network.loss > 0) out.push("loss");
  if (s.network.duplicate > 0) out.push("duplicate");
  if (s.network.rules.some(isProbabilistic)) out.push("rules");
  const net = s.network;
  const randomTiming = (net.latency.model !== "constant" && net.latency.model !== "regions") || (net.reorder !== null && net.reorder.probability > 0);
  // With finite bandwidth a copy's time in flight includes queueing the capsule would add again.
  if (randomTiming && net.bandwidth === null && net.latency.model !== "regions") out.push("latency");
  return out;
}

/** Records `s` (to its `until`) and returns the schedule with `sources` declared instead of drawn. */
export function explicitSchedule(s: Scenario, seed: number, sources: readonly Source[], recording: Recording): Schedule {
  const base = baseOf(s);
  const elements: Element[] = [];
  const has = (x: Source) => sources.includes(x);
  for (const e of elementsOf(s)) {
    if (e.type === "rule" && has("rules") && (isProbabilistic(e.rule) || e.rule.probability === 0)) continue;
    if (e.type === "fault" || e.type === "rule") elements.push(e);
  }
  if (has("faults")) {
    const p = base.pbft!;
    const drawn = drawRandomFaults(p.n, faultsTolerated(p.n), p.randomFaults as RandomFaultSpec, new RngTree(seed).stream("faults"));
    for (const spec of drawn) elements.push({ type: "fault", spec } as Element);
    p.randomFaults = null;
  }
  // Effects go between the faults and the scenario's own rules (they become rules placed before them).
  const firstRule = elements.findIndex((e) => e.type === "rule");
  // A scenario's rules name replicas and clients only: copies to or from a twin's second copy cannot be named (their draws stay lost).
  const layout = layoutOf(s);
  const nameable = (id: number) => id < layout.replicas + layout.clients;
  const effects: Element[] = recording.effects
    .filter((e) => has(sourceOf(e)) && nameable(recording.messages[e.msg]!.from) && nameable(recording.messages[e.msg]!.to))
    .map((effect) => ({ type: "effect", effect }));
  elements.splice(firstRule < 0 ? elements.length : firstRule, 0, ...effects);
  for (const e of elementsOf(s)) if (e.type === "partition") elements.push(e);
  if (has("partitions")) {
    for (const ep of recording.partitions) elements.push({ type: "partition", partition: partitionOf(ep) });
    base.network.randomPartitions = null;
  }
  for (const e of elementsOf(s)) if (e.type === "spike" || e.type === "attack") elements.push(e);
  if (has("latency") && recording.latency !== null) {
    base.network.latency = { model: "constant", value: recording.latency };
    base.network.reorder = null;
  }
  if (has("loss")) base.network.loss = 0;
  if (has("duplicate")) base.network.duplicate = 0;
  return { base, elements, messages: recording.messages };
}

function sourceOf(e: Effect): Source {
  if (e.action === "drop" && e.source === "loss") return "loss";
  if (e.action === "duplicate" && e.source === "duplicate") return "duplicate";
  if (e.action === "delay" && e.source === "latency") return "latency";
  return "rules";
}

/** A recorded random partition as a scheduled one (random partitions are symmetric). */
export function partitionOf(ep: PartitionEpisode): Partition {
  const bySide = new Map<number, number[]>();
  ep.sides.forEach((side, node) => {
    const g = bySide.get(side);
    if (g) g.push(node);
    else bySide.set(side, [node]);
  });
  const groups = [...bySide.entries()].sort((a, b) => a[0] - b[0]).map(([, nodes]) => nodes);
  const single = groups.length === 2 ? groups.find((g) => g.length === 1) : undefined;
  const p: Partition = single ? { at: ep.at, isolate: single[0]!, symmetric: true } : { at: ep.at, groups: groups.slice(0, -1), symmetric: true };
  if (ep.heal !== undefined) p.heal = ep.heal;
  return p;
}

/** Runs `s` under a recorder (to `until`: partitions active at the violation get their heal). */
export function record(s: Scenario, seed: number, sources: RecordSources, replicaFactory: ReplicaFactory | undefined): Recording {
  const recorder = new Recorder(s, seed, sources);
  runCandidate(s, seed, { observer: recorder, full: true, replicaFactory });
  return recorder.finish();
}

/** What a scenario still draws from its seed (empty: any seed gives the same run). */
export function remainingDraws(s: Scenario): string[] {
  const out: string[] = [];
  const net = s.network;
  const l = net.latency;
  if (l.model !== "constant" && !(l.model === "regions" && l.jitter === undefined)) out.push(`latency (${l.model})`);
  if (net.reorder && net.reorder.probability > 0) out.push("reordering jitter");
  if (net.loss > 0) out.push("random loss");
  if (net.duplicate > 0) out.push("random duplication");
  if (net.randomPartitions) out.push("random partitions");
  if (net.rules.some(isProbabilistic)) out.push("probabilistic network rules");
  const p = s.pbft;
  if (p?.randomFaults && p.randomFaults.count > 0) out.push("random fault mix");
  if (p?.twinsSearch) out.push("Twins search");
  if (p?.faults.some((f) => f.type === "mutate" && f.probability > 0)) out.push("message mutation");
  if (s.model === "pbft" && p?.clients.workload.model !== "closed" && p!.clients.requests > 0) out.push("open-loop workload");
  if (s.model === "pot") out.push("PoT traffic and economy");
  return out;
}

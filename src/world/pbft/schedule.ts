// The fault schedule of a run (schedule.csv, consensus part): every crash, Byzantine behaviour and
// twins fault of the fault plan — declared ones and those `pbft.randomFaults` drew for this seed —,
// every partition as it happened (scheduled or random), every network rule and latency spike. The PoT
// wing appends its economic attacks and outages (../pot/schedule.ts). One row per item, the columns
// in SCHEDULE_COLUMNS; rows starting after the run's end are left out; the table is sorted by start
// time (ties keep this order: plan, partitions, rules, spikes). Text cells are meant for people and
// are documented in docs/results.md.
// May import: faults (types), metrics, net (types).

import type { FaultPlan, FaultSpec } from "../../faults/index.js";
import { type Cell, round, type Table } from "../../metrics/index.js";
import type { LatencySpike, NetworkRule, PartitionSource } from "../../net/index.js";

export const SCHEDULE_COLUMNS = ["start_s", "end_s", "kind", "fault", "targets", "detail", "source"] as const;

/** One row of schedule.csv. `end` null: until the end of the run. */
export interface ScheduleItem {
  start: number;
  end: number | null;
  kind: "crash" | "byzantine" | "twins" | "partition" | "network_rule" | "latency_spike" | "coalition" | "sybil" | "outage" | "churn";
  fault: string;
  targets: string;
  detail: string;
  source: "scenario" | "drawn" | "manual";
}

/** A partition as the run saw it. */
export interface PartitionRecord {
  start: number;
  end: number | null;
  source: PartitionSource;
  /** Side of each node id (the network's array; not modified). */
  side: ArrayLike<number>;
  symmetric: boolean;
}

/** "0, 2-5, 9": sorted ids with runs of three or more as ranges. */
export function idList(ids: Iterable<number>): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(", ");
}

function plural(word: string, ids: readonly number[]): string {
  return `${word}${ids.length === 1 ? "" : "s"} ${idList(ids)}`;
}

function list(v: number | number[] | undefined): number[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** What a Byzantine behaviour's parameters say, in a few words. */
function behaviourDetail(spec: FaultSpec): string {
  switch (spec.type) {
    case "censor":
      return `drops requests of ${plural("client", spec.clients)}`;
    case "delay":
      return `holds its messages back ${spec.delay} s${spec.kinds ? ` (${spec.kinds.join(", ")})` : ""}`;
    case "selective":
      return `sends only to ${plural("replica", spec.to)}`;
    case "viewChangeSpam":
      return `sends a VIEW-CHANGE every ${spec.interval} s`;
    case "replay":
      return `replays old messages after ${spec.delay} s`;
    case "forge":
      return `forges ${spec.variant} (seq ${spec.seq})`;
    case "badReplies":
      return `corrupts the ${spec.field} of its replies`;
    case "silent":
      return "sends nothing";
    case "equivocate":
      return "sends different pre-prepares for one slot to different backups";
    case "wrongDigest":
      return "pre-prepares carry a wrong digest";
    case "twoFaced":
      return "tells different replicas different things";
    case "fuzz":
      return "sends randomly corrupted messages";
    case "script":
      return `sends a scripted schedule of ${spec.steps.length} step${spec.steps.length === 1 ? "" : "s"} (script.csv)`;
    case "mutate":
      return `mutates its messages (${spec.mutations.join(", ")}) with probability ${spec.probability}`;
    default:
      return "";
  }
}

/** The fault plan's rows: crashes paired with their recovery, Byzantine windows, twins. `declared` faults come first in plan.resolved; the rest were drawn. */
function planItems(plan: FaultPlan, declared: number): ScheduleItem[] {
  const out: ScheduleItem[] = [];
  const resolved = plan.resolved;
  resolved.forEach((spec, i) => {
    const source = i < declared ? "scenario" : "drawn";
    switch (spec.type) {
      case "crash": {
        // Its recovery: the earliest recover of this replica at or after the crash.
        let rec: Extract<FaultSpec, { type: "recover" }> | undefined;
        for (const r of resolved) {
          if (r.type === "recover" && r.replica === spec.replica && r.at >= spec.at && (rec === undefined || r.at < rec.at)) rec = r;
        }
        out.push({
          start: spec.at,
          end: rec ? rec.at : null,
          kind: "crash",
          fault: rec?.state === "lost" ? "amnesia" : "crash",
          targets: `replica ${spec.replica}`,
          detail: `${spec.on !== undefined ? `when ${eventText(spec.on)}; ` : ""}${rec ? (rec.state === "lost" ? "recovers with an empty log" : "recovers with its log") : "stays down"}`,
          source,
        });
        return;
      }
      case "recover": {
        const crash = resolved.some((c) => c.type === "crash" && c.replica === spec.replica && c.at <= spec.at);
        if (!crash) out.push({ start: spec.at, end: null, kind: "crash", fault: "recover", targets: `replica ${spec.replica}`, detail: `recovers (log ${spec.state})`, source });
        return;
      }
      case "twins":
        out.push({
          start: spec.at,
          end: null,
          kind: "twins",
          fault: "twins",
          targets: plural("replica", spec.replicas),
          detail: twinsDetail(spec),
          source,
        });
        return;
      default:
        out.push({
          start: spec.at,
          end: spec.until ?? null,
          kind: "byzantine",
          fault: spec.type,
          targets: `replica ${spec.replica}`,
          detail: behaviourDetail(spec),
          source,
        });
    }
  });
  return out;
}

function partitionItem(p: PartitionRecord): ScheduleItem {
  const groups = new Map<number, number[]>();
  for (let node = 0; node < p.side.length; node++) {
    const s = p.side[node]!;
    let g = groups.get(s);
    if (!g) groups.set(s, (g = []));
    g.push(node);
  }
  const sides = [...groups.entries()].sort(([a], [b]) => a - b).map(([, nodes]) => idList(nodes));
  return {
    start: p.start,
    end: p.end,
    kind: "partition",
    fault: "partition",
    targets: `nodes ${sides.join(" | ")}`,
    detail: p.symmetric ? "sides cannot talk" : "lower sides cannot reach higher ones",
    source: p.source === "scheduled" ? "scenario" : p.source === "random" ? "drawn" : "manual",
  };
}

function ruleItem(r: NetworkRule): ScheduleItem {
  const from = list(r.from);
  const to = list(r.to);
  const kinds = r.kind === undefined ? "all kinds" : (Array.isArray(r.kind) ? r.kind : [r.kind]).join(", ");
  const what = ruleAction(r);
  const chance = r.probability < 1 ? ` with probability ${r.probability}` : "";
  const fields = ruleFields(r);
  return {
    start: r.start ?? 0,
    end: r.end ?? null,
    kind: "network_rule",
    fault: r.action,
    targets: `from ${from ? `nodes ${idList(from)}` : "any node"} to ${to ? `nodes ${idList(to)}` : "any node"}`,
    detail: `${what} ${kinds}${fields}${chance}`,
    source: "scenario",
  };
}

/** A trigger event in words: "sent (replica 0, kind pre-prepare, seq 4)". */
function eventText(on: object): string {
  const { event, ...fields } = on as { event: string } & Record<string, unknown>;
  const rest = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(" ") : String(v)}`);
  return rest.length === 0 ? event : `${event} (${rest.join(", ")})`;
}

function ruleAction(r: NetworkRule): string {
  switch (r.action) {
    case "delay":
      return `delays by ${r.delay} s`;
    case "drop":
      return "drops";
    case "duplicate":
      return "duplicates";
    case "hold":
      return `holds until ${typeof r.until === "number" ? `${r.until} s` : r.until === undefined ? "the end" : eventText(r.until)}`;
    case "redirect":
      return `redirects to nodes ${idList(list(r.deliverTo) ?? [])}`;
    default:
      return r.action;
  }
}

function fieldText(name: string, m: NetworkRule["view"]): string {
  if (m === undefined) return "";
  if (typeof m === "number") return ` ${name} ${m}`;
  if (Array.isArray(m)) return ` ${name} ${m.join(" ")}`;
  const r = m as { min?: number; max?: number };
  return ` ${name} ${r.min ?? ""}..${r.max ?? ""}`;
}

/** The protocol fields a rule matches, in words (" of view 1 seq 3..5 digest ab12, 2nd occurrence"). */
function ruleFields(r: NetworkRule): string {
  const parts = [fieldText("view", r.view), fieldText("seq", r.seq)].join("");
  const digest = r.digest === undefined ? "" : ` digest ${r.digest}`;
  const client = r.client === undefined ? "" : ` for client ${r.client}${r.timestamp === undefined ? "" : ` request ${r.timestamp}`}`;
  const occ = r.occurrence === undefined ? "" : `, occurrence ${typeof r.occurrence === "number" ? r.occurrence : r.occurrence.join(" ")}`;
  const all = `${parts}${digest}${client}${occ}`;
  return all === "" ? "" : ` (${all.trim()})`;
}

function spikeItem(s: LatencySpike): ScheduleItem {
  return { start: s.at, end: s.until, kind: "latency_spike", fault: "spike", targets: "every link", detail: `+${s.extra} s one-way latency`, source: "scenario" };
}

/** The consensus part of the schedule, in the order described in the header (not yet sorted). */
export function consensusSchedule(
  plan: FaultPlan,
  declaredFaults: number,
  partitions: readonly PartitionRecord[],
  network: { readonly rules: readonly NetworkRule[]; readonly spikes: readonly LatencySpike[] },
): ScheduleItem[] {
  return [...planItems(plan, declaredFaults), ...partitions.map(partitionItem), ...network.rules.map(ruleItem), ...network.spikes.map(spikeItem)];
}

/** schedule.csv: items starting by `end` (the run's end), sorted by start time (stable). */
export function scheduleTable(items: readonly ScheduleItem[], end: number): Table {
  const rows: Cell[][] = items
    .filter((it) => it.start <= end)
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.start - b.it.start || a.i - b.i)
    .map(({ it }) => [round(it.start), it.end === null ? null : round(it.end), it.kind, it.fault, it.targets, it.detail, it.source]);
  return { name: "schedule", columns: [...SCHEDULE_COLUMNS], rows };
}

/** A twins fault in words: its fixed sides, or its partitions per view or time window. */
function twinsDetail(spec: Extract<FaultSpec, { type: "twins" }>): string {
  if (spec.sides !== undefined && spec.clientSides !== undefined) {
    return `each runs twice: one copy with replicas ${spec.sides.map((s) => `[${idList(s)}]`).join(" / ")}, clients ${spec.clientSides.map((s) => `[${idList(s)}]`).join(" / ")}`;
  }
  const phases = (spec.schedule ?? []).map((ph) => {
    const when = ph.view !== undefined ? `from view ${ph.view}` : `from ${Number((ph.at ?? 0).toFixed(3))} s`;
    const groups = ph.groups.length === 0 ? "no partition" : ph.groups.map((g) => `[${g.join(" ")}]`).join(" / ");
    return `${when}: ${groups}`;
  });
  return `each runs twice, partitioned per phase: ${phases.join("; ")}`;
}

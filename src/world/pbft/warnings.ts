// The PBFT world's warnings (../types.ts RunWarning): what its scenario declared but the run never
// saw — a fault or network disturbance that starts at or after the end of the run, clients whose
// requests never completed. Computed from the fault plan, the network section and the request
// counts, after the run; the replicas and clients are not asked.

import type { FaultSpec } from "../../faults/index.js";
import type { NetworkSection } from "../scenario.js";
import type { RunWarning } from "../types.js";

export interface PbftWarningInputs {
  /** Every fault after random draws (FaultPlan.resolved). */
  readonly faults: readonly FaultSpec[];
  readonly network: Pick<NetworkSection, "partitions" | "spikes" | "randomPartitions">;
  /** Simulated time at the end of the run (s). */
  readonly endTimeSec: number;
  readonly requestsPlanned: number;
  readonly requestsIssued: number;
  readonly requestsCompleted: number;
  /** When the clients start (s). */
  readonly clientsStartSec: number;
}

const at = (t: number): string => `t=${Number(t.toPrecision(12))} s`;

/** Warnings of a finished PBFT run, in a fixed order: faults, partitions, spikes, random partitions, requests. */
export function pbftWarnings(w: PbftWarningInputs): RunWarning[] {
  const out: RunWarning[] = [];
  const end = w.endTimeSec;
  const late = (start: number) => start >= end;
  for (const f of w.faults) {
    if (!late(f.at)) continue;
    const who = f.type === "twins" ? `of replicas ${f.replicas.join(", ")}` : `of replica ${f.replica}`;
    out.push({ code: "fault-never-triggered", message: `fault ${f.type} ${who} starts at ${at(f.at)}, at or after the end of the run (${at(end)})` });
  }
  w.network.partitions.forEach((p, i) => {
    if (late(p.at)) out.push({ code: "fault-never-triggered", message: `network partition ${i} starts at ${at(p.at)}, at or after the end of the run (${at(end)})` });
  });
  w.network.spikes.forEach((s, i) => {
    if (late(s.at)) out.push({ code: "fault-never-triggered", message: `latency spike ${i} starts at ${at(s.at)}, at or after the end of the run (${at(end)})` });
  });
  const rp = w.network.randomPartitions;
  if (rp !== null && late(rp.start)) {
    out.push({ code: "fault-never-triggered", message: `random partitions start at ${at(rp.start)}, at or after the end of the run (${at(end)})` });
  }
  if (w.requestsPlanned > 0 && w.requestsCompleted === 0) {
    const why = w.requestsIssued === 0 ? `none was issued (clients start at ${at(w.clientsStartSec)}; the run ended at ${at(end)})` : `${w.requestsIssued} issued, none committed`;
    out.push({ code: "no-request-completed", message: `the clients planned ${w.requestsPlanned} requests and none completed: ${why}` });
  }
  return out;
}

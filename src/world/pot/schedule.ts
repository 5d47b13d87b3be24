// The PoT world's rows of schedule.csv: inflating coalitions and Sybil groups over the epochs they act
// in, resource-node outages with the nodes they took down (drawn per seed when the scenario gives a
// count), and resource-node churn as one row for the whole run (its outages are drawn per node as the
// run goes; epochs.csv counts the nodes online at each epoch's end). Appended to the PBFT world's rows
// (../pbft/schedule.ts), which also define the columns.
// May import: faults (types), ../pbft (types), ../scenario (types).

import type { CoalitionPlan } from "../../faults/index.js";
import type { ScheduleItem } from "../pbft/schedule.js";
import { idList } from "../pbft/schedule.js";
import type { AttacksSection, TrafficSection } from "../scenario.js";

export interface EconomicScheduleInput {
  readonly attacks: AttacksSection;
  readonly coalitions: readonly CoalitionPlan[];
  /** Each planned outage with the resource nodes it takes down, in plan order. */
  readonly outages: ReadonlyArray<{ readonly nodes: readonly number[]; readonly at: number; readonly until: number }>;
  readonly traffic: TrafficSection | null;
  readonly epochs: number;
  readonly epochLength: number;
  readonly resourceNodes: number;
  /** Signer keys a report needs (max(1, ⌊2m/3⌋)). */
  readonly reportQuorum: number;
  /** Epochs a node may be offline before the meta nodes suspend it. */
  readonly graceEpochs: number;
}

/** Epochs [from, to] as simulated time [(from − 1)·L, to·L]; `to` capped at the planned epochs. */
function epochSpan(from: number, to: number, epochs: number, length: number): { start: number; end: number } {
  return { start: (from - 1) * length, end: Math.min(to, epochs) * length };
}

function days(seconds: number): string {
  return seconds >= 86_400 ? `${Number((seconds / 86_400).toPrecision(3))} days` : seconds >= 3_600 ? `${Number((seconds / 3_600).toPrecision(3))} h` : `${Number(seconds.toPrecision(3))} s`;
}

export function economicSchedule(x: EconomicScheduleInput): ScheduleItem[] {
  const out: ScheduleItem[] = [];
  x.coalitions.forEach((c, i) => {
    const { start, end } = epochSpan(c.fromEpoch, c.toEpoch, x.epochs, x.epochLength);
    const signers = c.padSigners ? `its ${c.members.length} keys repeated to ${x.reportQuorum}` : `its ${c.members.length} keys (quorum ${x.reportQuorum})`;
    out.push({
      start,
      end,
      kind: "coalition",
      fault: `coalition${i}`,
      targets: `meta nodes ${idList(c.members)}`,
      detail:
        c.mode === "scale"
          ? `reports every volume × ${c.factor} when a member is the epoch's reporter, signed with ${signers}`
          : `adds (${c.factor} − 1) × the epoch's volume for a coalition wallet when a member reports, signed with ${signers}`,
      source: "scenario",
    });
  });
  x.attacks.sybils.forEach((s, g) => {
    const { start, end } = epochSpan(s.fromEpoch, s.toEpoch ?? x.epochs, x.epochs, x.epochLength);
    out.push({
      start,
      end,
      kind: "sybil",
      fault: `sybil${g}`,
      targets: `${s.wallets} Sybil wallet${s.wallets === 1 ? "" : "s"}`,
      detail: `buys ozone for ${s.budgetStos} STOS per epoch and downloads its own ${s.files} file${s.files === 1 ? "" : "s"}`,
      source: "scenario",
    });
  });
  x.outages.forEach((o, i) => {
    const drawn = x.attacks.offline[i]?.nodes === undefined;
    out.push({
      start: o.at,
      end: o.until,
      kind: "outage",
      fault: `offline${i}`,
      targets: `resource nodes ${idList(o.nodes)}`,
      detail: `offline for ${days(o.until - o.at)}; suspended after ${x.graceEpochs} epochs offline, restored when back`,
      source: drawn ? "drawn" : "scenario",
    });
  });
  const churn = x.traffic?.churn;
  if (churn) {
    out.push({
      start: 0,
      end: null,
      kind: "churn",
      fault: "churn",
      targets: `all ${x.resourceNodes} resource nodes`,
      detail: `each online for ${days(churn.meanUp)}, then offline for ${days(churn.meanDown)} on average (exponential)`,
      source: "drawn",
    });
  }
  return out;
}

// Economic invariants of the PoT ledger, checked after every executed request at every correct
// replica (continuously, like the PBFT checkers), plus a deep check at the end of a run:
//   ECON-SUPPLY  foundation + module pools (prepay P, reward pool, fee collector, community pool,
//                bonded/not-bonded deposits) + all balances = the genesis supply + what the ledger's
//                RestoreTotalSupply minted − what it burned (both 0 in an honest run);
//   ECON-REPORT  spec §4 identities of an accepted volume report, from outside the ledger:
//                ΔP = −TotalReward.traffic, Δfoundation = −ΔM, ΔM = mined, ΔL = +Y;
//   ECON-REFUSED a refused operation changes nothing (P, L, M, state version);
//   ECON-INV     the ledger's own invariant list after every accepted report (reward-pool backing,
//                non-negative pools, its per-report identities) and, at the end, its deep
//                recomputation of every running total.
// Each (invariant, replica) is reported once, at the first occurrence.
// May import: protocols/pot (types and resultText, for messages), ./violation.

import { type OpResult, type PotLedger, resultText } from "../protocols/pot/index.js";
import type { Violation } from "./violation.js";

/** What the checker reads from a ledger (PotLedger satisfies it). */
export type EconLedgerView = Pick<PotLedger, "P" | "L" | "M" | "version" | "pools" | "totalSupplyCheck" | "checkInvariants">;

interface Before {
  P: bigint;
  L: bigint;
  M: bigint;
  /** Foundation balance, taken before volume reports only (other operations never touch it). */
  F: bigint | undefined;
  version: number;
}

export class EconomicsChecker {
  readonly violations: Violation[];
  private readonly before = new Map<number, Before>();
  private readonly reported = new Set<string>();
  /** Executions checked (all correct replicas). */
  checked = 0;

  constructor(
    private readonly isCorrect: (replica: number) => boolean,
    sink: Violation[] = [],
  ) {
    this.violations = sink;
  }

  /** Call just before a request executes at `replica`; `isReport` when it is a volume report. */
  beforeExecute(replica: number, ledger: EconLedgerView, isReport = true): void {
    if (!this.isCorrect(replica)) return;
    let b = this.before.get(replica);
    if (!b) this.before.set(replica, (b = { P: 0n, L: 0n, M: 0n, F: undefined, version: 0 }));
    b.P = ledger.P;
    b.L = ledger.L;
    b.M = ledger.M;
    b.F = isReport ? ledger.pools().foundation : undefined;
    b.version = ledger.version;
  }

  /** Call right after, with the operation's result. */
  afterExecute(replica: number, ledger: EconLedgerView, result: OpResult, time: number, seq?: number): void {
    if (!this.isCorrect(replica)) return;
    this.checked++;
    const sc = ledger.totalSupplyCheck();
    if (!sc.ok) {
      const parts = Object.entries(sc.breakdown)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      this.report("ECON-SUPPLY", replica, time, seq, `total ${sc.actual} ≠ expected supply ${sc.expected} (off by ${sc.actual - sc.expected} wei; ${parts}) after "${resultText(result)}"`);
    }
    const b = this.before.get(replica);
    const isReport = result.ok && result.type === "volumeReport";
    if (b) {
      if (!result.ok) {
        if (ledger.P !== b.P || ledger.L !== b.L || ledger.M !== b.M || ledger.version !== b.version) {
          this.report("ECON-REFUSED", replica, time, seq, `refused operation "${resultText(result)}" changed the state`);
        }
      } else if (result.type === "volumeReport" && b.F !== undefined) {
        const F = ledger.pools().foundation;
        const { epoch, totalVolume: Y, minedIncrement: mined, trafficTotal: traffic } = result.value;
        const bad: string[] = [];
        if (ledger.P - b.P !== -traffic) bad.push(`ΔP ${ledger.P - b.P} ≠ −traffic ${traffic}`);
        if (F - b.F !== -mined) bad.push(`Δfoundation ${F - b.F} ≠ −mined ${mined}`);
        if (ledger.M - b.M !== mined) bad.push(`ΔM ${ledger.M - b.M} ≠ mined ${mined}`);
        if (ledger.L - b.L !== Y) bad.push(`ΔL ${ledger.L - b.L} ≠ Y ${Y}`);
        if (bad.length > 0) this.report("ECON-REPORT", replica, time, seq, `epoch ${epoch}: ${bad.join("; ")}`);
      }
    }
    // The ledger appends its own per-report identity findings when it accepts a report.
    if (isReport) this.ledgerInvariants(replica, ledger, time, seq, false);
  }

  /** Deep check (recomputes every running total); call at the end of a run for each correct replica. */
  finalCheck(replica: number, ledger: EconLedgerView, time: number): void {
    if (!this.isCorrect(replica)) return;
    const sc = ledger.totalSupplyCheck();
    if (!sc.ok) this.report("ECON-SUPPLY", replica, time, undefined, `at the end: total ${sc.actual} ≠ expected supply ${sc.expected}`);
    this.ledgerInvariants(replica, ledger, time, undefined, true);
  }

  private ledgerInvariants(replica: number, ledger: EconLedgerView, time: number, seq: number | undefined, deep: boolean): void {
    if (this.reported.has(`ECON-INV|${replica}`)) return;
    // Supply findings are ECON-SUPPLY's (reported above with the breakdown).
    const list = ledger.checkInvariants(deep).filter((s) => !s.startsWith("supply:"));
    if (list.length > 0) this.report("ECON-INV", replica, time, seq, list.slice(0, 3).join("; "));
  }

  private report(invariant: string, replica: number, time: number, seq: number | undefined, detail: string): void {
    const key = `${invariant}|${replica}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const v: Violation = { invariant, time, replicas: [replica], detail };
    if (seq !== undefined) v.seq = seq;
    this.violations.push(v);
  }
}

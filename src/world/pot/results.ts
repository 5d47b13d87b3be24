// A finished PoT run turned into its outputs: the summary (reports, consensus, issuance, rewards by
// class, the final distribution, the ozone market, users, resource nodes, attackers and the checks)
// and the tables (the PBFT world's, then epochs, resource_rewards, meta_rewards, attackers), and the
// warnings of a run in which a declared actor class never acted (potWarnings). It reads the run
// through PotRun and changes nothing; the world wires and runs, this module only reports.
// May import: faults (types), metrics, protocols/pot, ../pbft (types), ../types, ./actors (types),
// ./app, ./config, ./metrics.

import type { CoalitionPlan } from "../../faults/index.js";
import { type Cell, round, type Table } from "../../metrics/index.js";
import type { PotLedger } from "../../protocols/pot/index.js";
import { type PbftWorld, type ScheduleItem, scheduleTable } from "../pbft/index.js";
import type { RunWarning, Violation, WorldOutput } from "../types.js";
import type { MetaCommittee, ResourceNodes, SybilGroup, Users } from "./actors.js";
import { ledgerOf } from "./app.js";
import { weiToStos } from "./config.js";
import type { PotMetrics } from "./metrics.js";

const YEAR_S = 365 * 86_400;

/** What the world counts while it runs, for the summary only. */
export class RunTotals {
  /** Users' requests, and those unserved (no node online, or not enough ozone). */
  requests = 0;
  unserved = 0;
  demandNoz = 0;
  servedNoz = 0;
  suspensions = 0;
  restorations = 0;
  slashedWei = 0n;
  readonly submitted = { reports: 0, prepays: 0, other: 0 };
}

/** A finished run as the results read it. */
export interface PotRun {
  readonly now: number;
  readonly epochs: number;
  readonly epochLength: number;
  /** Meta nodes plus gateways: the PBFT clients. */
  readonly clients: number;
  readonly settleFraction: number;
  readonly initialMinedWei: bigint;
  readonly pbft: PbftWorld;
  /** The PBFT world's own output (taken after the economic final checks). */
  readonly pbftOutput: WorldOutput;
  readonly faulty: ReadonlySet<number>;
  /** The ledger metrics are read from (see PotWorld's metricsLedger), if a correct replica is up. */
  readonly ledger: PotLedger | undefined;
  readonly metrics: PotMetrics;
  readonly committee: MetaCommittee;
  readonly users: Users;
  readonly nodes: ResourceNodes;
  readonly sybils: readonly SybilGroup[];
  readonly coalitions: readonly CoalitionPlan[];
  /** Resource nodes of each planned outage, in plan order. */
  readonly outageNodes: readonly (readonly number[])[];
  /** When each planned outage starts (s), in plan order. */
  readonly outageStartsSec: readonly number[];
  /** The validators' warnings (faults that never took effect: ../pbft/warnings.ts). */
  readonly pbftWarnings: readonly RunWarning[];
  /** schedule.csv's items: the PBFT world's, then the economic ones (./schedule.ts). */
  readonly schedule: readonly ScheduleItem[];
  readonly totals: RunTotals;
  /** Reports queued or in flight when the run stopped. */
  readonly pendingReports: number;
  readonly economicChecks: number;
  readonly violations: Violation[];
}

/** The PoT world's summary and tables. */
export function potOutput(run: PotRun): WorldOutput {
  const now = run.now;
  const correctHosts = run.pbft.hosts.replicas.filter((h) => !h.shadow && !run.faulty.has(h.replicaId));
  const ledger = run.ledger;
  const pbftSummary = run.pbftOutput.summary;
  const up = correctHosts.filter((h) => h.up);
  const maxExec = Math.max(0, ...up.map((h) => h.replica.lastExecuted));
  const synced = up.filter((h) => h.replica.lastExecuted === maxExec);
  const digests = new Set(synced.map((h) => h.replica.application.stateDigest()));
  const years = now / YEAR_S;
  const minedWei = ledger ? ledger.M - run.initialMinedWei : 0n;
  const supply = ledger?.params.initialTotalSupplyWei ?? 0n;
  const sc = ledger?.totalSupplyCheck();
  const pools = ledger?.pools();
  const m = run.metrics;
  const t = run.totals;
  const stos = (w: bigint) => round(weiToStos(w), 12);
  const attackers = attackersTable(run);
  const summary: Record<string, unknown> = {
    model: "pot",
    epochs: run.epochs,
    epochLength_s: run.epochLength,
    simulatedYears: round(years),
    reports: {
      submitted: t.submitted.reports,
      accepted: m.accepted,
      rejected: m.rejected,
      rejectedByReason: Object.fromEntries([...m.rejectedByReason].sort(([a], [b]) => (a < b ? -1 : 1))),
      skippedNoTraffic: m.skipped,
      pending: run.pendingReports,
      lastAcceptedEpoch: m.lastAcceptedEpoch,
      clampedToOzoneSold: run.committee.clampedEpochs,
      ...settlementSummary(run),
      inflated: Object.fromEntries(
        [...m.inflated].map(([c, s]) => [`coalition${c}`, { submitted: s.submitted, accepted: s.accepted, rejected: s.rejected, drainedStos: stos(s.drainedWei) }]),
      ),
    },
    consensus: {
      n: pbftSummary.n,
      f: pbftSummary.f,
      clients: run.clients,
      requestsIssued: pbftSummary.requestsIssued,
      requestsCompleted: pbftSummary.requestsCompleted,
      allCommitted: pbftSummary.requestsIssued === pbftSummary.requestsCompleted,
      viewChanges: pbftSummary.viewChanges,
      finalView: pbftSummary.finalView,
      executedSeq: pbftSummary.executedSeq,
      faultyReplicas: pbftSummary.faultyReplicas,
      messages: pbftSummary.messages,
      latency: pbftSummary.latency,
    },
    issuance: {
      minedStos: stos(minedWei),
      minedPerYearStos: years > 0 ? round(weiToStos(minedWei) / years) : null,
      inflationPerYear: years > 0 && supply > 0n ? round(weiToStos(minedWei) / weiToStos(supply) / years) : null,
      totalMinedStos: ledger ? stos(ledger.M) : null,
      stage: ledger?.stage().stage ?? null,
      trafficPaidStos: stos(m.traffic.validators + m.traffic.meta + m.traffic.resource + m.communityTaxWei),
    },
    rewardsByClass: {
      validators: { miningStos: stos(m.mining.validators), trafficStos: stos(m.traffic.validators) },
      meta: { miningStos: stos(m.mining.meta), trafficStos: stos(m.traffic.meta) },
      resource: { miningStos: stos(m.mining.resource), trafficStos: stos(m.traffic.resource) },
      communityTaxStos: stos(m.communityTaxWei),
      giniResource: round(m.finalGini(), 9),
    },
    finalDistribution: pools
      ? {
          foundationStos: stos(pools.foundation),
          validatorsFeeCollectorStos: stos(pools.feeCollector),
          rewardPoolStos: stos(pools.rewardPool),
          unissuedPrepayStos: stos(pools.prepay),
          communityPoolStos: stos(pools.communityPool),
          metaBondedStos: stos(pools.metaBonded),
          resourceBondedStos: stos(pools.resourceBonded),
          balancesStos: sc ? stos(sc.breakdown.balances ?? 0n) : null,
        }
      : null,
    market: ledger ? { ozonePrice: ledger.price() ?? null, S_wei: String(ledger.S), P_wei: String(ledger.P), L_noz: String(ledger.L) } : null,
    users: {
      count: run.users.count,
      prepays: run.users.prepays,
      prepaidStos: stos(run.users.prepaidWei),
      prepaysRefused: run.users.refused,
      requests: t.requests,
      unservedRequests: t.unserved,
      demandNoz: Math.round(t.demandNoz),
      servedNoz: Math.round(t.servedNoz),
    },
    resourceNodes: {
      count: run.nodes.count,
      suspensions: t.suspensions,
      restorations: t.restorations,
      suspendedAtEnd: run.nodes.suspendedCount(),
      slashedStos: stos(t.slashedWei),
    },
    attackers: attackers.rows.map((r) => Object.fromEntries(attackers.columns.map((c, i) => [c, typeof r[i] === "bigint" ? String(r[i]) : r[i]]))),
    supplyOk: sc?.ok ?? false,
    ledgerDigestsAgree: digests.size <= 1,
    correctReplicasInSync: synced.length === up.length,
    economicChecks: run.economicChecks,
    violationCount: run.violations.length,
    warnings: [...run.pbftWarnings, ...potWarnings(run)],
  };
  // The PBFT world's schedule holds its consensus rows only; this one adds the economic rows.
  const pbftTables = run.pbftOutput.tables.map((tb) => (tb.name === "schedule" ? scheduleTable(run.schedule, now) : tb));
  const tables: Table[] = [...pbftTables, m.epochsTable(), m.resourceTable(), metaTable(run), attackers];
  return { summary, tables, violations: run.violations };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Actor classes the scenario declared that never acted, attacks that never fired and outages that
 * never started, from the world's own counters. The users, resource nodes and meta nodes of every
 * PoT run are declared; a coalition, a Sybil group and an outage are declared by `attacks`. Traffic
 * and reports are settled per epoch: a run that ended before its first epoch did gets that one
 * warning instead of theirs.
 */
export function potWarnings(run: PotRun): RunWarning[] {
  const out: RunWarning[] = [];
  const m = run.metrics;
  const t = run.totals;
  const end = `t=${Number(run.now.toPrecision(12))} s`;
  const epochEnded = run.epochs >= 1 && run.now >= run.epochLength;
  if (!epochEnded) {
    out.push({
      code: "no-epoch-completed",
      message: `the run ended at ${end}, before its first epoch (${run.epochLength} s) ended: no traffic was settled, no report submitted`,
    });
  }
  const u = run.users;
  if (u.count > 0 && u.prepays === 0) {
    const refused = u.refused > 0 ? `${plural(u.refused, "prepay")} refused by the chain` : "no prepay reached the chain";
    out.push({ code: "users-never-prepaid", message: `none of the ${plural(u.count, "user")} ever prepaid: ${refused}, ${t.submitted.prepays} submitted` });
  }
  if (epochEnded && run.nodes.count > 0 && t.servedNoz === 0) {
    out.push({
      code: "no-traffic-served",
      message: `the ${plural(run.nodes.count, "resource node")} served no traffic: ${plural(t.requests, "user request")}, ${t.unserved} unserved (no ozone or no node online)`,
    });
  }
  if (epochEnded && m.accepted === 0) {
    const reasons = [...m.rejectedByReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `${r} ×${n}`);
    out.push({
      code: "no-report-accepted",
      message:
        `no volume report was accepted: ${t.submitted.reports} submitted, ${m.rejected} rejected${reasons.length > 0 ? ` (${reasons.join(", ")})` : ""}, ` +
        `${plural(m.skipped, "epoch")} without traffic to report`,
    });
  }
  // The last epoch that ended (a run stopped early, e.g. by --until, ends before the scenario's last).
  const lastEpoch = Math.min(run.epochs, Math.floor(run.now / run.epochLength + 1e-9));
  const afterLast = (from: number) => `its first epoch (${from}) is after the run's last (${lastEpoch})`;
  run.coalitions.forEach((c, i) => {
    if ((m.inflated.get(i)?.submitted ?? 0) > 0) return;
    const why =
      c.fromEpoch > lastEpoch
        ? afterLast(c.fromEpoch)
        : `none of its members reported an epoch with traffic from ${c.fromEpoch} to ${Math.min(c.toEpoch, lastEpoch)}`;
    out.push({ code: "attack-never-fired", message: `coalition ${i} (meta nodes ${c.members.join(", ")}) never submitted an inflated report: ${why}` });
  });
  for (const g of run.sybils) {
    if (g.costWei > 0n) continue;
    const why = g.spec.fromEpoch > lastEpoch ? afterLast(g.spec.fromEpoch) : "its prepays were refused or never reached the chain";
    out.push({ code: "attack-never-fired", message: `Sybil group ${g.group} never prepaid, so it never downloaded its own files: ${why}` });
  }
  run.outageNodes.forEach((nodes, i) => {
    const startSec = run.outageStartsSec[i]!;
    if (nodes.length === 0) out.push({ code: "fault-never-triggered", message: `offline outage ${i} takes no resource node offline` });
    else if (startSec >= run.now) {
      out.push({ code: "fault-never-triggered", message: `offline outage ${i} starts at t=${Number(startSec.toPrecision(12))} s, at or after the end of the run (${end})` });
    }
  });
  return out;
}

/** The settlement rule's figures, only when one applies (runs without one keep their summary as it was). */
function settlementSummary(run: PotRun): { settleFraction: number; carriedNoz: number } | Record<string, never> {
  const fraction = run.settleFraction;
  return fraction < 1 ? { settleFraction: fraction, carriedNoz: run.committee.carriedNoz } : {};
}

function metaTable(run: PotRun): Table {
  const rows: Cell[][] = run.committee.metas.map((meta) => {
    const mining = run.metrics.metaMining.get(meta.wallet) ?? 0n;
    const traffic = run.metrics.metaTraffic.get(meta.wallet) ?? 0n;
    const c = run.coalitions.findIndex((k) => k.members.includes(meta.index));
    return [meta.index, meta.address, meta.wallet, mining, traffic, mining + traffic, c >= 0 ? c : null, run.pbft.config.n + meta.index];
  });
  return { name: "meta_rewards", columns: ["meta", "address", "wallet", "mining_wei", "traffic_wei", "total_wei", "coalition", "node"], rows };
}

function attackersTable(run: PotRun): Table {
  const rows: Cell[][] = [];
  const roc = (rewards: bigint, cost: bigint): number | null => (cost > 0n ? round(weiToStos(rewards - cost) / weiToStos(cost), 9) : null);
  run.sybils.forEach((g) => {
    let rewards = 0n;
    for (const w of g.wallets) {
      const r = run.metrics.walletRewards(w);
      rewards += r.mining + r.traffic;
    }
    rows.push([`sybil${g.group}`, g.costWei, rewards, roc(rewards, g.costWei), "sybil", g.wallets.length, rewards - g.costWei]);
  });
  run.coalitions.forEach((c, i) => {
    const s = run.metrics.inflated.get(i);
    const rewards = s?.rewardsWei ?? 0n;
    rows.push([`coalition${i}`, 0n, rewards, null, "coalition", c.members.length, rewards]);
  });
  run.outageNodes.forEach((nodes, i) => {
    let rewards = 0n;
    for (const j of nodes) {
      const r = run.metrics.walletRewards(run.nodes.wallets[j]!);
      rewards += r.mining + r.traffic;
    }
    let debt = 0n;
    const l = run.ledger;
    if (l) for (const j of nodes) debt += l.debt(run.nodes.wallets[j]!);
    rows.push([`offline${i}`, debt, rewards, roc(rewards, debt), "offline", nodes.length, rewards - debt]);
  });
  return { name: "attackers", columns: ["group", "cost_wei", "rewards_wei", "return_on_cost", "kind", "members", "profit_wei"], rows };
}

/** The ledger of the lowest-id correct replica that is up (where metrics are read). */
export function metricsLedger(pbft: PbftWorld, faulty: ReadonlySet<number>): PotLedger | undefined {
  for (const h of pbft.hosts.replicas) {
    if (!h.shadow && h.up && !faulty.has(h.replicaId)) return ledgerOf(h);
  }
  return undefined;
}

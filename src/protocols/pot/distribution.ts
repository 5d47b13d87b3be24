// Steps A–D and F of a volume report (spec §4) for given pre-state amounts, the report's totals, and
// the rolling TotalReward history digest: pure functions of their inputs, memoised in a ReportMemo that
// the replicas of one world share (PotSharedCache.reports). Replicas execute the same report on equal
// states one after the other, so the same bigint arithmetic is not redone per replica; an entry is only
// reused when every input is equal, which can never change a result.
// May import: ./dec, ./formulas, ./report (types), ./sha256.

import { intToRaw, truncRaw } from "./dec.js";
import { type MetaNodeReward, metaNodeReward, miningSplit, type Split, type StageLookup, splitRaw, trafficRewardRaw } from "./formulas.js";
import type { PreparedReport, ResourcePlan } from "./report.js";
import { sha256Hex } from "./sha256.js";

/** Steps A–D and F of a report for given pre-state amounts (pure; Y is the report's). */
export interface Distribution {
  readonly S: bigint;
  readonly P: bigint;
  readonly L: bigint;
  readonly stage: StageLookup;
  readonly nMeta: number;
  readonly tau: bigint;
  readonly R: bigint;
  readonly t: Split;
  readonly m: Split;
  readonly mr: MetaNodeReward | undefined;
}

/** What one class of recipients received from a report: mining (from the foundation) and traffic (from P). */
export interface ClassReward {
  readonly miningWei: bigint;
  /** Traffic reward actually paid (for nodes: after the community tax). */
  readonly trafficWei: bigint;
}

/**
 * A report's rewards per class of recipient, with what stayed behind. Traffic: validators + resource
 * nodes + meta nodes + community tax + `trafficUnpaidRaw` = R exactly. Mining: the three classes' mining
 * + `miningUnpaidWei` = the stage reward (0 out of issuance).
 */
export interface RewardsByClass {
  /** To fee_collector (validators and delegators). */
  readonly validators: ClassReward;
  /** Σ over the report's list entries. */
  readonly resourceNodes: ClassReward;
  /** Σ over the `count` bonded meta nodes (each receives `count`-th of these). */
  readonly metaNodes: ClassReward & { readonly count: number };
  /** ⌊Σ tax⌋ to the community pool. */
  readonly communityTaxWei: bigint;
  /** R − traffic that left P (Dec raw): the truncation dust that stays in P; negative when share rounding overshoots. */
  readonly trafficUnpaidRaw: bigint;
  /** Stage reward − ΔM: the mining dust that stays in the foundation (negative on share-rounding overshoot). */
  readonly miningUnpaidWei: bigint;
}

export interface ReportTotals {
  readonly plan: ResourcePlan;
  readonly k: number;
  readonly taxRaw: bigint;
  readonly taxWei: bigint;
  readonly toRewardFromFoundation: bigint;
  readonly toRewardFromPrepay: bigint;
  readonly minedIncrement: bigint;
  readonly trafficTotal: bigint;
  readonly byClass: RewardsByClass;
}

const ZERO_SPLIT: Split = Object.freeze({ validators: 0n, resource: 0n, meta: 0n });

/** One world's memo of report distributions, totals and the last history step (see the header). */
export class ReportMemo {
  /** The last distribution computed for each report. */
  private readonly distributions = new WeakMap<PreparedReport, Distribution>();
  /** The last totals computed for each distribution. */
  private readonly totalsOf = new WeakMap<Distribution, ReportTotals>();
  private lastHistory: { prev: string; epoch: number; mined: bigint; traffic: bigint; hash: string } | undefined;

  /** Steps A–D and F of report `r` on pre-state (S, P, L), stage, paid meta count and τ. */
  distribution(r: PreparedReport, S: bigint, P: bigint, L: bigint, stage: StageLookup, nMeta: number, tau: bigint): Distribution {
    const d = this.distributions.get(r);
    if (
      d &&
      d.S === S &&
      d.P === P &&
      d.L === L &&
      d.stage.param === stage.param &&
      d.stage.outOfIssuance === stage.outOfIssuance &&
      d.nMeta === nMeta &&
      d.tau === tau
    ) {
      return d;
    }
    // Frozen: replicas' report breakdowns share these objects.
    const R = trafficRewardRaw(S, P, L, r.totalVolume);
    const t = Object.freeze(splitRaw(R, stage.param));
    const m = stage.outOfIssuance ? ZERO_SPLIT : Object.freeze(miningSplit(stage.param));
    const mr = nMeta > 0 ? Object.freeze(metaNodeReward(m.meta, t.meta, nMeta, tau)) : undefined;
    const out: Distribution = { S, P, L, stage, nMeta, tau, R, t, m, mr };
    this.distributions.set(r, out);
    return out;
  }

  /** The report's totals for a distribution, resource plan and paid meta count. */
  totals(d: Distribution, plan: ResourcePlan, paidMetas: number): ReportTotals {
    const memo = this.totalsOf.get(d);
    if (memo && memo.plan === plan && memo.k === paidMetas) return memo;
    const { t, m, mr } = d;
    const k = BigInt(paidMetas);
    const taxRaw = plan.taxSumRaw + (mr ? mr.taxRaw * k : 0n);
    const taxWei = truncRaw(taxRaw);
    const toRewardFromFoundation = plan.miningSum + (mr ? mr.mining : 0n) * k;
    const toRewardFromPrepay = plan.paidSum + (mr ? mr.paid : 0n) * k;
    const minedIncrement = m.validators + toRewardFromFoundation;
    const trafficTotal = t.validators + toRewardFromPrepay + taxWei;
    const stageReward = d.stage.outOfIssuance ? 0n : d.stage.param.rewardWei;
    // Frozen: replicas' results share it.
    const byClass: RewardsByClass = Object.freeze({
      validators: Object.freeze({ miningWei: m.validators, trafficWei: t.validators }),
      resourceNodes: Object.freeze({ miningWei: plan.miningSum, trafficWei: plan.paidSum }),
      metaNodes: Object.freeze({ count: paidMetas, miningWei: (mr ? mr.mining : 0n) * k, trafficWei: (mr ? mr.paid : 0n) * k }),
      communityTaxWei: taxWei,
      trafficUnpaidRaw: d.R - intToRaw(trafficTotal),
      miningUnpaidWei: stageReward - minedIncrement,
    });
    const totals = { plan, k: paidMetas, taxRaw, taxWei, toRewardFromFoundation, toRewardFromPrepay, minedIncrement, trafficTotal, byClass };
    this.totalsOf.set(d, totals);
    return totals;
  }

  /** The rolling TotalReward history digest after one more entry (the last step is kept for the next replica). */
  historyStep(prev: string, epoch: number, mined: bigint, traffic: bigint): string {
    const h = this.lastHistory;
    if (h && h.prev === prev && h.epoch === epoch && h.mined === mined && h.traffic === traffic) return h.hash;
    const hash = sha256Hex(`${prev}|${epoch}|${mined}|${traffic}`);
    this.lastHistory = { prev, epoch, mined, traffic, hash };
    return hash;
  }
}

// The mining schedule as data (spec §5): each stage's range of M, reward and split, and how many reports
// ("epochs") it lasts at its full reward, placed on a time axis at a given epoch length.

import type { MiningRewardParam, PotParams } from "./params.js";

/** One stage of the schedule (its parameters: paid while startWei ≤ M < endWei), seen from a given M. */
export interface StageSpan extends MiningRewardParam {
  /** 1-based stage index. */
  readonly stage: number;
  /**
   * Reports at the full reward from max(start, M) to the end: ⌈(end − max(start, M)) / reward⌉ (0 for a
   * stage already passed, Infinity for a zero reward). Nominal: the real count is a little higher when
   * truncation leaves dust in the foundation, and the report that crosses the end still pays this stage.
   */
  readonly nominalEpochs: number;
  /** First and last epoch of the stage, counting reports from `fromEpoch` + 1 (an empty range, end < start, for a passed stage). */
  readonly startEpoch: number;
  readonly endEpoch: number;
  /** Start and end of the stage in seconds from the state given, at one report per `epochLengthSec`. */
  readonly startSec: number;
  readonly endSec: number;
  readonly durationSec: number;
}

export interface ScheduleOptions {
  /** Seconds per epoch (one accepted report per epoch); the intended cadence is 600. */
  readonly epochLengthSec: number;
  /** M to count from. Default 0. */
  readonly totalMinedWei?: bigint;
  /** E_last to count epochs from. Default 0. */
  readonly fromEpoch?: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The stage schedule of `params` (or a list of stages) from M = `totalMinedWei`, at `epochLengthSec` per report. */
export function stageSchedule(params: PotParams | readonly MiningRewardParam[], opts: ScheduleOptions): StageSpan[] {
  const stages = "miningRewardParams" in params ? params.miningRewardParams : params;
  const { epochLengthSec } = opts;
  if (!(Number.isFinite(epochLengthSec) && epochLengthSec > 0)) throw new RangeError(`epochLengthSec must be a positive number, got ${epochLengthSec}`);
  const M = opts.totalMinedWei ?? 0n;
  const fromEpoch = opts.fromEpoch ?? 0;
  let before = 0; // reports before this stage starts
  return stages.map((p, i) => {
    const from = M > p.startWei ? M : p.startWei;
    let nominal: number;
    if (from >= p.endWei) nominal = 0;
    else if (p.rewardWei <= 0n) nominal = Number.POSITIVE_INFINITY;
    else {
      const n = (p.endWei - from + p.rewardWei - 1n) / p.rewardWei;
      if (n > MAX_SAFE) throw new RangeError(`stage ${i + 1} lasts ${n} reports, beyond a safe integer`);
      nominal = Number(n);
    }
    const span: StageSpan = {
      stage: i + 1,
      startWei: p.startWei,
      endWei: p.endWei,
      rewardWei: p.rewardWei,
      resourceBp: p.resourceBp,
      metaBp: p.metaBp,
      chainBp: p.chainBp,
      nominalEpochs: nominal,
      startEpoch: fromEpoch + before + 1,
      endEpoch: fromEpoch + before + nominal,
      startSec: before * epochLengthSec,
      endSec: (before + nominal) * epochLengthSec,
      durationSec: nominal * epochLengthSec,
    };
    before += nominal;
    return span;
  });
}

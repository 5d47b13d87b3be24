// The PoT library as a researcher uses it: a ledger started at a chosen state, operations' full
// breakdowns (checked against hand computations from spec §4, §6.2, §8), one-call report submission in
// explicit block mode, the stage schedule as data, and a report built by hand from the exported pieces.
// The canonical reply texts (resultText) of the extended results stay byte-for-byte what they were.

import { describe, expect, it } from "vitest";
import {
  blsAggregate,
  defaultParams,
  executeOp,
  genesisAtState,
  intToRaw,
  ledgerAtState,
  mainnetGenesis,
  ONE,
  parseRaw,
  reportSignBytes,
  resultText,
  STOS,
  sha256Hex,
  stageSchedule,
  stateMetaAddress,
  stateMetaOwner,
  submitVolumeReport,
  type VolumeReportOp,
} from "../../../src/protocols/pot/index.js";
import { expectOk } from "./helpers.js";

const R_RATE = 10n ** 6n; // r = 10^6 wei/noz (defaultParams)

/** q(n/d) for non-negative integers n, d (Dec raw), by hand: ⌊n·10^36/d⌋ rounded half-even at 18 decimals. */
function q(n: bigint, d: bigint): bigint {
  const t = (n * ONE * ONE) / d;
  const u = t / ONE;
  const r = t % ONE;
  return 2n * r < ONE ? u : 2n * r > ONE ? u + 1n : u % 2n === 0n ? u : u + 1n;
}

describe("ledgerAtState", () => {
  it("starts at exactly the S, P, L, M, E_last and n_meta asked for, with supply conserved", () => {
    const S = 1_234_567n * STOS + 89n;
    const P = 50_000n * STOS;
    const L = 1_000_000_000_000n;
    const M = 20_000_000n * STOS; // stage 2
    const l = ledgerAtState({ effectiveDepositWei: S, unissuedPrepayWei: P, remainingOzoneLimitNoz: L, totalMinedWei: M, lastEpoch: 41, metaNodes: 4 });
    expect([l.S, l.P, l.L, l.M, l.lastEpoch, l.bondedMetaCount]).toEqual([S, P, L, M, 41, 4]);
    expect(l.stage()).toEqual({ stage: 2, outOfIssuance: false });
    expect(l.pools().foundation).toBe(40_000_000n * STOS - M);
    expect(l.bondedMetaNodes().map((n) => [n.networkAddress, n.owner])).toEqual([1, 2, 3, 4].map((i) => [stateMetaAddress(i), stateMetaOwner(i)]));
    // Equal deposits, the remainder on the first.
    const deposits = l.bondedMetaNodes().map((n) => n.tokens);
    expect(deposits.reduce((a, b) => a + b, 0n)).toBe(S);
    expect(deposits[0]! - deposits[1]!).toBe(S % 4n);
    expect(l.totalSupplyCheck().ok).toBe(true);
    expect(l.checkInvariants()).toEqual([]);
    expect(parseRaw(l.price()!)).toBe(q(S + P, L));
  });

  it("defaults: L = ⌊S/r⌋ with P = 0; with P > 0 the limit left by one prepay of P from that fresh start", () => {
    const S = 777n * STOS;
    expect(ledgerAtState({ effectiveDepositWei: S }).L).toBe(S / R_RATE);
    const P = 123n * STOS;
    const fromState = ledgerAtState({ effectiveDepositWei: S, unissuedPrepayWei: P });
    const history = ledgerAtState({ effectiveDepositWei: S, accounts: [{ address: "u", balanceWei: P }] });
    expectOk(history.prepay("u", P));
    expect(fromState.L).toBe(history.L);
    expect(fromState.P).toBe(history.P);
    expect(fromState.price()).toBe(history.price());
    // By hand: ⌊q(L0·P/(S+P))⌋ bought.
    expect(fromState.L).toBe(S / R_RATE - q((S / R_RATE) * P, S + P) / ONE);
  });

  it("raises the initial total supply when the state holds more than 100 M STOS, so nothing is restored", () => {
    const S = 90_000_000n * STOS;
    const l = ledgerAtState({ effectiveDepositWei: S, unissuedPrepayWei: 30_000_000n * STOS }, { blockMode: "explicit" });
    expect(l.params.initialTotalSupplyWei).toBe(S + 30_000_000n * STOS + 40_000_000n * STOS);
    l.beginBlock(0);
    const end = l.endBlock(); // height 1: RestoreTotalSupply runs
    expect([end.mintedWei, end.burnedWei]).toEqual([0n, 0n]);
    expect(l.totalSupplyCheck().ok).toBe(true);
  });

  it("refuses states that cannot exist, naming the field", () => {
    const S = 1000n * STOS;
    expect(() => genesisAtState({ effectiveDepositWei: S, remainingOzoneLimitNoz: S / R_RATE + 1n, unissuedPrepayWei: 1n })).toThrow(/remainingOzoneLimitNoz/);
    expect(() => genesisAtState({ effectiveDepositWei: 3n, metaNodes: 4 })).toThrow(/meta nodes/);
    expect(() => genesisAtState({ effectiveDepositWei: S, metaNodes: 0 })).toThrow(/metaNodes/);
    expect(() => genesisAtState({ effectiveDepositWei: S, unissuedPrepayWei: -1n })).toThrow(/unissuedPrepayWei/);
    expect(() => genesisAtState({ effectiveDepositWei: S, remainingOzoneLimitNoz: 0n })).toThrow(/fresh start/);
    expect(() =>
      genesisAtState({
        effectiveDepositWei: S,
        resourceNodes: [{ networkAddress: "rn", owner: "o", tokensWei: S, effectiveTokensWei: S }],
      }),
    ).toThrow(/resource nodes/);
  });

  it("counts resource nodes' effective deposits in S (and a suspension takes them out)", () => {
    const S = 1000n * STOS;
    const l = ledgerAtState({
      effectiveDepositWei: S,
      metaNodes: 3,
      resourceNodes: [{ networkAddress: "rn1", owner: "rn-owner", tokensWei: 200n * STOS, effectiveTokensWei: 100n * STOS }],
    });
    expect(l.S).toBe(S);
    expect(l.bondedMetaNodes().reduce((a, n) => a + n.tokens, 0n)).toBe(900n * STOS);
    expect(l.resourceNode("rn1")?.effectiveTokens).toBe(100n * STOS);
  });
});

describe("full breakdowns", () => {
  const S = 1000n * STOS;
  const fresh = () => ledgerAtState({ effectiveDepositWei: S, metaNodes: 3, accounts: [{ address: "u", balanceWei: 10n * STOS }] });

  it("prepay: the quotient before truncation and S, P, L before and after", () => {
    const l = fresh();
    const L0 = S / R_RATE; // 10^15 noz
    const X = STOS;
    const v = expectOk(l.prepay("u", X));
    // q(10^15·10^18 / 1001·10^18) = 999000999000.999000999000999000999… → …999001 at 18 decimals.
    expect(v.quotientRaw).toBe(999_000_999_000_999_000_999_000_999_001n);
    expect(v.quotientRaw).toBe(q(L0 * X, S + X));
    expect(v.purchasedNoz).toBe(999_000_999_000n);
    expect(v.before).toEqual({ effectiveDepositWei: S, unissuedPrepayWei: 0n, remainingOzoneLimitNoz: L0 });
    expect(v.after).toEqual({ effectiveDepositWei: S, unissuedPrepayWei: X, remainingOzoneLimitNoz: L0 - 999_000_999_000n });
    expect(resultText({ ok: true, type: "prepay", value: v })).toBe("ok:prepay:purchasedNoz=999000999000");
  });

  it("slashing: the traffic reward before truncation, the debt, and the ozone change of the suspension", () => {
    const l = ledgerAtState({
      effectiveDepositWei: S,
      unissuedPrepayWei: 10n * STOS,
      metaNodes: 3,
      resourceNodes: [{ networkAddress: "rn1", owner: "rn-owner", tokensWei: 300n * STOS, effectiveTokensWei: 250n * STOS + 1n }],
    });
    const [P, L] = [l.P, l.L];
    const Y = 7_000_000_000n;
    const reporters = { reporters: [stateMetaAddress(1)], reporterOwners: [stateMetaOwner(1)] };
    const v = expectOk(l.slashResourceNode(reporters, "rn1", "rn-wallet", Y, true));
    // R = q(q((S+P)·Y)/(L+Y)); the product of integers is exact.
    const R = q((S + P) * Y, L + Y);
    expect(v.trafficRewardRaw).toBe(R);
    expect(v.slashedWei).toBe(R / ONE);
    expect(v.debtWei).toBe(R / ONE);
    expect(l.debt("rn-wallet")).toBe(R / ONE);
    expect(v.suspended).toBe(true);
    expect(v.effectiveDepositRemovedWei).toBe(250n * STOS + 1n);
    // q(Z/r) = 250·10^12 + 10^-6 noz; L falls by ⌊L − q(Z/r)⌋ toward zero.
    expect(v.ozoneLimitDeltaRaw).toBe(q(250n * STOS + 1n, R_RATE));
    expect(v.ozoneLimitDeltaRaw).toBe(250n * 10n ** 12n * ONE + 10n ** 12n);
    expect(v.after.remainingOzoneLimitNoz).toBe((intToRaw(L) - v.ozoneLimitDeltaRaw) / ONE);
    expect(v.ozoneLimitChangeNoz).toBe(L - l.L);
    expect(v.before).toEqual({ effectiveDepositWei: S, unissuedPrepayWei: P, remainingOzoneLimitNoz: L });
    expect(v.after.effectiveDepositWei).toBe(S - 250n * STOS - 1n);
    expect(resultText({ ok: true, type: "slashResourceNode", value: v })).toBe(`ok:slashResourceNode:slashedWei=${R / ONE}`);
    // A second slashing of the suspended node: debt adds up, no ozone change.
    const again = expectOk(l.slashResourceNode(reporters, "rn1", "rn-wallet", Y, true));
    expect([again.suspended, again.effectiveDepositRemovedWei, again.ozoneLimitDeltaRaw, again.ozoneLimitChangeNoz]).toEqual([false, 0n, 0n, 0n]);
    expect(again.debtWei).toBe(R / ONE + again.slashedWei);
  });

  it("volume report: rewards per class add up to R and to the stage reward; the reply text is unchanged", () => {
    const l = ledgerAtState({ effectiveDepositWei: 9_900n * 7n * STOS, unissuedPrepayWei: 5_000n * STOS, totalMinedWei: 1_000_000n * STOS });
    const L = l.L;
    const P = l.P;
    const op = submitVolumeReport(l, { walletVolumes: { a: 3_000_000_007n, b: 1_999_999_999n, c: 1n } }).op;
    const done = l.lastReport()!;
    const c = done.byClass;
    const R = q((l.S + P) * 5_000_000_007n, L + 5_000_000_007n);
    expect(done.trafficRewardRaw).toBe(R);
    const traffic = c.validators.trafficWei + c.resourceNodes.trafficWei + c.metaNodes.trafficWei + c.communityTaxWei;
    expect(intToRaw(traffic) + c.trafficUnpaidRaw).toBe(R);
    expect(traffic).toBe(done.trafficTotal);
    expect(c.validators.miningWei + c.resourceNodes.miningWei + c.metaNodes.miningWei + c.miningUnpaidWei).toBe(80n * STOS);
    expect(c.validators.miningWei + c.resourceNodes.miningWei + c.metaNodes.miningWei).toBe(done.minedIncrement);
    // Against the per-entry and per-meta-node breakdown.
    expect(c.resourceNodes.trafficWei).toBe(done.resource.paid.reduce((a, b) => a + b, 0n));
    expect(c.resourceNodes.miningWei).toBe(done.resource.mining.reduce((a, b) => a + b, 0n));
    expect(c.metaNodes).toEqual({ count: 7, miningWei: done.meta.mining * 7n, trafficWei: done.meta.paid * 7n });
    expect(c.validators).toEqual({ miningWei: 16n * STOS, trafficWei: done.trafficSplit.validators });
    expect(c.communityTaxWei).toBe(done.communityTaxWei);
    // 7 meta nodes leave 2 wei of 16 STOS in the foundation (vector meta_node_equal_split_7_nodes).
    expect(c.miningUnpaidWei).toBe(2n);
    // The canonical reply text of the same report on an equal ledger is what it always was.
    const twin = ledgerAtState({ effectiveDepositWei: 9_900n * 7n * STOS, unissuedPrepayWei: 5_000n * STOS, totalMinedWei: 1_000_000n * STOS });
    const text = resultText(executeOp(twin, op));
    const rText = `${R / ONE}.${(R % ONE).toString().padStart(18, "0")}`;
    expect(text).toBe(`ok:volumeReport:epoch=1;Y=5000000007;R=${rText};stage=1;mined=${done.minedIncrement};traffic=${done.trafficTotal};matured=0`);
  });
});

describe("submitVolumeReport", () => {
  it("signs by every bonded meta node and runs one block in explicit mode; maturity runs at its end", () => {
    const l = ledgerAtState({ effectiveDepositWei: 3000n * STOS, unissuedPrepayWei: 100n * STOS, metaNodes: 3, params: { ...defaultParams(), matureEpoch: 1 } }, { blockMode: "explicit" });
    const first = submitVolumeReport(l, { walletVolumes: [{ wallet: "w", volume: 1000 }], timeSec: 600 });
    expect(first.outcome.ok).toBe(true);
    expect(first.op.signers).toEqual(["meta-1", "meta-2", "meta-3"]);
    expect(first.op.reporter).toBe("meta-1");
    expect(first.endBlock?.height).toBe(1);
    expect(l.blockOpen).toBe(false);
    expect(l.lastEpoch).toBe(1);
    const second = submitVolumeReport(l, { walletVolumes: { w: 2000 }, timeSec: 1200 });
    expect(second.outcome.ok && second.outcome.value.epoch).toBe(2);
    // matureEpoch 1: the first report's key (2) matures in the second block's EndBlocker.
    expect(second.endBlock!.matured.keys).toBeGreaterThan(0);
    expect(l.mature("w")).toBe(first.breakdown!.resource.mining[0]! + first.breakdown!.resource.paid[0]!);
  });

  it("reports the ledger's refusal (too few signers) with nothing changed, and will not run inside an open block", () => {
    const l = ledgerAtState({ effectiveDepositWei: 3000n * STOS, unissuedPrepayWei: 100n * STOS, metaNodes: 7 }, { blockMode: "explicit" });
    const digest = l.stateDigest();
    const r = submitVolumeReport(l, { walletVolumes: { w: 1 }, signers: ["meta-1", "meta-2", "meta-3"] });
    expect(r.outcome).toEqual({ ok: false, reason: "bls_quorum_not_reached" });
    expect(r.breakdown).toBeUndefined();
    expect(l.lastEpoch).toBe(0);
    expect(l.S).toBe(3000n * STOS);
    expect(l.stateDigest()).not.toBe(digest); // one empty block ran (height 1)
    expect(l.height).toBe(1);
    l.beginBlock(5);
    expect(() => submitVolumeReport(l, { walletVolumes: { w: 1 } })).toThrow(/endBlock/);
  });

  it("works in implicit mode as one operation", () => {
    const l = ledgerAtState({ effectiveDepositWei: 3000n * STOS, unissuedPrepayWei: 100n * STOS, metaNodes: 3 });
    const r = submitVolumeReport(l, { walletVolumes: { w: 10 }, epoch: 9 });
    expect(r.outcome.ok).toBe(true);
    expect(r.endBlock).toBeUndefined();
    expect(l.lastEpoch).toBe(9);
  });
});

describe("stageSchedule", () => {
  it("mainnet from M = 1 M STOS at 10-minute epochs: stage 1 lasts 197,740 reports, stages 2-5 about four years each", () => {
    const s = stageSchedule(mainnetGenesis().params, { epochLengthSec: 600, totalMinedWei: 1_000_000n * STOS });
    expect(s.map((x) => x.nominalEpochs)).toEqual([197_740, 210_240, 210_240, 210_240, 210_240, 2_965_120]);
    expect(s.map((x) => x.rewardWei)).toEqual([80n, 40n, 20n, 10n, 5n].map((n) => n * STOS).concat([(5n * STOS) / 2n]));
    expect(s[1]!.durationSec).toBe(210_240 * 600);
    expect(s[1]!.durationSec / 86_400).toBe(1460);
    expect([s[0]!.startEpoch, s[0]!.endEpoch, s[1]!.startEpoch]).toEqual([1, 197_740, 197_741]);
    expect([s[0]!.startSec, s[0]!.endSec, s[1]!.startSec]).toEqual([0, 197_740 * 600, 197_740 * 600]);
    expect(s[0]!.startWei).toBe(0n);
    expect(s[5]!.endWei).toBe(40_000_000n * STOS);
  });

  it("a stage already passed lasts 0 epochs; a remainder needs one more report; a list of stages works too", () => {
    const stages = defaultParams().miningRewardParams;
    const s = stageSchedule(stages, { epochLengthSec: 60, totalMinedWei: 16_819_200n * STOS + 1n, fromEpoch: 100 });
    expect(s[0]!.nominalEpochs).toBe(0);
    expect(s[0]!.endEpoch).toBeLessThan(s[0]!.startEpoch);
    // (25,228,800 − 16,819,200) STOS − 1 wei at 40 STOS: 210,240 reports (the last one partial).
    expect(s[1]!.nominalEpochs).toBe(210_240);
    expect(s[1]!.startEpoch).toBe(101);
    expect(() => stageSchedule(stages, { epochLengthSec: 0 })).toThrow(RangeError);
  });
});

describe("building a report by hand from the exported pieces", () => {
  it("tx_data = sha256Hex(reportSignBytes), signature = blsAggregate(tx_data, signers): accepted", () => {
    const l = ledgerAtState({ effectiveDepositWei: 3000n * STOS, unissuedPrepayWei: 100n * STOS, metaNodes: 3 });
    const fields = { reporter: "meta-2", reporterOwner: "meta-owner-2", epoch: 1, reportReference: "by-hand", walletVolumes: [{ wallet: "w", volume: "42" }] };
    const txData = sha256Hex(reportSignBytes(fields));
    const signers = ["meta-1", "meta-3"];
    const op: VolumeReportOp = { type: "volumeReport", ...fields, signers, txData, signature: blsAggregate(txData, signers) };
    expect(l.volumeReport(op)).toMatchObject({ ok: true, value: { epoch: 1, totalVolume: 42n } });
    const tampered = { ...op, epoch: 2, txData: sha256Hex("something else") };
    expect(l.volumeReport(tampered)).toEqual({ ok: false, reason: expect.stringMatching(/tx_data|signature/) });
  });
});

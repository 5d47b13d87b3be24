// PotLedger operations other than the report itself: genesis, prepay, maturity and withdrawal,
// slashing debt across epochs, node lifecycles and votes, and supply conservation over long sequences.

import { describe, expect, it } from "vitest";
import {
  buildInflatedVolumeReportOp,
  decreaseOzoneLimit,
  defaultGenesis,
  increaseOzoneLimit,
  isUnbondable,
  mainnetGenesis,
  PotLedger,
  parseRaw,
  STOS,
  trafficRewardRaw,
  truncRaw,
  validateParams,
} from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, Lcg, META_OWNER, report, smallGenesis } from "./helpers.js";

const VOLS = { rw1: 600_000_000, rw2: 300_000_000, rw3: 100_000_000 };
const m1 = { reporters: ["m1"], reporterOwners: [META_OWNER("m1")] };

describe("genesis and parameters", () => {
  it("mainnet genesis: S_0 = 69,300 STOS, L_0 = 6.93e16 noz, price 10^6, foundation 39M, M = 1M", () => {
    const l = new PotLedger(mainnetGenesis());
    expect(l.S).toBe(69_300n * STOS);
    expect(l.L).toBe(69_300_000_000_000_000n);
    expect(l.P).toBe(0n);
    expect(l.price()).toBe("1000000.000000000000000000");
    expect(l.M).toBe(1_000_000n * STOS);
    expect(l.pools().foundation).toBe(39_000_000n * STOS);
    expect(l.bondedMetaCount).toBe(7);
    expect(l.params.communityTaxRaw).toBe(parseRaw("0.01"));
    expect(l.totalSupplyCheck().ok).toBe(true);
    expect(l.balance("genesis-reserve")).toBe((100_000_000n - 39_000_000n - 69_300n) * STOS);
    expect(l.checkInvariants()).toEqual([]);
  });

  it("code defaults: τ = 0.02, 6 stages, mature epoch 2016, r = 10^6, min deposit 1 STOS, 100M supply", () => {
    const g = defaultGenesis();
    expect(g.params.communityTaxRaw).toBe(parseRaw("0.02"));
    expect(g.params.miningRewardParams.length).toBe(6);
    expect(g.params.matureEpoch).toBe(2016);
    expect(g.params.depositNozRateRaw).toBe(parseRaw("1000000"));
    expect(g.params.resourceNodeMinDepositWei).toBe(STOS);
    expect(g.params.initialTotalSupplyWei).toBe(100_000_000n * STOS);
    const l = new PotLedger(g);
    expect(l.pools().foundation).toBe(40_000_000n * STOS);
    expect(l.S).toBe(0n);
    expect(l.L).toBe(0n);
    expect(l.price()).toBeUndefined();
  });

  it("validates stage percentages and rejects over-allocated genesis", () => {
    const p = defaultGenesis().params;
    const bad = { ...p, miningRewardParams: [{ ...p.miningRewardParams[0]!, metaBp: 2001 }] };
    expect(validateParams(bad)).toEqual(["stage 1: bp values must sum to 10000"]);
    expect(validateParams({ ...p, matureEpoch: 0 })).toContain("matureEpoch must be a positive integer");
    expect(() => new PotLedger({ ...defaultGenesis(), params: bad })).toThrow(/bp values/);
    expect(() => new PotLedger(defaultGenesis({ accounts: [{ address: "whale", balanceWei: 70_000_000n * STOS }] }))).toThrow(/exceed/);
  });

  it("a non-fresh genesis keeps the exported L_0", () => {
    const l = new PotLedger(smallGenesis({ unissuedPrepayWei: 5n * STOS, remainingNozLimit: 123n }));
    expect([l.P, l.L]).toEqual([5n * STOS, 123n]);
  });
});

describe("prepay (§6.2)", () => {
  it("debits the sender, moves X into P_t, lowers L_t by the purchase", () => {
    const l = new PotLedger(smallGenesis());
    const L0 = l.L;
    const { purchasedNoz } = expectOk(l.prepay("user", 3000n * STOS));
    // S = 3000 STOS, P = 0: purchased = ⌊L·X/(S+X)⌋ = L/2.
    expect(purchasedNoz).toBe(L0 / 2n);
    expect(l.L).toBe(L0 - purchasedNoz);
    expect(l.P).toBe(3000n * STOS);
    expect(l.balance("user")).toBe(997_000n * STOS);
    expect(l.prepay("user", 0n)).toEqual({ ok: false, reason: "invalid_amount" });
    expect(l.prepay("nobody", 1n)).toEqual({ ok: false, reason: "insufficient_funds" });
  });
});

describe("maturity and withdrawal (§7)", () => {
  it("rewards of epoch e mature when E_last ≥ e + matureEpoch (reported epochs, gaps allowed)", () => {
    const l = activeLedger(); // matureEpoch = 2
    expect(l.maturedEpoch).toBe(2);
    const got: bigint[] = [];
    for (const e of [1, 2, 3]) {
      expectOk(l.volumeReport(report(e, VOLS)));
      const r = l.lastReportByWallet().get("rw1")!;
      got.push(r.mining + r.trafficAfterTax);
    }
    // After epoch 3, key 3 (epoch 1) has matured; keys 4 and 5 are pending.
    expect(l.maturedEpoch).toBe(3);
    expect(l.mature("rw1")).toBe(got[0]);
    expect(l.immature("rw1")).toBe(got[1]! + got[2]!);
    expect(l.pendingBlocks()).toBe(2);
    // Jump to epoch 10: keys 4 and 5 mature at once, key 12 stays pending.
    expectOk(l.volumeReport(report(10, VOLS)));
    const r10 = l.lastReportByWallet().get("rw1")!;
    expect(l.mature("rw1")).toBe(got[0]! + got[1]! + got[2]!);
    expect(l.immature("rw1")).toBe(r10.mining + r10.trafficAfterTax);
    expect(l.maturedEpoch).toBe(5);
    expect(l.individualReward("rw1", 12)).toEqual({ mining: r10.mining, traffic: r10.trafficAfterTax });
    expect(l.individualReward("rw1", 3)).toBeUndefined();
    expect(l.checkInvariants()).toEqual([]);
  });

  it("withdraw pays up to the matured total from the reward pool", () => {
    const l = activeLedger();
    for (const e of [1, 2, 3]) expectOk(l.volumeReport(report(e, VOLS)));
    const m = l.mature("rw1");
    const pool = l.pools().rewardPool;
    expect(l.withdraw("rw1", m + 1n)).toEqual({ ok: false, reason: "insufficient_matured_reward" });
    expectOk(l.withdraw("rw1", m - 5n, "cold-wallet"));
    expect(l.balance("cold-wallet")).toBe(m - 5n);
    expect(l.mature("rw1")).toBe(5n);
    expect(l.pools().rewardPool).toBe(pool - m + 5n);
    expectOk(l.withdraw("rw1", 5n));
    expect(l.balance("rw1")).toBe(5n);
    expect(l.checkInvariants()).toEqual([]);
  });
});

describe("slashing (§8)", () => {
  it("debt = ⌊R(Y = slashed noz)⌋ at the pre-suspension state; suspension lowers S and L", () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, VOLS)));
    const [S, P, L] = [l.S, l.P, l.L];
    const slashNoz = 5_000_000_000n;
    const expected = truncRaw(trafficRewardRaw(S, P, L, slashNoz));
    const { slashedWei } = expectOk(l.slashResourceNode(m1, "rn1", "rw1", slashNoz, true));
    expect(slashedWei).toBe(expected);
    expect(l.debt("rw1")).toBe(expected);
    const dec = decreaseOzoneLimit(S, L, 500n * STOS, l.params.depositNozRateRaw);
    expect([l.S, l.L]).toEqual([dec.S, dec.L]);
    expect(l.resourceNode("rn1")).toMatchObject({ suspended: true, effectiveTokens: 0n });
    // Suspending again changes no ozone; un-suspending via slashing(suspend=false) leaves ozone unchanged.
    expectOk(l.slashResourceNode(m1, "rn1", "rw1", 0n, true));
    expect([l.S, l.L]).toEqual([dec.S, dec.L]);
    expectOk(l.slashResourceNode(m1, "rn1", "rw1", 0n, false));
    expect(l.resourceNode("rn1")!.suspended).toBe(false);
    expect([l.S, l.L]).toEqual([dec.S, dec.L]);
    // MsgUpdateEffectiveDeposit restores the effective deposit and the ozone.
    const u = expectOk(l.updateEffectiveDeposit(m1, "rn1", 500n * STOS));
    const inc = increaseOzoneLimit(dec.S, dec.L, 500n * STOS, l.params.depositNozRateRaw);
    expect([l.S, l.L, u.change]).toEqual([inc.S, inc.L, 500n * STOS]);
    // Reporters must be meta nodes owned by the listed owners.
    expect(l.slashResourceNode({ reporters: ["m1"], reporterOwners: ["someone"] }, "rn1", "rw1", 1n, false)).toEqual({
      ok: false,
      reason: "reporter_not_meta_node_owner",
    });
  });

  it("debt is repaid from maturing rewards across epochs, to the community pool first", () => {
    const l = activeLedger();
    const rewards: bigint[] = [];
    const community: bigint[] = [];
    const taxes: bigint[] = [];
    // Debt worth about 1.5 epochs of rw1's rewards.
    expectOk(l.volumeReport(report(1, VOLS)));
    const r1 = l.lastReportByWallet().get("rw1")!;
    const debt0 = r1.mining + r1.mining / 2n;
    // Slash with a noz amount whose traffic price is at least debt0 (R is increasing in Y).
    let noz = 1n;
    while (truncRaw(trafficRewardRaw(l.S, l.P, l.L, noz)) < debt0) noz *= 2n;
    const { slashedWei } = expectOk(l.slashResourceNode(m1, "rn1", "rw1", noz, false));
    expect(l.debt("rw1")).toBe(slashedWei);
    rewards.push(r1.mining + r1.trafficAfterTax);
    for (const e of [2, 3, 4, 5]) {
      const c0 = l.pools().communityPool;
      expectOk(l.volumeReport(report(e, VOLS)));
      const r = l.lastReportByWallet().get("rw1")!;
      rewards.push(r.mining + r.trafficAfterTax);
      taxes.push(l.lastReport()!.communityTaxWei);
      community.push(l.pools().communityPool - c0);
    }
    // Epoch 3 matures epoch 1, epoch 4 epoch 2, epoch 5 epoch 3.
    let debt = slashedWei;
    let mature = 0n;
    for (let k = 0; k < 3; k++) {
      const amount = rewards[k]!;
      const ded = [debt, amount].sort((x, y) => (x < y ? -1 : 1))[0]!;
      debt -= ded;
      mature += amount - ded;
      expect(community[k + 1]).toBe(taxes[k + 1]! + ded);
    }
    expect(slashedWei > rewards[0]!).toBe(true); // the first matured reward is fully absorbed
    expect(l.debt("rw1")).toBe(debt);
    expect(l.mature("rw1")).toBe(mature);
    expect(l.checkInvariants()).toEqual([]);
  });
});

describe("resource nodes (§6.4)", () => {
  it("creation and deposits bond tokens without touching S/L; min deposit and registration switch apply", () => {
    const l = new PotLedger(smallGenesis());
    const [S, L] = [l.S, l.L];
    expect(l.createResourceNode({ networkAddress: "rnx", owner: "rn-owner-1", depositWei: STOS - 1n })).toEqual({
      ok: false,
      reason: "insufficient_deposit",
    });
    expect(l.createResourceNode({ networkAddress: "m1", owner: "rn-owner-1", depositWei: STOS })).toEqual({ ok: false, reason: "meta_node_exists" });
    expectOk(l.createResourceNode({ networkAddress: "rnx", owner: "rn-owner-1", depositWei: 10n * STOS }));
    expectOk(l.addResourceNodeDeposit("rnx", "rn-owner-1", 5n * STOS));
    expect([l.S, l.L]).toEqual([S, L]);
    expect(l.resourceNode("rnx")).toMatchObject({ tokens: 15n * STOS, effectiveTokens: 0n, suspended: true });
    expect(l.pools().resourceBonded).toBe(15n * STOS);
    const closed = new PotLedger(smallGenesis({}, { resourceNodeRegEnabled: false }));
    expect(closed.createResourceNode({ networkAddress: "rnx", owner: "rn-owner-1", depositWei: STOS }).ok).toBe(false);
  });

  it("effective-deposit decreases apply to S/L only if IsUnbondable", () => {
    const l = activeLedger();
    const rate = l.params.depositNozRateRaw;
    // Plenty of unsold ozone: the decrease applies.
    const [S0, L0] = [l.S, l.L];
    expect(isUnbondable(L0, 100n * STOS, rate)).toBe(true);
    expectOk(l.updateEffectiveDeposit(m1, "rn1", 400n * STOS));
    const d = decreaseOzoneLimit(S0, L0, 100n * STOS, rate);
    expect([l.S, l.L]).toEqual([d.S, d.L]);
    // Sell almost all ozone: a further decrease only changes the node record.
    expectOk(l.prepay("user", 900_000n * STOS));
    expect(isUnbondable(l.L, 300n * STOS, rate)).toBe(false);
    const [S1, L1] = [l.S, l.L];
    const u = expectOk(l.updateEffectiveDeposit(m1, "rn1", 100n * STOS));
    expect([l.S, l.L, u.ozoneLimitChange]).toEqual([S1, L1, 0n]);
    expect(l.resourceNode("rn1")!.effectiveTokens).toBe(100n * STOS);
    expect(l.updateEffectiveDeposit(m1, "rn1", 501n * STOS)).toEqual({ ok: false, reason: "insufficient_balance" });
    expect(l.updateEffectiveDeposit(m1, "rn1", 0n)).toEqual({ ok: false, reason: "invalid_effective_deposit" });
  });

  it("removal returns the deposit minus the owner's debt and leaves S/L as the chain does", () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, VOLS)));
    const { slashedWei } = expectOk(l.slashResourceNode(m1, "rn2", "rn-owner-2", 100_000_000n, false));
    const [S, L, bal, cp] = [l.S, l.L, l.balance("rn-owner-2"), l.pools().communityPool];
    const res = expectOk(l.removeResourceNode("rn2", "rn-owner-2"));
    expect(res).toEqual({ returnedWei: 500n * STOS - slashedWei, slashedWei });
    expect(l.balance("rn-owner-2")).toBe(bal + 500n * STOS - slashedWei);
    expect(l.pools().communityPool).toBe(cp + slashedWei);
    expect(l.debt("rn-owner-2")).toBe(0n);
    expect([l.S, l.L]).toEqual([S, L]);
    expect(l.resourceNode("rn2")).toBeUndefined();
    expect(l.checkInvariants()).toEqual([]);
  });
});

describe("meta nodes: registration, deposits, unbonding, kick", () => {
  it("registration passes at ⌊2n/3⌋+1 approvals; S/L grow by the deposit; n_meta += 1", () => {
    const l = new PotLedger(smallGenesis({ accounts: [{ address: "cand-owner", balanceWei: 2000n * STOS }] }));
    expectOk(l.createMetaNode({ networkAddress: "m4", owner: "cand-owner", depositWei: 1000n * STOS }));
    const [S, L] = [l.S, l.L];
    const vote = (voter: string, approve = true) =>
      l.voteMetaNodeRegistration({ candidate: "m4", candidateOwner: "cand-owner", voter, voterOwner: META_OWNER(voter), approve });
    expect(expectOk(vote("m1"))).toEqual({ bonded: false });
    expect(vote("m1")).toEqual({ ok: false, reason: "duplicate_vote" });
    expect(expectOk(vote("m2"))).toEqual({ bonded: false });
    expect([l.S, l.bondedMetaCount]).toEqual([S, 3]);
    expect(expectOk(vote("m3"))).toEqual({ bonded: true });
    const inc = increaseOzoneLimit(S, L, 1000n * STOS, l.params.depositNozRateRaw);
    expect([l.S, l.L, l.bondedMetaCount]).toEqual([inc.S, inc.L, 4]);
    expect(l.pools().metaBonded).toBe(4000n * STOS);
    // Deposits add to S/L.
    expectOk(l.addMetaNodeDeposit("m4", "cand-owner", 500n * STOS));
    expect(l.S).toBe(inc.S + 500n * STOS);
    expect(l.checkInvariants()).toEqual([]);
  });

  it("unbonding needs IsUnbondable; the owner's debt is taken from the deposit", () => {
    const l = activeLedger();
    // Sell nearly all ozone so that L < 1000 STOS / r.
    expectOk(l.prepay("user", 900_000n * STOS));
    expect(l.removeMetaNode("m3", META_OWNER("m3"))).toEqual({ ok: false, reason: "not_unbondable" });
    // Consume it back: L returns; then unbonding works.
    const room = 30_000_000_000_000n;
    let e = 1;
    while (!isUnbondable(l.L, 1000n * STOS, l.params.depositNozRateRaw)) expectOk(l.volumeReport(report(e++, { rw1: room })));
    expectOk(l.slashResourceNode(m1, "rn1", META_OWNER("m3"), 1_000_000n, false));
    const debt = l.debt(META_OWNER("m3"));
    const [S, L, bal] = [l.S, l.L, l.balance(META_OWNER("m3"))];
    const res = expectOk(l.removeMetaNode("m3", META_OWNER("m3")));
    expect(res).toEqual({ returnedWei: 1000n * STOS - debt, slashedWei: debt });
    const d = decreaseOzoneLimit(S, L, 1000n * STOS, l.params.depositNozRateRaw);
    expect([l.S, l.L, l.bondedMetaCount]).toEqual([d.S, d.L, 2]);
    expect(l.balance(META_OWNER("m3"))).toBe(bal + 1000n * STOS - debt);
    expect(l.checkInvariants()).toEqual([]);
  });

  it("kick: passes at ⌊2n/3⌋+1 approvals; a rejection at ⌊n/3⌋ drops the pool", () => {
    const l = new PotLedger(
      smallGenesis({
        metaNodes: ["m1", "m2", "m3", "m4"].map((a) => ({ networkAddress: a, owner: META_OWNER(a), depositWei: 1000n * STOS })),
      }),
    );
    const kick = (voter: string, approve: boolean) => l.voteKickMetaNode({ target: "m4", voter, voterOwner: META_OWNER(voter), approve });
    expect(expectOk(kick("m1", true))).toEqual({ kicked: false });
    expect(expectOk(kick("m2", false))).toEqual({ kicked: false }); // ⌊4/3⌋ = 1 rejection drops the pool
    expect(expectOk(kick("m1", true))).toEqual({ kicked: false }); // fresh pool: m1 may vote again
    expect(expectOk(kick("m2", true))).toEqual({ kicked: false });
    expect(kick("outsider", true)).toEqual({ ok: false, reason: "no_active_voter_meta_node" });
    const S = l.S;
    expect(expectOk(kick("m3", true))).toEqual({ kicked: true });
    expect([l.S, l.bondedMetaCount]).toEqual([S - 1000n * STOS, 3]);
    expect(l.metaNode("m4")).toBeUndefined();
    expect(l.checkInvariants()).toEqual([]);
  });
});

describe("supply conservation over long mixed sequences", () => {
  it("holds after every operation, including inflated reports, slashing, withdrawals and node churn", () => {
    const rnd = new Lcg(20240601);
    const l = activeLedger({}, {}, { matureEpoch: 3 });
    let epoch = 0;
    let accepted = 0;
    for (let step = 0; step < 400; step++) {
      const k = rnd.int(10);
      const room = nozSupply(l);
      if (k <= 3 && room > 0n) {
        const vols: Record<string, bigint> = {};
        for (const w of ["rw1", "rw2", "rw3", "benef-m2"]) if (rnd.int(3) > 0) vols[w] = (room * BigInt(1 + rnd.int(50))) / 1000n;
        const f = { reporter: "m1", reporterOwner: META_OWNER("m1"), epoch: ++epoch, reportReference: `r${epoch}`, walletVolumes: [] as { wallet: string; volume: string }[] };
        f.walletVolumes = Object.entries(vols).map(([wallet, v]) => ({ wallet, volume: v.toString() }));
        const op = rnd.int(3) === 0 ? buildInflatedVolumeReportOp(f, ["m2", "m3"], { factor: 1 + rnd.int(20), extra: [{ wallet: "sybil", volume: "777" }] }) : report(epoch, vols);
        if (l.volumeReport(op).ok) accepted++;
      } else if (k === 4) l.prepay("user", BigInt(1 + rnd.int(5000)) * STOS);
      else if (k === 5) l.slashResourceNode(m1, `rn${1 + rnd.int(2)}`, ["rw1", "rw2"][rnd.int(2)]!, BigInt(rnd.int(1e9)), rnd.int(4) === 0);
      else if (k === 6) l.updateEffectiveDeposit(m1, `rn${1 + rnd.int(2)}`, BigInt(1 + rnd.int(500)) * STOS);
      else if (k === 7) {
        const w = ["rw1", "rw2", "rw3", "sybil", "benef-m2"][rnd.int(5)]!;
        const m = l.mature(w);
        if (m > 0n) expectOk(l.withdraw(w, m / BigInt(1 + rnd.int(3))));
      } else if (k === 8) l.transfer("user", `u${rnd.int(5)}`, BigInt(1 + rnd.int(100)) * STOS);
      else l.foundationDeposit("user", BigInt(rnd.int(3)) * STOS);
      expect(l.totalSupplyCheck().ok).toBe(true);
      expect(l.checkInvariants(step % 25 === 0)).toEqual([]);
    }
    expect(accepted).toBeGreaterThan(50);
    expect(l.checkInvariants(true)).toEqual([]);
    expect(l.pools().communityPool > 0n).toBe(true);
  });
});

function nozSupply(l: PotLedger): bigint {
  return truncRaw((l.S * 10n ** 36n) / l.params.depositNozRateRaw) - l.L;
}

// Volume reports: every acceptance check refuses with the state digest unchanged; the distribution's
// bookkeeping (beneficiaries, duplicates, identities, stage edges, out of issuance); the hot loop
// against the reference formulas.

import { describe, expect, it } from "vitest";
import {
  buildForgedVolumeReportOp,
  buildInflatedVolumeReportOp,
  buildVolumeReportOp,
  DEFAULT_MINING_REWARD_PARAMS,
  fromLimbs,
  intToRaw,
  miningCapWei,
  nozSupply,
  PotLedger,
  PreparedReport,
  parseRaw,
  resourceEntryReward,
  STOS,
  truncRaw,
  type VolumeReportOp,
} from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, Lcg, META, META_OWNER, report, smallGenesis } from "./helpers.js";

const VOLS = { rw1: 600_000_000, rw2: 300_000_000, rw3: 100_000_000 };
const fields = (epoch: number, vols: Record<string, number> = VOLS) => ({
  reporter: "m1",
  reporterOwner: META_OWNER("m1"),
  epoch,
  reportReference: `ref-${epoch}`,
  walletVolumes: Object.entries(vols).map(([wallet, v]) => ({ wallet, volume: String(v) })),
});

/** Runs `op` and asserts it is refused with `reason` and leaves the whole state untouched. */
function expectRefused(l: PotLedger, op: VolumeReportOp, reason: string): void {
  const digest = l.stateDigest();
  const version = l.version;
  const pools = l.pools();
  const out = l.volumeReport(op);
  expect(out).toEqual({ ok: false, reason });
  expect(l.stateDigest()).toBe(digest);
  expect(l.version).toBe(version);
  expect(l.pools()).toEqual(pools);
}

describe("volume report acceptance checks (§3.4): refusal changes no state", () => {
  const base = () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, VOLS)));
    return l;
  };

  it("1. reporter must be a meta node owned by reporter_owner", () => {
    const l = base();
    expectRefused(l, buildVolumeReportOp({ ...fields(2), reporter: "not-a-meta" }, META), "reporter_not_meta_node_owner");
    expectRefused(l, buildVolumeReportOp({ ...fields(2), reporterOwner: META_OWNER("m2") }, META), "reporter_not_meta_node_owner");
  });

  it("2. epoch must exceed E_last (gaps allowed)", () => {
    const l = base();
    expectRefused(l, buildVolumeReportOp(fields(1), META), "epoch_not_increasing");
    expectOk(l.volumeReport(buildVolumeReportOp(fields(7), META)));
    expectRefused(l, buildVolumeReportOp(fields(5), META), "epoch_not_increasing");
  });

  it("3. tx_data must match the message and the aggregate signature must verify", () => {
    const l = base();
    expectRefused(l, buildForgedVolumeReportOp(fields(2), META, { kind: "tamperVolumes", factor: 3 }), "tx_data_mismatch");
    expectRefused(l, buildForgedVolumeReportOp(fields(2), ["m1"], { kind: "claimSigners", claimedSigners: META }), "invalid_bls_signature");
    expectRefused(l, buildForgedVolumeReportOp(fields(2), META, { kind: "garbageSignature" }), "invalid_bls_signature");
    // Without a claimed tx_data the digest is computed, but the signature must still be over it.
    const { txData: _omit, ...noTx } = buildVolumeReportOp(fields(2), META);
    expectOk(l.volumeReport(noTx));
  });

  it("4. quorum max(1, ⌊2n/3⌋) counts keys, not distinct bonded signers (unless strictSigners)", () => {
    const l = base();
    expectRefused(l, buildVolumeReportOp(fields(2), ["m1"]), "bls_quorum_not_reached");
    // n = 3 needs 2 keys: a duplicated key or a non-member key passes on chain…
    expectOk(l.volumeReport(buildVolumeReportOp(fields(2), ["m1", "m1"])));
    expectOk(l.volumeReport(buildVolumeReportOp(fields(3), ["m1", "outsider"])));
    // …but not with strictSigners.
    const strict = activeLedger({ strictSigners: true });
    expectRefused(strict, buildVolumeReportOp(fields(1), ["m1", "m1"]), "bls_quorum_not_reached");
    expectRefused(strict, buildVolumeReportOp(fields(1), ["m1", "outsider"]), "bls_quorum_not_reached");
    expectOk(strict.volumeReport(buildVolumeReportOp(fields(1), ["m1", "m3"])));
  });

  it("5. ValidateBasic: non-empty list, volumes ≥ 0, non-empty BLS fields and reference, positive epoch", () => {
    const l = base();
    expectRefused(l, buildVolumeReportOp(fields(2, {}), META), "empty_wallet_volumes");
    expectRefused(l, buildVolumeReportOp({ ...fields(2), walletVolumes: [{ wallet: "rw1", volume: "-5" }] }, META), "negative_volume");
    expectRefused(l, buildVolumeReportOp({ ...fields(2), walletVolumes: [{ wallet: "", volume: "5" }] }, META), "invalid_wallet_address");
    expectRefused(l, { ...buildVolumeReportOp(fields(2), META), signers: [] }, "empty_bls_signature");
    expectRefused(l, { ...buildVolumeReportOp(fields(2), META), signature: "" }, "empty_bls_signature");
    expectRefused(l, buildVolumeReportOp({ ...fields(2), reportReference: "" }, META), "empty_report_reference");
    expectRefused(l, buildVolumeReportOp(fields(0), META), "invalid_epoch");
    expectRefused(l, { ...buildVolumeReportOp(fields(2), META), walletVolumes: [{ wallet: "rw1", volume: "1.5" }] }, "invalid_volume");
  });

  it("a report whose volumes are all zero fails (share = 0/0)", () => {
    expectRefused(base(), buildVolumeReportOp(fields(2, { rw1: 0, rw2: 0 }), META), "zero_total_volume");
  });

  it("6. guard Y + L_t ≤ ⌊S_t/r⌋: only sold, unconsumed ozone can be reported", () => {
    const l = base();
    const room = nozSupply(l.S, l.params.depositNozRateRaw) - l.L;
    expectRefused(l, buildVolumeReportOp({ ...fields(2), walletVolumes: [{ wallet: "rw1", volume: String(room + 1n) }] }, META), "noz_supply_exceeded");
    expectOk(l.volumeReport(buildVolumeReportOp({ ...fields(2), walletVolumes: [{ wallet: "rw1", volume: String(room) }] }, META)));
    expect(l.L).toBe(nozSupply(l.S, l.params.depositNozRateRaw));
  });

  it("an underfunded foundation makes the whole report fail", () => {
    const l = activeLedger({}, { foundationWei: 50n * STOS });
    expectRefused(l, report(1, VOLS), "insufficient_foundation_balance");
    expectOk(l.foundationDeposit("user", 100n * STOS));
    expectOk(l.volumeReport(report(1, VOLS)));
  });

  it("a traffic reward above P_t makes the report fail (after a suspension shrank S)", () => {
    const l = new PotLedger(smallGenesis({ metaNodes: META.map((a) => ({ networkAddress: a, owner: META_OWNER(a), depositWei: STOS })) }));
    expectOk(l.createResourceNode({ networkAddress: "rn1", owner: "rn-owner-1", depositWei: 997n * STOS }));
    expectOk(l.updateEffectiveDeposit({ reporters: ["m1"], reporterOwners: [META_OWNER("m1")] }, "rn1", 997n * STOS));
    expectOk(l.prepay("user", 1000n * STOS));
    expectOk(l.slashResourceNode({ reporters: ["m1"], reporterOwners: [META_OWNER("m1")] }, "rn1", "rn-owner-1", 0n, true));
    expect(l.L < 0n).toBe(true); // the suspension has no IsUnbondable check: L can go negative, as on chain
    const Y = nozSupply(l.S, l.params.depositNozRateRaw) - l.L;
    expectRefused(l, buildVolumeReportOp({ ...fields(1), walletVolumes: [{ wallet: "rw1", volume: String(Y) }] }, META), "insufficient_unissued_prepay");
  });
});

describe("distribution bookkeeping (§4)", () => {
  it("pays meta nodes equally to beneficiary or owner, in store order, and asserts the identities", () => {
    const l = activeLedger();
    const before = { P: l.P, L: l.L, M: l.M, pools: l.pools() };
    const s = expectOk(l.volumeReport(report(1, VOLS)));
    const b = l.lastReport()!;
    expect(b.meta.networkAddresses).toEqual(["m1", "m2", "m3"]);
    expect(b.meta.wallets).toEqual([META_OWNER("m1"), "benef-m2", META_OWNER("m3")]);
    expect(l.immature("benef-m2")).toBe(b.meta.mining + b.meta.paid);
    expect(l.immature(META_OWNER("m2"))).toBe(0n);
    // Identities: ΔP = −traffic, Δfoundation = −ΔM, ΔL = +Y, traffic ≤ ⌊R⌋.
    expect(before.P - l.P).toBe(s.trafficTotal);
    expect(before.pools.foundation - l.pools().foundation).toBe(l.M - before.M);
    expect(l.L - before.L).toBe(1_000_000_000n);
    expect(s.trafficTotal <= truncRaw(s.trafficRewardRaw)).toBe(true);
    expect(l.totalReward(1)).toEqual({ mining: s.minedIncrement, traffic: s.trafficTotal });
    // Stage 1 with 3 meta nodes: 16 STOS / 3 leaves 1 wei of dust in the foundation.
    expect(s.minedIncrement).toBe(80n * STOS - 1n);
    expect(l.pools().feeCollector - before.pools.feeCollector).toBe(b.foundationToFeeCollector + b.prepayToFeeCollector);
    expect(l.checkInvariants()).toEqual([]);
  });

  it("duplicate wallet entries are priced separately and add up", () => {
    const l = activeLedger();
    const op = buildVolumeReportOp(
      {
        ...fields(1),
        walletVolumes: [
          { wallet: "rw1", volume: "1" },
          { wallet: "rw2", volume: "1" },
          { wallet: "rw1", volume: "1" },
        ],
      },
      META,
    );
    expectOk(l.volumeReport(op));
    const r = l.lastReportByWallet().get("rw1")!;
    expect(r.shareRaw).toEqual([parseRaw("0.333333333333333333"), parseRaw("0.333333333333333333")]);
    const m = l.lastReport()!.miningSplit.resource;
    expect(r.mining).toBe(2n * truncRaw(m * parseRaw("0.333333333333333333")));
    expect(l.immature("rw1")).toBe(r.mining + r.trafficAfterTax);
    expect(l.individualReward("rw1", 1 + l.params.matureEpoch)).toEqual({ mining: r.mining, traffic: r.trafficAfterTax });
  });

  it("a wallet that is both a resource wallet and a meta beneficiary gets both rewards", () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, { "benef-m2": 5, rw1: 5 })));
    const r = l.lastReportByWallet().get("benef-m2")!;
    const b = l.lastReport()!;
    expect(r.mining).toBe(b.resource.mining[0]! + b.meta.mining);
    expect(l.immature("benef-m2")).toBe(r.mining + r.trafficAfterTax);
  });

  it("stage crossing: the epoch below the boundary pays the old rate in full, the next uses the new stage", () => {
    const boundary = DEFAULT_MINING_REWARD_PARAMS[1]!.startWei;
    const l = activeLedger({}, { totalMinedWei: boundary - 1n, foundationWei: 1000n * STOS });
    expect(l.stage()).toEqual({ stage: 1, outOfIssuance: false });
    const s1 = expectOk(l.volumeReport(report(1, VOLS)));
    expect(s1.stage).toBe(1);
    expect(s1.minedIncrement).toBe(80n * STOS - 1n);
    expect(l.M).toBe(boundary - 1n + 80n * STOS - 1n); // overshoot past the boundary
    const s2 = expectOk(l.volumeReport(report(2, VOLS)));
    expect(s2.stage).toBe(2);
    expect(l.lastReport()!.miningSplit).toEqual({ validators: 8n * STOS, resource: 248n * STOS / 10n, meta: 72n * STOS / 10n });
  });

  it("out of issuance: mining stops, traffic rewards continue with the last stage's split", () => {
    const cap = miningCapWei(smallGenesis().params);
    const l = activeLedger({}, { totalMinedWei: cap, foundationWei: 1000n * STOS });
    const f0 = l.pools().foundation;
    const s = expectOk(l.volumeReport(report(1, VOLS)));
    expect(s.outOfIssuance).toBe(true);
    expect(s.minedIncrement).toBe(0n);
    expect(l.M).toBe(cap);
    expect(l.pools().foundation).toBe(f0);
    const b = l.lastReport()!;
    expect(b.miningRewardWei).toBe(5n * STOS / 2n);
    expect(b.trafficSplit.resource).toBe(truncRaw((b.trafficRewardRaw * 7000n) / 10000n));
    expect(s.trafficTotal > 0n).toBe(true);
    expect(l.checkInvariants()).toEqual([]);
  });

  it("the price falls after a report and rises after a prepay", () => {
    const l = activeLedger();
    const p0 = parseRaw(l.price()!);
    expectOk(l.volumeReport(report(1, VOLS)));
    const p1 = parseRaw(l.price()!);
    expect(p1 < p0).toBe(true);
    expectOk(l.prepay("user", 5n * STOS));
    expect(parseRaw(l.price()!) > p1).toBe(true);
  });
});

describe("hot loop vs reference formulas", () => {
  it("per-entry share, mining, traffic and tax equal resourceEntryReward for random reports", () => {
    const rnd = new Lcg(7);
    for (let t = 0; t < 30; t++) {
      const n = 1 + rnd.int(40);
      const vols: bigint[] = Array.from({ length: n }, () => BigInt(rnd.int(3) === 0 ? rnd.int(10) : rnd.int(2 ** 30)) * BigInt(1 + rnd.int(1000)));
      if (!vols.some((v) => v > 0n)) vols[0] = 1n;
      const Y = vols.reduce((a, b) => a + b, 0n);
      const mR = BigInt(rnd.int(2 ** 30)) * 10n ** BigInt(rnd.int(12));
      const tR = BigInt(rnd.int(2 ** 30)) * 10n ** BigInt(rnd.int(12));
      const taus = ["0.02", "0.01", "0.123456789012345678", "0", "0.2", "0.5", "1", "0.000000000000000003"];
      const tau = parseRaw(taus[rnd.int(taus.length)]!);
      const prep = new PreparedReport({
        reporter: "m",
        reporterOwner: "o",
        epoch: 1,
        reportReference: "r",
        walletVolumes: vols.map((v, k) => ({ wallet: `w${k % 7}`, volume: v.toString() })),
        signers: ["m"],
        signature: "s",
      });
      const plan = prep.plan(mR, tR, tau);
      const det = prep.details(mR, tR, tau);
      let taxSum = 0n;
      let miningSum = 0n;
      let paidSum = 0n;
      vols.forEach((v, k) => {
        const ref = resourceEntryReward(v, Y, mR, tR, tau);
        miningSum += ref.mining;
        paidSum += ref.paid;
        expect([det.shareRaw[k], det.mining[k], det.beforeRaw[k], det.taxRaw[k], det.paid[k]]).toEqual([
          ref.shareRaw,
          ref.mining,
          ref.beforeRaw,
          ref.taxRaw,
          ref.paid,
        ]);
        taxSum += ref.taxRaw;
      });
      expect([plan.taxSumRaw, plan.miningSum, plan.paidSum]).toEqual([taxSum, miningSum, paidSum]);
      // Limbs hold the per-wallet sums (wallets repeat: w0…w6).
      const perWallet = new Map<string, bigint>();
      for (let k = 0; k < vols.length; k++) perWallet.set(`w${k % 7}`, (perWallet.get(`w${k % 7}`) ?? 0n) + det.mining[k]!);
      for (const [d, w] of prep.distinct.entries()) expect(fromLimbs(plan.limbs.minHi[d]!, plan.limbs.minLo[d]!)).toBe(perWallet.get(w));
    }
  });

  it("share ties are judged after the 36-decimal truncation, also for huge totals", () => {
    // 2e17 / (4e35 − 1) = 0.5e-18 + ε: truncated at 36 decimals it is an exact tie → even (0), not 1.
    const Y = 4n * 10n ** 35n - 1n;
    const vols = [2n * 10n ** 17n, 6n * 10n ** 17n, Y - 8n * 10n ** 17n];
    const prep = new PreparedReport({
      reporter: "m",
      reporterOwner: "o",
      epoch: 1,
      reportReference: "r",
      walletVolumes: vols.map((v, k) => ({ wallet: `w${k}`, volume: v })),
      signers: ["m"],
      signature: "s",
    });
    const det = prep.details(10n ** 20n, 10n ** 20n, parseRaw("0.02"));
    expect(det.shareRaw.slice(0, 2)).toEqual([0n, 2n]);
    expect(det.shareRaw).toEqual(vols.map((v) => resourceEntryReward(v, Y, 0n, 0n, 0n).shareRaw));
  });

  it("the memoised plan is reused for the same pool amounts", () => {
    const prep = new PreparedReport({ ...buildVolumeReportOp(fields(1), META) });
    expect(prep.plan(48n * STOS, 10n ** 15n, intToRaw(0n))).toBe(prep.plan(48n * STOS, 10n ** 15n, intToRaw(0n)));
  });
});

describe("inflated reports (fault model)", () => {
  it("a colluding quorum can inflate volumes within the sold-ozone guard; it drains P_t faster", () => {
    const honest = activeLedger();
    const bad = activeLedger();
    expectOk(honest.volumeReport(buildVolumeReportOp(fields(1), META)));
    expectOk(bad.volumeReport(buildInflatedVolumeReportOp(fields(1), ["m1", "m2"], { factor: 10, extra: [{ wallet: "sybil", volume: "1000" }] })));
    expect(honest.P - bad.P > 0n).toBe(true);
    expect(bad.immature("sybil") > 0n).toBe(true);
    expect(bad.checkInvariants()).toEqual([]);
    // A lone Byzantine meta node cannot reach the quorum.
    expectRefused(bad, buildInflatedVolumeReportOp(fields(2), ["m3"], { factor: 10 }), "bls_quorum_not_reached");
  });
});

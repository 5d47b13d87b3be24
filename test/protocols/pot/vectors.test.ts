// Reproduces every vector of pot-vectors.json exactly, through the pure formulas and through a PotLedger
// built to the vector's starting state. Handlers are keyed by vector name and read all numbers from the
// vector, so further vectors of the same names with other inputs are checked the same way.

import { describe, expect, it } from "vitest";
import {
  buildVolumeReportOp,
  DEFAULT_MINING_REWARD_PARAMS,
  defaultParams,
  formatRaw,
  type GenesisConfig,
  increaseOzoneLimit,
  intToRaw,
  lookupStage,
  metaNodeReward,
  miningSplit,
  nozPriceRaw,
  parseRaw,
  PotLedger,
  PreparedReport,
  purchaseAmount,
  resourceEntryReward,
  STOS,
  splitRaw,
  trafficRewardRaw,
} from "../../../src/protocols/pot/index.js";
import { expectOk, loadVectors, type Vector } from "./helpers.js";

type J = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as string | number);
const str = (v: bigint | number) => v.toString();
const priceStr = (S: bigint, P: bigint, L: bigint) => {
  const p = nozPriceRaw(S, P, L);
  return p === undefined ? undefined : formatRaw(p);
};

/** Ledger whose S, P, L, M, τ, r and bonded meta count equal the given values (meta deposits of 1 wei, the rest on one resource node). */
function ledgerAt(s: {
  S: bigint;
  P: bigint;
  L: bigint;
  M?: bigint;
  tauRaw?: bigint;
  rateRaw?: bigint;
  metaWallets?: readonly string[];
  nMeta?: number;
  accounts?: GenesisConfig["accounts"];
  foundationWei?: bigint;
}): PotLedger | undefined {
  const params = {
    ...defaultParams(),
    communityTaxRaw: s.tauRaw ?? defaultParams().communityTaxRaw,
    depositNozRateRaw: s.rateRaw ?? defaultParams().depositNozRateRaw,
    resourceNodeMinDepositWei: 1n,
  };
  const n = s.nMeta ?? s.metaWallets?.length ?? 0;
  const metaNodes = Array.from({ length: n }, (_, i) => ({
    networkAddress: `meta-${String(i).padStart(4, "0")}`,
    owner: `meta-owner-${i}`,
    beneficiary: s.metaWallets?.[i] ?? `meta-wallet-${i}`,
    depositWei: 1n,
  }));
  const rest = s.S - BigInt(n);
  if (rest < 0n) return undefined;
  const resourceNodes = rest > 0n ? [{ networkAddress: "genesis-rn", owner: "genesis-rn-owner", tokensWei: rest, effectiveTokensWei: rest }] : [];
  const l = new PotLedger({
    params,
    totalMinedWei: s.M ?? 0n,
    metaNodes,
    resourceNodes,
    unissuedPrepayWei: s.P,
    remainingNozLimit: s.L,
    accounts: s.accounts ?? [],
    foundationWei: s.foundationWei,
  });
  // A fresh start recomputes L_0 = ⌊S/r⌋; such a vector state cannot be built otherwise.
  return l.S === s.S && l.P === s.P && l.L === s.L ? l : undefined;
}

const handlers: Record<string, (v: Vector) => void> = {
  mining_stage_lookup_and_split(v) {
    for (const c of v.expected as { totalMinedWei: string; expected: J }[]) {
      const M = big(c.totalMinedWei);
      const e = c.expected;
      const st = lookupStage(DEFAULT_MINING_REWARD_PARAMS, M);
      const sp = miningSplit(st.param);
      expect(st.stage).toBe(e.stage);
      expect(st.outOfIssuance).toBe(e.outOfIssuance);
      expect(str(st.param.rewardWei)).toBe(e.miningRewardWei);
      expect([str(sp.validators), str(sp.resource), str(sp.meta)]).toEqual([e.validatorsWei, e.resourceNodesWei, e.metaNodesWei]);

      // Through the ledger: the next report pays this split (nothing once out of issuance). The foundation is
      // funded explicitly: with the default funding (cap − M) it would hold less than one reward near the cap.
      const l = ledgerAt({ S: 10n ** 24n, P: 10n ** 24n, L: 10n ** 17n, M, metaWallets: ["mw"], foundationWei: 1000n * STOS });
      expect(l).toBeDefined();
      if (!l) continue;
      expect(l.stage()).toEqual({ stage: e.stage, outOfIssuance: e.outOfIssuance });
      const op = buildVolumeReportOp(
        { reporter: "meta-0000", reporterOwner: "meta-owner-0", epoch: 1, reportReference: "r", walletVolumes: [{ wallet: "rw", volume: "1000" }] },
        ["meta-0000"],
      );
      expectOk(l.volumeReport(op));
      const b = l.lastReport()!;
      const paid = e.outOfIssuance ? ["0", "0", "0"] : [e.validatorsWei, e.resourceNodesWei, e.metaNodesWei];
      expect([str(b.miningSplit.validators), str(b.miningSplit.resource), str(b.miningSplit.meta)]).toEqual(paid);
      expect(b.stage).toBe(e.stage);
      if (e.outOfIssuance) expect(l.M).toBe(M);
    }
  },

  meta_node_equal_split_7_nodes(v) {
    const i = v.inputs;
    const e = v.expected as J;
    const n = Number(i.bondedMetaNodeCount);
    const check = (pool: bigint, q: unknown, per: unknown, dust: unknown, paidTotal?: unknown) => {
      const r = metaNodeReward(pool, 0n, n, 0n);
      expect(formatRaw(r.miningQuotientRaw)).toBe(q);
      expect(str(r.mining)).toBe(per);
      expect(str(pool - r.mining * BigInt(n))).toBe(dust);
      if (paidTotal !== undefined) expect(str(r.mining * BigInt(n))).toBe(paidTotal);
    };
    check(big(i.miningRewardToMetaNodesWei), e.perNodeQuotientDec, e.perNodeWei, e.dustLeftInFoundationWei, e.paidTotalWei);
    if (i.stage6MiningRewardToMetaNodesWei !== undefined) {
      check(big(i.stage6MiningRewardToMetaNodesWei), e.stage6PerNodeQuotientDec, e.stage6PerNodeWei, e.stage6DustWei);
    }

    // Through the ledger when the pool is a stage's meta share: n bonded meta nodes, one report.
    const pool = big(i.miningRewardToMetaNodesWei);
    const stageIdx = DEFAULT_MINING_REWARD_PARAMS.findIndex((p) => miningSplit(p).meta === pool);
    if (stageIdx < 0) return;
    const M = DEFAULT_MINING_REWARD_PARAMS[stageIdx]!.startWei;
    const l = ledgerAt({ S: 10n ** 24n, P: 10n ** 24n, L: 10n ** 17n, M, nMeta: n });
    expect(l).toBeDefined();
    if (!l) return;
    const signers = Array.from({ length: n }, (_, k) => `meta-${String(k).padStart(4, "0")}`);
    const op = buildVolumeReportOp(
      { reporter: signers[0]!, reporterOwner: "meta-owner-0", epoch: 1, reportReference: "r", walletVolumes: [{ wallet: "rw", volume: "7" }] },
      signers,
    );
    const f0 = l.pools().foundation;
    expectOk(l.volumeReport(op));
    const b = l.lastReport()!;
    expect(str(b.meta.mining)).toBe(e.perNodeWei);
    expect(b.meta.wallets.length).toBe(n);
    // Dust stays in the foundation and is not counted as mined.
    const nominal = miningSplit(DEFAULT_MINING_REWARD_PARAMS[stageIdx]!);
    expect(str(f0 - l.pools().foundation)).toBe(str(l.M - M));
    expect(str(nominal.validators + nominal.resource + pool - (l.M - M))).toBe(e.dustLeftInFoundationWei);
  },

  resource_share_rounding_loss_equal_thirds(v) {
    const i = v.inputs;
    const e = v.expected as { nodes: J[]; totalPaidWei: string; differenceVsPoolWei: string };
    const pool = big(i.miningRewardToResourceNodesWei);
    const vols = (i.volumesNoz as (string | number)[]).map(big);
    const Y = vols.reduce((a, b) => a + b, 0n);
    let total = 0n;
    vols.forEach((vol, k) => {
      const r = resourceEntryReward(vol, Y, pool, 0n, 0n);
      expect(str(vol)).toBe(String(e.nodes[k]!.volume));
      expect(formatRaw(r.shareRaw)).toBe(e.nodes[k]!.shareDec);
      expect(str(r.mining)).toBe(e.nodes[k]!.miningWei);
      total += r.mining;
    });
    expect(str(total)).toBe(e.totalPaidWei);
    expect(str(total - pool)).toBe(e.differenceVsPoolWei);

    // The ledger's hot loop computes the same numbers.
    const prep = new PreparedReport({
      reporter: "m",
      reporterOwner: "o",
      epoch: 1,
      reportReference: "r",
      walletVolumes: vols.map((vol, k) => ({ wallet: `w${k}`, volume: vol })),
      signers: ["m"],
      signature: "x",
    });
    const plan = prep.plan(pool, 0n, 0n);
    const det = prep.details(pool, 0n, 0n);
    expect(det.shareRaw.map(formatRaw)).toEqual(e.nodes.map((n) => n.shareDec));
    expect(det.mining.map(str)).toEqual(e.nodes.map((n) => n.miningWei));
    expect(str(plan.miningSum)).toBe(e.totalPaidWei);
  },

  prepay_pot_app_test(v) {
    const i = v.inputs;
    const e = v.expected as J;
    const S = big(i.StWei);
    const P = big(i.PtWei);
    const L = big(i.LtNoz);
    const X = big(i.prepayWei);
    const rateRaw = intToRaw(big(i.depositNozRate));
    expect(priceStr(S, P, L)).toBe(e.priceBeforeWeiPerNoz);
    const pur = purchaseAmount(S, P, L, X);
    expect(formatRaw(pur.quotientRaw)).toBe(e.purchaseQuotientDec);
    expect(str(pur.purchasedNoz)).toBe(e.purchasedNoz);
    expect(str(L - pur.purchasedNoz)).toBe(e.LtAfterNoz);
    expect(str(P + X)).toBe(e.PtAfterWei);
    expect(priceStr(S, P + X, L - pur.purchasedNoz)).toBe(e.priceAfterWeiPerNoz);

    const l = ledgerAt({ S, P, L, rateRaw, accounts: [{ address: "buyer", balanceWei: X }] });
    if (!l) return;
    expect(l.price()).toBe(e.priceBeforeWeiPerNoz);
    expect(str(expectOk(l.prepay("buyer", X)).purchasedNoz)).toBe(e.purchasedNoz);
    expect([str(l.L), str(l.P), l.price()]).toEqual([e.LtAfterNoz, e.PtAfterWei, e.priceAfterWeiPerNoz]);
    expect(l.balance("buyer")).toBe(0n);
    expect(l.checkInvariants()).toEqual([]);
  },

  volume_report_pot_app_test_epoch1(v) {
    const i = v.inputs;
    const e = v.expected as J;
    const S = big(i.StWei);
    const P = big(i.PtWei);
    const L = big(i.LtNoz);
    const M = big(i.totalMinedWei);
    const tauRaw = parseRaw(String(i.communityTax));
    const nMeta = Number(i.bondedMetaNodes);
    const wv = i.walletVolumesNoz as Record<string, number | string> | { wallet: string; volume: number | string }[];
    const entries: [string, bigint][] = Array.isArray(wv) ? wv.map((x) => [x.wallet, big(x.volume)]) : Object.entries(wv).map(([w, x]) => [w, big(x)]);
    const Y = entries.reduce((a, [, x]) => a + x, 0n);
    const rewards = e.rewards as Record<string, J>;
    const resourceWallets = new Set(entries.map(([w]) => w));
    const metaWallets = Object.keys(rewards).filter((w) => !resourceWallets.has(w));

    // Pure formulas.
    const R = trafficRewardRaw(S, P, L, Y);
    expect(formatRaw(R)).toBe(e.RDec);
    const st = lookupStage(DEFAULT_MINING_REWARD_PARAMS, M);
    expect(st.stage).toBe(e.stage);
    const t = splitRaw(R, st.param);
    const ts = e.trafficSplitWei as J;
    expect([str(t.validators), str(t.resource), str(t.meta)]).toEqual([ts.validators, ts.resource, ts.meta]);
    const m = miningSplit(st.param);
    const ms = e.miningSplitWei as J;
    expect([str(st.param.rewardWei), str(m.validators), str(m.resource), str(m.meta)]).toEqual([ms.total, ms.validators, ms.resource, ms.meta]);

    // Through the ledger, from the vector's starting state.
    if (nMeta === 0) return; // no meta node could report
    const cap = DEFAULT_MINING_REWARD_PARAMS[DEFAULT_MINING_REWARD_PARAMS.length - 1]!.endWei;
    const foundationWei = cap - M > 1000n * STOS ? undefined : 1000n * STOS;
    const l = ledgerAt({ S, P, L, M, tauRaw, nMeta, metaWallets, foundationWei });
    expect(l).toBeDefined();
    if (!l) return;
    const signers = l.bondedMetaNodes().map((n) => n.networkAddress);
    const op = buildVolumeReportOp(
      {
        reporter: signers[0]!,
        reporterOwner: l.bondedMetaNodes()[0]!.owner,
        epoch: 1,
        reportReference: "vector",
        walletVolumes: entries.map(([wallet, volume]) => ({ wallet, volume: str(volume) })),
      },
      signers,
    );
    const f0 = l.pools();
    expectOk(l.volumeReport(op));
    const b = l.lastReport()!;
    expect(formatRaw(b.trafficRewardRaw)).toBe(e.RDec);
    expect([str(b.trafficSplit.validators), str(b.trafficSplit.resource), str(b.trafficSplit.meta)]).toEqual([ts.validators, ts.resource, ts.meta]);
    const byWallet = l.lastReportByWallet();
    for (const [w, exp] of Object.entries(rewards)) {
      const got = byWallet.get(w);
      expect(got, w).toBeDefined();
      expect(str(got!.mining), w).toBe(exp.miningWei);
      expect(str(got!.trafficAfterTax), w).toBe(exp.trafficAfterTaxWei);
      if (exp.shareDec) expect(got!.shareRaw.map(formatRaw), w).toEqual(exp.shareDec);
      if (exp.trafficBeforeTaxDec) expect(got!.beforeRaw.map(formatRaw), w).toEqual(exp.trafficBeforeTaxDec);
      if (exp.taxDec) expect(got!.taxRaw.map(formatRaw), w).toEqual(exp.taxDec);
      // Rewards are immature until matureEpoch more reports.
      expect(str(l.immature(w)), w).toBe(str(got!.mining + got!.trafficAfterTax));
    }
    expect(formatRaw(b.communityTaxRaw)).toBe(e.communityPoolTaxDec);
    expect(str(b.communityTaxWei)).toBe(e.communityPoolTaxWei);
    expect(str(b.foundationToFeeCollector)).toBe(e.foundationToFeeCollectorWei);
    expect(str(b.foundationToRewardPool)).toBe(e.foundationToRewardPoolWei);
    expect(str(b.prepayToFeeCollector)).toBe(e.unissuedPrepayToFeeCollectorWei);
    expect(str(b.prepayToRewardPool)).toBe(e.unissuedPrepayToRewardPoolWei);
    expect(str(b.minedIncrement)).toBe(e.totalMinedIncrementWei);
    const pools = l.pools();
    expect(str(pools.communityPool - f0.communityPool)).toBe(e.communityPoolTaxWei);
    expect(str(pools.feeCollector - f0.feeCollector)).toBe(str(big(e.foundationToFeeCollectorWei) + big(e.unissuedPrepayToFeeCollectorWei)));
    expect(str(f0.foundation - pools.foundation)).toBe(e.totalMinedIncrementWei);
    const after = e.after as J;
    expect([str(l.S), str(l.P), str(l.L), str(l.M), l.price()]).toEqual([after.St, after.Pt, after.Lt, after.mined, after.price]);
    expect(l.checkInvariants()).toEqual([]);
  },

  deposit_to_ozone_limit(v) {
    const rateRaw = intToRaw(big(v.inputs.depositNozRate));
    for (const c of v.expected as J[]) {
      const S0 = big(c.StBeforeWei);
      const L0 = big(c.LtBeforeNoz);
      const Z = big(c.depositWei);
      const e = c.expected as J;
      const r = increaseOzoneLimit(S0, L0, Z, rateRaw);
      expect(formatRaw(r.limitDeltaRaw), String(c.case)).toBe(e.limitToAddDec);
      expect(str(r.reportedChange)).toBe(e.reportedChangeNoz);
      expect([str(r.S), str(r.L)]).toEqual([e.StAfterWei, e.LtAfterNoz]);
      const price = priceStr(r.S, 0n, r.L);
      if (String(e.priceAfter).startsWith("undefined")) expect(price).toBeUndefined();
      else expect(price).toBe(e.priceAfter);

      // Through the ledger: a resource node's effective deposit, and a meta-node registration, move S/L alike.
      for (const path of ["resource", "meta"] as const) {
        const params = { ...defaultParams(), depositNozRateRaw: rateRaw, resourceNodeMinDepositWei: 1n };
        const g: GenesisConfig = {
          params,
          totalMinedWei: 0n,
          metaNodes: S0 > 0n ? [{ networkAddress: "meta-a", owner: "meta-a-owner", depositWei: S0 }] : [],
          remainingNozLimit: L0,
          accounts: [{ address: "dep-owner", balanceWei: Z }],
        };
        const l = new PotLedger(g);
        if (l.S !== S0 || l.L !== L0) continue;
        if (path === "resource") {
          expectOk(l.createResourceNode({ networkAddress: "rn-x", owner: "dep-owner", depositWei: Z }));
          expect([l.S, l.L]).toEqual([S0, L0]); // creation alone has no S/L effect
          const u = expectOk(l.updateEffectiveDeposit({ reporters: ["meta-a"], reporterOwners: ["meta-a-owner"] }, "rn-x", Z));
          expect(str(u.ozoneLimitChange)).toBe(e.reportedChangeNoz);
        } else {
          expectOk(l.registerMetaNode({ networkAddress: "meta-b", owner: "dep-owner", depositWei: Z }));
        }
        expect([str(l.S), str(l.L)], `${c.case} via ${path}`).toEqual([e.StAfterWei, e.LtAfterNoz]);
        if (price !== undefined) expect(l.price()).toBe(e.priceAfter);
        expect(l.checkInvariants()).toEqual([]);
      }
    }
  },
};

/**
 * Handler by exact name, else by the shape of the vector's inputs and expected values (further vectors
 * may use other names for the same computation, e.g. resource_share_rounding_overshoot), trying the
 * name family first when several shapes fit.
 */
function pickHandler(v: Vector): ((v: Vector) => void) | undefined {
  if (handlers[v.name]) return handlers[v.name];
  const i = (v.inputs ?? {}) as J;
  const cases = Array.isArray(v.expected) ? (v.expected as J[]) : undefined;
  const families: [RegExp, string, boolean][] = [
    [/^mining_stage/, "mining_stage_lookup_and_split", cases?.every((c) => "totalMinedWei" in c) === true],
    [/^meta_node_equal_split/, "meta_node_equal_split_7_nodes", "bondedMetaNodeCount" in i && "miningRewardToMetaNodesWei" in i],
    [/^resource_share_rounding/, "resource_share_rounding_loss_equal_thirds", "volumesNoz" in i && "miningRewardToResourceNodesWei" in i],
    [/^prepay/, "prepay_pot_app_test", "prepayWei" in i && "LtNoz" in i],
    [/^volume_report/, "volume_report_pot_app_test_epoch1", "walletVolumesNoz" in i && "StWei" in i],
    [/^deposit_to_ozone/, "deposit_to_ozone_limit", "depositNozRate" in i && cases?.every((c) => "depositWei" in c) === true],
  ];
  const fits = families.filter(([, , shape]) => shape);
  const f = fits.find(([re]) => re.test(v.name)) ?? fits[0];
  return f ? handlers[f[1]] : undefined;
}

describe("pot-vectors.json", () => {
  const vectors = loadVectors();
  it("has vectors", () => {
    expect(vectors.length).toBeGreaterThan(0);
  });
  for (const v of vectors) {
    const h = pickHandler(v);
    if (h) it(`${v.name} (${v.kind})`, () => h(v));
    else it.todo(`${v.name}: no handler for this vector's name or shape`);
  }
});

describe("vector sanity", () => {
  it("1 STOS is 10^18 wei", () => {
    expect(STOS).toBe(10n ** 18n);
  });
});

describe("vector dispatch", () => {
  it("a vector under another name is checked by its shape's handler", () => {
    for (const v of loadVectors()) {
      const h = pickHandler(v);
      if (!handlers[v.name]) continue;
      expect(pickHandler({ ...v, name: `renamed_${v.name}` }), v.name).toBe(h);
    }
  });
});

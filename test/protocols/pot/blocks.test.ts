// Explicit block mode (spec §7–§10): the MatureCountPerBlock throttle across blocks, unbonding timers
// with debt deduction (W's worked example), vote-pool expiry and cleanup, RestoreTotalSupply's mint and
// burn with a truthful conservation invariant, digest agreement across ledgers fed the same blocks,
// and the guard rails between the two block modes.

import { describe, expect, it } from "vitest";
import {
  buildVolumeReportOp,
  createSharedCache,
  DAY_SEC,
  defaultParams,
  type EndBlockSummary,
  type LedgerOptions,
  mainnetGenesis,
  PotLedger,
  type PotSharedCache,
  STOS,
  validateParams,
  type VolumeReportOp,
} from "../../../src/protocols/pot/index.js";
import { expectOk, Lcg, META, META_OWNER, report, smallGenesis } from "./helpers.js";

const m1 = { reporters: ["m1"], reporterOwners: [META_OWNER("m1")] };
const pad = (i: number) => String(i).padStart(3, "0");
/** 250 resource wallets "rw-000" … "rw-249", listed in a shuffled order (address order ≠ list order). */
const WALLETS = Array.from({ length: 250 }, (_, i) => `rw-${pad((i * 37) % 250)}`);

function explicitLedger(opts: LedgerOptions = {}, genesis = smallGenesis(), setup = true): PotLedger {
  const l = new PotLedger(genesis, { ...opts, blockMode: "explicit" });
  if (setup) {
    l.beginBlock(0);
    for (const i of [1, 2]) {
      expectOk(l.createResourceNode({ networkAddress: `rn${i}`, owner: `rn-owner-${i}`, depositWei: 500n * STOS }));
      expectOk(l.updateEffectiveDeposit(m1, `rn${i}`, 500n * STOS));
    }
    expectOk(l.prepay("user", 10_000n * STOS));
    l.endBlock();
  }
  return l;
}

/** One block at `timeSec` running `ops`; returns the EndBlocker's summary. */
function block(l: PotLedger, timeSec: number, ops: (l: PotLedger) => void = () => {}): EndBlockSummary {
  l.beginBlock(timeSec);
  ops(l);
  const out = l.endBlock();
  expect(l.checkInvariants()).toEqual([]);
  expect(l.totalSupplyCheck().ok).toBe(true);
  return out;
}

const bigReport = (epoch: number, cache?: PotSharedCache): VolumeReportOp =>
  buildVolumeReportOp(
    {
      reporter: "m1",
      reporterOwner: META_OWNER("m1"),
      epoch,
      reportReference: `big-${epoch}`,
      walletVolumes: WALLETS.map((wallet, i) => ({ wallet, volume: String(1_000_000 + 7919 * i + epoch) })),
    },
    META,
    cache,
  );

/** Wallet entries of a 250-wallet report in address order: the meta wallets, then rw-000 … rw-249. */
const ENTRY_ORDER = ["benef-m2", META_OWNER("m1"), META_OWNER("m3"), ...Array.from({ length: 250 }, (_, i) => `rw-${pad(i)}`)];

describe("maturity throttle (MatureCountPerBlock, spec §7)", () => {
  it("matures the newest key 100 wallet entries per block, in address order, and resumes in later blocks", () => {
    const l = explicitLedger();
    block(l, 10, (x) => expectOk(x.volumeReport(bigReport(1))));
    block(l, 20, (x) => expectOk(x.volumeReport(bigReport(2))));
    // Key 3 holds epoch 1's rewards: one entry per wallet (m2's beneficiary and the meta owners included).
    const due = new Map(ENTRY_ORDER.map((w) => [w, l.individualReward(w, 3)!]));
    for (const [w, r] of due) expect(r, w).toBeDefined();
    const amount = (w: string) => due.get(w)!.mining + due.get(w)!.traffic;
    const before = new Map(ENTRY_ORDER.map((w) => [w, l.immature(w)]));

    // The report of epoch 3 makes key 3 due; its block's EndBlocker matures the first 100 entries only.
    const b4 = block(l, 30, (x) => {
      const r = expectOk(x.volumeReport(bigReport(3)));
      expect(r.maturedBlocks).toBe(0); // the report itself matures nothing in explicit mode
    });
    expect(b4.matured).toEqual({ entries: 100, keys: 0, deductedWei: 0n });
    expect(l.maturedEpoch).toBe(2);
    expect(l.pendingBlocks()).toBe(3);
    const added = (w: string) => l.individualReward(w, 5)!.mining + l.individualReward(w, 5)!.traffic;
    for (const [k, w] of ENTRY_ORDER.entries()) {
      if (k < 100) {
        expect(l.mature(w), w).toBe(amount(w));
        expect(l.immature(w), w).toBe(before.get(w)! + added(w) - amount(w));
        expect(l.individualReward(w, 3), w).toBeUndefined();
      } else {
        expect(l.mature(w), w).toBe(0n);
        expect(l.individualReward(w, 3), w).toEqual(due.get(w));
      }
    }
    expect(ENTRY_ORDER[99]).toBe("rw-096");

    // An empty block: the next 100 (rw-097 … rw-196).
    const b5 = block(l, 40);
    expect(b5.matured).toEqual({ entries: 100, keys: 0, deductedWei: 0n });
    expect(l.mature("rw-196")).toBe(amount("rw-196"));
    expect(l.mature("rw-197")).toBe(0n);
    // The last 53 entries complete key 3: E_mat advances.
    const b6 = block(l, 50);
    expect(b6.matured).toEqual({ entries: 53, keys: 1, deductedWei: 0n });
    expect(l.maturedEpoch).toBe(3);
    for (const w of ENTRY_ORDER) expect(l.mature(w), w).toBe(amount(w));
    // Nothing is due any more.
    expect(block(l, 60).matured).toEqual({ entries: 0, keys: 0, deductedWei: 0n });
  });

  it("a partly matured key is finished in full once a newer report makes it old; the count includes it", () => {
    const l = explicitLedger();
    for (const e of [1, 2]) block(l, 10 * e, (x) => expectOk(x.volumeReport(bigReport(e))));
    expect(block(l, 30, (x) => expectOk(x.volumeReport(bigReport(3)))).matured).toEqual({ entries: 100, keys: 0, deductedWei: 0n });
    // Epoch 4 makes key 4 the newest: key 3's remaining 153 entries mature in full, which leaves key 4 no budget.
    expect(block(l, 40, (x) => expectOk(x.volumeReport(bigReport(4)))).matured).toEqual({ entries: 153, keys: 1, deductedWei: 0n });
    expect(l.maturedEpoch).toBe(3);
    expect(l.individualReward("benef-m2", 4)).toBeDefined();
    expect(block(l, 50).matured).toEqual({ entries: 100, keys: 0, deductedWei: 0n });
    expect(l.individualReward("benef-m2", 4)).toBeUndefined();
    expect(l.individualReward("rw-097", 4)).toBeDefined();
    expect(block(l, 60).matured.entries).toBe(100);
    expect(block(l, 70).matured).toEqual({ entries: 53, keys: 1, deductedWei: 0n });
    expect(l.maturedEpoch).toBe(4);

    // Once everything due has matured, every wallet holds what the implicit (unthrottled) ledger gives.
    const ref = new PotLedger(smallGenesis());
    for (const i of [1, 2]) {
      expectOk(ref.createResourceNode({ networkAddress: `rn${i}`, owner: `rn-owner-${i}`, depositWei: 500n * STOS }));
      expectOk(ref.updateEffectiveDeposit(m1, `rn${i}`, 500n * STOS));
    }
    expectOk(ref.prepay("user", 10_000n * STOS));
    for (const e of [1, 2, 3, 4]) expectOk(ref.volumeReport(bigReport(e)));
    for (const w of ENTRY_ORDER) {
      expect(l.mature(w), w).toBe(ref.mature(w));
      expect(l.immature(w), w).toBe(ref.immature(w));
    }
    expect(l.pools()).toEqual(ref.pools());
  });

  it("the throttle is a parameter, and debt is deducted entry by entry as rewards mature", () => {
    const l = explicitLedger({}, smallGenesis({}, { matureCountPerBlock: 2 }));
    block(l, 1, (x) => {
      expectOk(x.slashResourceNode(m1, "rn1", "rw1", 10n ** 9n, false));
      expectOk(x.volumeReport(report(1, { rw1: 5_000, rw2: 3_000, rw3: 1_000 })));
    });
    const debt = l.debt("rw1");
    expect(debt).toBeGreaterThan(0n);
    block(l, 2, (x) => expectOk(x.volumeReport(report(2, { rw1: 10 }))));
    const r1 = l.individualReward("rw1", 3)!;
    const amount = r1.mining + r1.traffic;
    expect(debt).toBeLessThan(amount);
    // Key 3 (epoch 1) is due after epoch 3: entries benef-m2, owner-m1 | owner-m3, rw1 | rw2, rw3.
    block(l, 3, (x) => expectOk(x.volumeReport(report(3, { rw2: 10 }))));
    expect(l.debt("rw1")).toBe(debt);
    expect(l.mature(META_OWNER("m1"))).toBeGreaterThan(0n);
    expect(l.mature(META_OWNER("m3"))).toBe(0n);
    const community = l.pools().communityPool;
    const b = block(l, 4);
    expect(b.matured).toEqual({ entries: 2, keys: 0, deductedWei: debt });
    expect(l.debt("rw1")).toBe(0n);
    expect(l.mature("rw1")).toBe(amount - debt);
    expect(l.pools().communityPool).toBe(community + debt);
  });
});

describe("unbonding timers (spec §8, §10)", () => {
  const day = (d: number) => d * DAY_SEC;

  it("W's worked example: created day 0, unbonding at day 150 completes at day 194, at day 190 at day 204", () => {
    const l = explicitLedger({}, smallGenesis(), false);
    block(l, day(0), (x) => {
      for (const n of ["a", "b"]) expectOk(x.createResourceNode({ networkAddress: `rn-${n}`, owner: "rn-owner-1", depositWei: 400n * STOS }));
    });
    const bal0 = l.balance("rn-owner-1");
    block(l, day(150), (x) => {
      expect(expectOk(x.removeResourceNode("rn-a", "rn-owner-1"))).toEqual({ unbondingWei: 400n * STOS, completionTimeSec: day(194) });
    });
    block(l, day(190), (x) => {
      expect(expectOk(x.removeResourceNode("rn-b", "rn-owner-1"))).toEqual({ unbondingWei: 400n * STOS, completionTimeSec: day(204) });
    });
    // In flight: not-bonded pool, nodes "unbonding", nothing paid yet.
    expect(l.pools().resourceNotBonded).toBe(800n * STOS);
    expect(l.pools().resourceBonded).toBe(0n);
    expect(l.resourceNode("rn-a")!.status).toBe("unbonding");
    expect(l.unbondingEntries().map((u) => [u.networkAddress, u.completionTimeSec, u.startHeight])).toEqual([
      ["rn-a", day(194), 2],
      ["rn-b", day(204), 3],
    ]);
    block(l, day(191), (x) => expect(x.addResourceNodeDeposit("rn-a", "rn-owner-1", 1n)).toEqual({ ok: false, reason: "node_unbonding" }));

    expect(block(l, day(194) - 1).unbonded).toEqual([]);
    expect(l.balance("rn-owner-1")).toBe(bal0);
    expect(block(l, day(194)).unbonded).toEqual([
      { kind: "resource", networkAddress: "rn-a", owner: "rn-owner-1", returnedWei: 400n * STOS, slashedWei: 0n },
    ]);
    expect(l.resourceNode("rn-a")).toBeUndefined();
    expect(l.balance("rn-owner-1")).toBe(bal0 + 400n * STOS);
    expect(l.pools().resourceNotBonded).toBe(400n * STOS);
    expect(block(l, day(203)).unbonded).toEqual([]);
    expect(block(l, day(210)).unbonded.map((u) => u.networkAddress)).toEqual(["rn-b"]);
    expect(l.pools().resourceNotBonded).toBe(0n);
    expect(l.balance("rn-owner-1")).toBe(bal0 + 800n * STOS);
  });

  it("a meta node's deposit waits in the not-bonded pool; its owner's debt goes to the community pool at completion", () => {
    const l = explicitLedger();
    // Any wallet can carry slashing debt: put some on m3's owner.
    block(l, day(1), (x) => expectOk(x.slashResourceNode(m1, "rn2", META_OWNER("m3"), 10n ** 12n, false)));
    const debt = l.debt(META_OWNER("m3"));
    expect(debt).toBeGreaterThan(0n);
    const S = l.S;
    const bal0 = l.balance(META_OWNER("m3"));
    block(l, day(200), (x) => {
      expect(expectOk(x.removeMetaNode("m3", META_OWNER("m3")))).toEqual({ unbondingWei: 1000n * STOS, completionTimeSec: day(214) });
    });
    // Unbonding start: S/L and n_meta fall at once, the tokens move bonded → not bonded.
    expect(l.S).toBe(S - 1000n * STOS);
    expect(l.bondedMetaCount).toBe(2);
    expect(l.metaNode("m3")!.status).toBe("unbonding");
    expect(l.pools().metaNotBonded).toBe(1000n * STOS);
    block(l, day(201), (x) => expect(x.removeMetaNode("m3", META_OWNER("m3"))).toEqual({ ok: false, reason: "node_unbonding" }));
    const community = l.pools().communityPool;
    const done = block(l, day(214));
    expect(done.unbonded).toEqual([
      { kind: "meta", networkAddress: "m3", owner: META_OWNER("m3"), returnedWei: 1000n * STOS - debt, slashedWei: debt },
    ]);
    expect(l.debt(META_OWNER("m3"))).toBe(0n);
    expect(l.pools().communityPool).toBe(community + debt);
    expect(l.balance(META_OWNER("m3"))).toBe(bal0 + 1000n * STOS - debt);
    expect(l.metaNode("m3")).toBeUndefined();
    expect(l.pools().metaNotBonded).toBe(0n);
  });

  it("a meta node whose registration never passed leaves creation + 14 d after creation; a kicked node unbonds like a removed one", () => {
    const l = explicitLedger({}, smallGenesis({ accounts: [{ address: "cand", balanceWei: 5000n * STOS }] }), false);
    block(l, day(10), (x) => expectOk(x.createMetaNode({ networkAddress: "m4", owner: "cand", depositWei: 1000n * STOS })));
    block(l, day(20), (x) => {
      expect(expectOk(x.removeMetaNode("m4", "cand"))).toEqual({ unbondingWei: 1000n * STOS, completionTimeSec: day(24) });
    });
    expect(l.votePool("registration", "m4")).toBeUndefined();
    expect(block(l, day(24)).unbonded.map((u) => [u.networkAddress, u.returnedWei])).toEqual([["m4", 1000n * STOS]]);

    block(l, day(30), (x) => {
      expectOk(x.voteKickMetaNode({ target: "m3", voter: "m1", voterOwner: META_OWNER("m1"), approve: true }));
      expectOk(x.voteKickMetaNode({ target: "m3", voter: "m2", voterOwner: META_OWNER("m2"), approve: true }));
      expect(expectOk(x.voteKickMetaNode({ target: "m3", voter: "m3", voterOwner: META_OWNER("m3"), approve: true }))).toEqual({ kicked: true });
    });
    expect(l.unbondingEntries().map((u) => [u.networkAddress, u.completionTimeSec])).toEqual([["m3", day(194)]]);
  });

  it("implicit block mode keeps the immediate payout", () => {
    const l = new PotLedger(smallGenesis());
    expectOk(l.createResourceNode({ networkAddress: "rn1", owner: "rn-owner-1", depositWei: 500n * STOS }));
    expect(expectOk(l.removeResourceNode("rn1", "rn-owner-1"))).toEqual({ returnedWei: 500n * STOS, slashedWei: 0n });
    expect(l.unbondingEntries()).toEqual([]);
  });
});

describe("vote expiry (spec §9)", () => {
  const genesis = smallGenesis({ accounts: [{ address: "cand", balanceWei: 5000n * STOS }] }, { kickPoolCleanupIntervalBlocks: 10 });
  const vote = (l: PotLedger, voter: string) =>
    l.voteMetaNodeRegistration({ candidate: "m4", candidateOwner: "cand", voter, voterOwner: META_OWNER(voter), approve: true });
  const kick = (l: PotLedger, voter: string, approve = true) => l.voteKickMetaNode({ target: "m3", voter, voterOwner: META_OWNER(voter), approve });

  it("a registration pool takes votes up to its expiry time and refuses them after, so it can no longer pass", () => {
    const l = explicitLedger({}, genesis, false);
    block(l, 1000, (x) => expectOk(x.createMetaNode({ networkAddress: "m4", owner: "cand", depositWei: 1000n * STOS })));
    expect(l.votePool("registration", "m4")!.expireTimeSec).toBe(1000 + 7 * DAY_SEC);
    block(l, 1000 + 7 * DAY_SEC, (x) => expect(expectOk(vote(x, "m1"))).toEqual({ bonded: false }));
    const d = l.stateDigest();
    block(l, 1001 + 7 * DAY_SEC, (x) => {
      const v = x.version;
      expect(vote(x, "m2")).toEqual({ ok: false, reason: "vote_expired" });
      expect(vote(x, "m3")).toEqual({ ok: false, reason: "vote_expired" });
      expect(x.version).toBe(v);
    });
    expect(l.stateDigest()).not.toBe(d); // the block itself moved on
    expect(l.votePool("registration", "m4")!.approvals).toEqual(["m1"]);
    expect(l.metaNode("m4")!.status).toBe("unbonded");
    expect(l.bondedMetaCount).toBe(3);

    // The same votes in time pass (threshold ⌊2·3/3⌋+1 = 3).
    const ok = explicitLedger({}, genesis, false);
    block(ok, 1000, (x) => expectOk(x.createMetaNode({ networkAddress: "m4", owner: "cand", depositWei: 1000n * STOS })));
    block(ok, 1000 + 7 * DAY_SEC, (x) => {
      for (const v of META) expectOk(vote(x, v));
    });
    expect(ok.metaNode("m4")!.status).toBe("bonded");
  });

  it("a kick pool expires voting_period after its first vote; the periodic cleanup drops it and a new vote opens a fresh pool", () => {
    const l = explicitLedger({}, genesis, false);
    block(l, 100, (x) => expect(expectOk(kick(x, "m1"))).toEqual({ kicked: false })); // height 1
    expect(l.votePool("kick", "m3")!.expireTimeSec).toBe(100 + 7 * DAY_SEC);
    block(l, 100 + 7 * DAY_SEC, (x) => expectOk(kick(x, "m2"))); // height 2: still in time
    block(l, 101 + 7 * DAY_SEC, (x) => expect(kick(x, "m3")).toEqual({ ok: false, reason: "vote_expired" })); // height 3
    expect(l.metaNode("m3")!.status).toBe("bonded");
    for (let h = 4; h < 10; h++) expect(block(l, 200 + 7 * DAY_SEC).kickPoolsDropped).toBe(0);
    expect(l.votePool("kick", "m3")).toBeDefined();
    expect(block(l, 200 + 7 * DAY_SEC).kickPoolsDropped).toBe(1); // height 10 ≡ 0 mod 10
    expect(l.height).toBe(10);
    expect(l.votePool("kick", "m3")).toBeUndefined();
    block(l, 300 + 7 * DAY_SEC, (x) => expectOk(kick(x, "m1")));
    expect(l.votePool("kick", "m3")).toEqual({ approvals: ["m1"], rejections: [], passed: false, expireTimeSec: 300 + 14 * DAY_SEC });
  });
});

describe("RestoreTotalSupply (spec §10)", () => {
  const I = defaultParams().initialTotalSupplyWei;

  it("mints a shortfall into the community pool at heights ≡ 1 mod 10,000", () => {
    const l = explicitLedger({}, smallGenesis({ totalSupplyWei: I - 5n * STOS }), false);
    expect(l.totalSupplyCheck()).toMatchObject({ ok: true, actual: I - 5n * STOS, expected: I - 5n * STOS, mintedWei: 0n, burnedWei: 0n });
    const b1 = block(l, 1);
    expect([b1.height, b1.mintedWei, b1.burnedWei]).toEqual([1, 5n * STOS, 0n]);
    expect(l.pools().communityPool).toBe(5n * STOS);
    expect(l.totalSupplyCheck()).toMatchObject({ ok: true, actual: I, expected: I, mintedWei: 5n * STOS, burnedWei: 0n });
    expect(block(l, 2).mintedWei).toBe(0n);
  });

  it("burns a surplus from the community pool only when the pool holds enough", () => {
    const l = explicitLedger({}, smallGenesis({ totalSupplyWei: I + 7n }, { supplyRestoreIntervalBlocks: 3 }), false);
    // Height 1: the community pool is empty, nothing is burned.
    expect([block(l, 1).burnedWei, l.pools().communityPool]).toEqual([0n, 0n]);
    // Reports pay community tax into the pool (heights 2, 3).
    block(l, 2, (x) => {
      expectOk(x.createResourceNode({ networkAddress: "rn1", owner: "rn-owner-1", depositWei: 500n * STOS }));
      expectOk(x.updateEffectiveDeposit(m1, "rn1", 500n * STOS));
      expectOk(x.prepay("user", 10_000n * STOS));
    });
    block(l, 3, (x) => expectOk(x.volumeReport(report(1, { rw1: 10n ** 12n }))));
    const pool = l.pools().communityPool;
    expect(pool).toBeGreaterThan(7n);
    // Height 4 ≡ 1 mod 3: the 7-wei surplus is burned.
    const b4 = block(l, 4);
    expect([b4.height, b4.mintedWei, b4.burnedWei]).toEqual([4, 0n, 7n]);
    expect(l.pools().communityPool).toBe(pool - 7n);
    expect(l.totalSupplyCheck()).toMatchObject({ ok: true, actual: I, expected: I, burnedWei: 7n });
  });

  it("an honest run never mints or burns, and an untracked mint stays visible after the restore", () => {
    const l = explicitLedger({}, smallGenesis({}, { supplyRestoreIntervalBlocks: 2 }));
    for (let t = 1; t <= 5; t++) expect([block(l, t).mintedWei, l.totalSupplyCheck().mintedWei, l.totalSupplyCheck().burnedWei]).toEqual([0n, 0n, 0n]);
    // Tamper with the state: 1 wei appears in the community pool out of nowhere.
    const snap = l.snapshot() as unknown as { state: { pools: { communityPool: bigint } } };
    snap.state.pools.communityPool += 1n;
    l.restore(snap as never);
    expect(l.totalSupplyCheck()).toMatchObject({ ok: false, actual: I + 1n, expected: I });
    l.beginBlock(10); // height 7 ≡ 1 mod 2
    expect(l.endBlock().burnedWei).toBe(1n);
    expect(l.totalSupplyCheck()).toMatchObject({ ok: false, actual: I, expected: I - 1n, burnedWei: 1n });
    expect(l.checkInvariants()[0]).toMatch(/^supply: expected/);
  });
});

describe("digests and snapshots in explicit block mode", () => {
  /** A deterministic run of blocks mixing every kind of EndBlocker work. */
  function run(l: PotLedger, blocks: number, seed: number, cache?: PotSharedCache, timeShift = 0): string[] {
    const rnd = new Lcg(seed);
    const digests: string[] = [];
    let epoch = 0;
    let t = 0;
    for (let h = 0; h < blocks; h++) {
      t += 1 + rnd.int(3 * DAY_SEC) + (h === blocks - 1 ? timeShift : 0);
      l.beginBlock(t);
      const k = rnd.int(6);
      if (k <= 2) l.volumeReport(bigReport(++epoch, cache));
      else if (k === 3) l.slashResourceNode(m1, "rn1", WALLETS[rnd.int(250)]!, BigInt(rnd.int(1e9)), false);
      else if (k === 4) l.removeResourceNode(`rn${1 + rnd.int(2)}`, `rn-owner-${1 + rnd.int(2)}`);
      else l.withdraw(WALLETS[rnd.int(250)]!, BigInt(1 + rnd.int(1e6)));
      l.endBlock();
      digests.push(l.stateDigest());
    }
    return digests;
  }

  it("two ledgers fed the same blocks agree on every digest (shared cache or not); another block time changes it", () => {
    const shared = createSharedCache();
    const a = explicitLedger({ shared });
    const b = explicitLedger({ shared });
    const c = explicitLedger();
    const da = run(a, 120, 5, shared);
    expect(run(b, 120, 5, shared)).toEqual(da);
    expect(run(c, 120, 5)).toEqual(da);
    expect(new Set(da).size).toBe(da.length);
    expect(a.checkInvariants()).toEqual([]);
    expect(a.maturedEpoch).toBeGreaterThan(2);
    expect(a.unbondingEntries().length + (a.resourceNode("rn1") ? 0 : 1) + (a.resourceNode("rn2") ? 0 : 1)).toBeGreaterThan(0);
    const d = explicitLedger();
    const dd = run(d, 120, 5, undefined, 1);
    expect(dd.slice(0, -1)).toEqual(da.slice(0, -1));
    expect(dd.at(-1)).not.toBe(da.at(-1));
  });

  it("a snapshot taken inside a partly matured key and restored elsewhere continues identically", () => {
    const a = explicitLedger();
    for (const e of [1, 2, 3]) block(a, e, (x) => expectOk(x.volumeReport(bigReport(e))));
    a.beginBlock(4); // mid-block: the head key is partly matured
    const snap = a.snapshot();
    const other = new PotLedger(smallGenesis(), { blockMode: "explicit" });
    other.restore(snap);
    expect(other.stateDigest()).toBe(a.stateDigest());
    for (const l of [a, other]) {
      expect(l.blockOpen).toBe(true);
      expect(l.endBlock().matured.entries).toBe(100);
      block(l, 5);
    }
    expect(other.stateDigest()).toBe(a.stateDigest());
    expect(other.mature("rw-196")).toBe(a.mature("rw-196"));
    expect(() => new PotLedger(smallGenesis()).restore(snap)).toThrow(/explicit-block-mode/);
  });
});

describe("block lifecycle guard rails and parameters", () => {
  it("implicit mode has no blocks; explicit mode runs operations only inside one", () => {
    const i = new PotLedger(smallGenesis());
    expect(i.blockMode).toBe("implicit");
    expect(() => i.beginBlock(1)).toThrow(/implicit block mode/);
    expect(() => i.endBlock()).toThrow(/implicit block mode/);
    const e = new PotLedger(smallGenesis({ genesisTimeSec: 500 }), { blockMode: "explicit" });
    expect([e.height, e.blockTimeSec, e.blockOpen]).toEqual([0, 500, false]);
    expect(() => e.prepay("user", 1n)).toThrow(/beginBlock/);
    expect(() => e.endBlock()).toThrow(/no open block/);
    expect(() => e.beginBlock(499)).toThrow(RangeError);
    expect(e.beginBlock(500)).toBe(1);
    expect(() => e.beginBlock(600)).toThrow(/still open/);
    expectOk(e.prepay("user", 1n));
    e.endBlock();
    expect([e.height, e.blockTimeSec, e.blockOpen]).toEqual([1, 500, false]);
  });

  it("defaults and mainnet share the register/block constants; validation rejects bad values", () => {
    for (const p of [defaultParams(), mainnetGenesis().params]) {
      expect(p.unbondingThresholdTimeSec).toBe(15_552_000);
      expect(p.unbondingCompletionTimeSec).toBe(1_209_600);
      expect(p.votingPeriodSec).toBe(604_800);
      expect(p.matureCountPerBlock).toBe(100);
      expect(p.supplyRestoreIntervalBlocks).toBe(10_000);
      expect(p.kickPoolCleanupIntervalBlocks).toBe(10_000);
    }
    expect(validateParams({ ...defaultParams(), matureCountPerBlock: 0 })).toEqual(["matureCountPerBlock must be a positive integer"]);
    expect(validateParams({ ...defaultParams(), votingPeriodSec: -1 })).toEqual(["votingPeriodSec must be a non-negative integer (seconds)"]);
    expect(() => new PotLedger(smallGenesis({ totalSupplyWei: 1n }))).toThrow(/exceed the total supply/);
  });
});

// The state digest's per-book memo (lines per wallet, last digest) against ledgers that never share it:
// replicas on one book, lagging and diverging, always get the digest a private book gives.

import { describe, expect, it } from "vitest";
import { createSharedCache, PotLedger, STOS } from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, Lcg, META_OWNER, report, smallGenesis } from "./helpers.js";

/** The digest of `l`'s state computed from scratch: a new ledger (own book, own memo) restored from its snapshot. */
function digestFromScratch(l: PotLedger): string {
  const fresh = new PotLedger(smallGenesis());
  fresh.restore(l.snapshot());
  return fresh.stateDigest();
}

describe("state digest memo", () => {
  it("equals the digest of an unshared ledger through reports, prepays and divergence", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const solo = activeLedger();
    const rnd = new Lcg(3);
    for (let e = 1; e <= 12; e++) {
      const vols: Record<string, number> = {};
      for (let w = 0; w < 6; w++) if (rnd.int(3) > 0) vols[`rw${w}`] = 1 + rnd.int(1_000_000);
      if (Object.keys(vols).length === 0) vols.rw0 = 1;
      const op = report(e, vols);
      for (const l of [a, b, solo]) expectOk(l.volumeReport(op));
      if (e % 3 === 0) for (const l of [a, b, solo]) expectOk(l.prepay("user", BigInt(e) * STOS));
      // b digests every other epoch only (lagging memo), a every epoch.
      expect(a.stateDigest()).toBe(solo.stateDigest());
      if (e % 2 === 0) expect(b.stateDigest()).toBe(solo.stateDigest());
    }
    // One replica diverges: its digest differs, the others' still agree with the reference.
    expectOk(b.transfer("user", "newcomer", 5n));
    expect(b.stateDigest()).not.toBe(a.stateDigest());
    expect(a.stateDigest()).toBe(solo.stateDigest());
    expectOk(solo.transfer("user", "newcomer", 5n));
    expect(b.stateDigest()).toBe(solo.stateDigest());
  });

  it("follows node, deposit, vote, unbonding and wallet-set changes (every memoised line kind) in lockstep ledgers", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const solo = activeLedger();
    const m1 = { reporters: ["m1"], reporterOwners: [META_OWNER("m1")] };
    const steps: ((l: ReturnType<typeof activeLedger>) => void)[] = [
      (l) => expectOk(l.volumeReport(report(1, { rw0: 10, rw1: 20 }))),
      (l) => expectOk(l.slashResourceNode(m1, "rn1", "rn-owner-1", 3n, true)),
      (l) => expectOk(l.slashResourceNode(m1, "rn1", "rn-owner-1", 0n, false)),
      (l) => expectOk(l.updateEffectiveDeposit(m1, "rn2", 300n * STOS)),
      (l) => expectOk(l.updateBeneficiary("resource", "rn2", "rn-owner-2", "benef-rn2")),
      (l) => expectOk(l.createResourceNode({ networkAddress: "rn3", owner: "rn-owner-2", depositWei: 10n * STOS })),
      (l) => expectOk(l.voteKickMetaNode({ target: "m3", voter: "m1", voterOwner: META_OWNER("m1"), approve: true })),
      (l) => expectOk(l.removeResourceNode("rn1", "rn-owner-1")),
      (l) => expectOk(l.volumeReport(report(2, { rw2: 5 }))),
      (l) => expectOk(l.transfer("user", "late-wallet", 7n)),
    ];
    for (const step of steps) {
      for (const l of [a, b, solo]) step(l);
      // a digests after every step and b only every other one (lagging line memos); both agree with the
      // unshared ledger and with a digest built from scratch.
      expect(a.stateDigest()).toBe(solo.stateDigest());
      expect(a.stateDigest()).toBe(digestFromScratch(a));
      if (steps.indexOf(step) % 2 === 1) expect(b.stateDigest()).toBe(solo.stateDigest());
    }
    expect(b.stateDigest()).toBe(solo.stateDigest());
  });
});

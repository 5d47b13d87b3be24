// PotApplication as a PBFT application: canonical results, deterministic digests across replicas (with and
// without a shared cache), snapshot/restore round trips, malformed ops, and the report builders.

import { describe, expect, it } from "vitest";
import {
  buildForgedVolumeReportOp,
  buildInflatedVolumeReportOp,
  buildVolumeReportOp,
  createSharedCache,
  type PotOp,
  PotApplication,
  type PotSharedCache,
  resultText,
  STOS,
} from "../../../src/protocols/pot/index.js";
import { Lcg, META, META_OWNER, smallGenesis } from "./helpers.js";

const ctx = { client: 1, timestamp: 0, seq: 0 };
const m1 = { reporters: ["m1"], reporterOwners: [META_OWNER("m1")] };

/** A deterministic op sequence covering every op type, with some ops that must be refused. */
function opSequence(n: number, seed = 3, cache?: PotSharedCache): PotOp[] {
  const rnd = new Lcg(seed);
  const ops: PotOp[] = [
    { type: "createResourceNode", networkAddress: "rn1", owner: "rn-owner-1", depositWei: (500n * STOS).toString() },
    { type: "createResourceNode", networkAddress: "rn2", owner: "rn-owner-2", depositWei: (500n * STOS).toString() },
    { type: "updateEffectiveDeposit", ...m1, networkAddress: "rn1", effectiveTokensWei: (500n * STOS).toString() },
    { type: "updateEffectiveDeposit", ...m1, networkAddress: "rn2", effectiveTokensWei: (400n * STOS).toString() },
    { type: "prepay", sender: "user", amountWei: (20_000n * STOS).toString() },
    { type: "transfer", from: "user", to: "cand", amountWei: (2000n * STOS).toString() },
    { type: "createMetaNode", networkAddress: "m4", owner: "cand", depositWei: (1000n * STOS).toString() },
    ...META.map((v) => ({ type: "voteMetaNodeRegistration" as const, candidate: "m4", candidateOwner: "cand", voter: v, voterOwner: META_OWNER(v), approve: true })),
    { type: "updateBeneficiary", nodeKind: "meta", networkAddress: "m4", owner: "cand", beneficiary: "cand-rewards" },
  ];
  let epoch = 0;
  for (let i = 0; i < n; i++) {
    const k = rnd.int(8);
    const f = {
      reporter: "m1",
      reporterOwner: META_OWNER("m1"),
      epoch: ++epoch,
      reportReference: `r${epoch}`,
      walletVolumes: [
        { wallet: "rw1", volume: String(1 + rnd.int(1e9)) },
        { wallet: "rw2", volume: String(rnd.int(1e9)) },
        { wallet: "rw1", volume: String(rnd.int(1e6)) },
      ],
    };
    if (k <= 3) ops.push(buildVolumeReportOp(f, ["m1", "m2", "m3"], cache));
    else if (k === 4) ops.push(buildInflatedVolumeReportOp(f, ["m2", "m3", "m4"], { factor: 3, extra: [{ wallet: "sybil", volume: "99" }] }, cache));
    else if (k === 5) ops.push(buildForgedVolumeReportOp(f, ["m1"], { kind: "claimSigners", claimedSigners: META }));
    else if (k === 6) ops.push({ type: "slashResourceNode", ...m1, networkAddress: "rn2", walletAddress: "rw2", slashingNoz: String(rnd.int(1e8)), suspend: rnd.int(2) === 0 });
    else ops.push({ type: "withdraw", wallet: "rw1", amountWei: String(1 + rnd.int(1e9)) });
  }
  return ops;
}

describe("PotApplication", () => {
  it("returns canonical result strings", () => {
    const app = new PotApplication(smallGenesis());
    expect(app.execute({ type: "prepay", sender: "user", amountWei: "1000000000000000000" }, ctx)).toMatch(/^ok:prepay:purchasedNoz=\d+$/);
    expect(app.execute({ type: "prepay", sender: "user", amountWei: "0" }, ctx)).toBe("err:invalid_amount");
    expect(app.execute({ type: "withdraw", wallet: "x", amountWei: "1" }, ctx)).toBe("err:insufficient_matured_reward");
    expect(app.stats.refused).toBe(2);
    expect(app.stats.refusedByReason.get("invalid_amount")).toBe(1);
  });

  it("returns typed results whose canonical text is the reply string, for every op of a long sequence", () => {
    const typed = new PotApplication(smallGenesis());
    const text = new PotApplication(smallGenesis());
    const seen = new Set<string>();
    opSequence(80).forEach((op, i) => {
      const c = { ...ctx, seq: i };
      const r = typed.run(op, c);
      expect(resultText(r)).toBe(text.execute(op, c));
      seen.add(r.ok ? `ok:${r.type}` : "err");
    });
    // Every result kind with fields was produced (so each branch of resultText was compared).
    for (const k of ["prepay", "voteMetaNodeRegistration", "updateEffectiveDeposit", "slashResourceNode", "volumeReport", "withdraw"]) {
      expect(seen.has(`ok:${k}`), k).toBe(true);
    }
    expect(seen.has("err")).toBe(true);
    const prepay = typed.run({ type: "prepay", sender: "user", amountWei: "1000000000000000000" }, { ...ctx, seq: 1000 });
    expect(prepay.ok && prepay.type === "prepay" && prepay.value.purchasedNoz > 0n).toBe(true);
    expect(resultText(prepay)).toBe(`ok:prepay:purchasedNoz=${prepay.ok && prepay.type === "prepay" ? prepay.value.purchasedNoz : ""}`);
    expect(typed.run({ type: "prepay", sender: "user", amountWei: "1.5" }, ctx)).toEqual({ ok: false, reason: "bad_op:amountWei" });
  });

  it("refuses malformed and unknown ops without changing the state", () => {
    const app = new PotApplication(smallGenesis());
    // The batch's first request opens its block (a state change of its own): compare from inside the block.
    app.enterBlock(ctx);
    const d = app.stateDigest();
    expect(app.execute(null, ctx)).toBe("err:bad_op");
    expect(app.execute("prepay", ctx)).toBe("err:bad_op");
    expect(app.execute({ type: "nope" }, ctx)).toBe("err:unknown_op");
    expect(app.execute({ type: "prepay", sender: "user", amountWei: "1.5" }, ctx)).toBe("err:bad_op:amountWei");
    expect(app.execute({ type: "transfer", from: 3, to: "b", amountWei: "1" }, ctx)).toBe("err:bad_op:from");
    expect(app.execute({ type: "slashResourceNode", reporters: "m1" }, ctx)).toBe("err:bad_op:reporters");
    expect(app.execute({ type: "volumeReport", reporter: "m1" }, ctx)).toBe("err:invalid_reporter_owner_address");
    expect(app.stateDigest()).toBe(d);
  });

  it("two replicas given the same ops agree on every result and digest; a shared cache changes nothing", () => {
    const shared = createSharedCache();
    // Reports are pre-prepared in the shared cache by the builders; c re-derives everything from JSON copies.
    const ops = opSequence(150, 3, shared);
    const a = new PotApplication(smallGenesis(), { shared });
    const b = new PotApplication(smallGenesis(), { shared });
    const c = new PotApplication(smallGenesis());
    let accepted = 0;
    for (const op of ops) {
      const ra = a.execute(op, ctx);
      expect(b.execute(op, ctx)).toBe(ra);
      // c gets a structurally equal copy (another object): no memo sharing possible.
      expect(c.execute(JSON.parse(JSON.stringify(op)), ctx)).toBe(ra);
      expect(b.stateDigest()).toBe(a.stateDigest());
      expect(c.stateDigest()).toBe(a.stateDigest());
      if (ra.startsWith("ok:volumeReport")) accepted++;
    }
    expect(accepted).toBeGreaterThan(40);
    expect(a.stats.refusedByReason.get("invalid_bls_signature")).toBeGreaterThan(0);
    expect(a.ledger.checkInvariants()).toEqual([]);
    expect(a.ledger.totalSupplyCheck().ok).toBe(true);
  });

  it("digests differ when states differ", () => {
    const a = new PotApplication(smallGenesis());
    const b = new PotApplication(smallGenesis());
    expect(a.stateDigest()).toBe(b.stateDigest());
    a.execute({ type: "transfer", from: "user", to: "x", amountWei: "1" }, ctx);
    expect(a.stateDigest()).not.toBe(b.stateDigest());
    b.execute({ type: "transfer", from: "user", to: "y", amountWei: "1" }, ctx);
    expect(a.stateDigest()).not.toBe(b.stateDigest());
    expect(a.stateDigest()).toMatch(/^[0-9a-f]{64}$/);
  });

  it("snapshot/restore round-trips, across replicas with and without a shared wallet book", () => {
    const ops = opSequence(120, 11);
    const cut = 70;
    const shared = createSharedCache();
    const a = new PotApplication(smallGenesis(), { shared });
    for (const op of ops.slice(0, cut)) a.execute(op, ctx);
    const snap = a.snapshot();
    const digestAtCut = a.stateDigest();
    const size = a.snapshotSize();
    expect(size).toBeGreaterThan(1000);
    for (const op of ops.slice(cut)) a.execute(op, ctx);
    expect(a.snapshotSize()).not.toBe(size);

    // The snapshot is unaffected by later operations on its source.
    const sameBook = new PotApplication(smallGenesis(), { shared });
    const otherBook = new PotApplication(smallGenesis());
    otherBook.execute({ type: "transfer", from: "user", to: "zz-first-seen-here", amountWei: "5" }, ctx); // different handles
    for (const r of [sameBook, otherBook]) {
      r.restore(snap);
      expect(r.stateDigest()).toBe(digestAtCut);
      for (const op of ops.slice(cut)) r.execute(op, ctx);
      expect(r.stateDigest()).toBe(a.stateDigest());
      expect(r.ledger.checkInvariants()).toEqual([]);
    }
    // Restoring into the source rewinds it.
    a.restore(snap);
    expect(a.stateDigest()).toBe(digestAtCut);
    expect(() => a.restore({})).toThrow(TypeError);
  });

  it("honest, inflated and forged reports from the builders", () => {
    const app = new PotApplication(smallGenesis());
    for (const op of opSequence(0)) app.execute(op, ctx);
    const f = {
      reporter: "m2",
      reporterOwner: META_OWNER("m2"),
      epoch: 1,
      reportReference: "x",
      walletVolumes: [{ wallet: "rw1", volume: "1000" }],
    };
    expect(app.execute(buildForgedVolumeReportOp(f, META, { kind: "tamperVolumes" }), ctx)).toBe("err:tx_data_mismatch");
    expect(app.execute(buildForgedVolumeReportOp(f, META, { kind: "garbageSignature" }), ctx)).toBe("err:invalid_bls_signature");
    expect(app.execute(buildInflatedVolumeReportOp(f, ["m2"], { factor: 1000 }), ctx)).toBe("err:bls_quorum_not_reached");
    const res = app.execute(buildVolumeReportOp(f, ["m1", "m2", "m4"]), ctx);
    expect(res).toMatch(/^ok:volumeReport:epoch=1;Y=1000;R=\d+\.\d{18};stage=1;mined=\d+;traffic=\d+;matured=0$/);
    expect(app.ledger.lastReport()!.meta.wallets).toEqual([META_OWNER("m1"), "benef-m2", META_OWNER("m3"), "cand-rewards"]);
  });
});

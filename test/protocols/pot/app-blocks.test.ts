// PotApplication's blocks: one block per PBFT sequence number, ended lazily by the next batch's first
// request, block time from the requests' client timestamps; the open block travels with digests and
// snapshots, so replicas (and a replica restored from a checkpoint) stay identical.

import { describe, expect, it } from "vitest";
import { buildVolumeReportOp, createSharedCache, type PotExecContext, PotApplication, STOS } from "../../../src/protocols/pot/index.js";
import { META, META_OWNER, smallGenesis } from "./helpers.js";

const ctx = (seq: number, timestamp: number, client = 1): PotExecContext => ({ client, timestamp, seq });
const prepay = { type: "prepay", sender: "user", amountWei: (10_000n * STOS).toString() };
const m1 = { reporters: ["m1"], reporterOwners: [META_OWNER("m1")] };
const setup = [
  { type: "createResourceNode", networkAddress: "rn1", owner: "rn-owner-1", depositWei: (500n * STOS).toString() },
  { type: "updateEffectiveDeposit", ...m1, networkAddress: "rn1", effectiveTokensWei: (500n * STOS).toString() },
  prepay,
];
const wallets = Array.from({ length: 150 }, (_, i) => `w${String(i).padStart(3, "0")}`);
const reportOp = (epoch: number) =>
  buildVolumeReportOp(
    {
      reporter: "m1",
      reporterOwner: META_OWNER("m1"),
      epoch,
      reportReference: `r${epoch}`,
      walletVolumes: wallets.map((wallet, i) => ({ wallet, volume: String(1000 + i) })),
    },
    META,
  );

describe("PotApplication blocks", () => {
  it("one block per sequence number: heights count batches, time = max(previous, first request's timestamp)", () => {
    const app = new PotApplication(smallGenesis());
    const l = app.ledger;
    expect(l.blockMode).toBe("explicit");
    app.execute(setup[0], ctx(3, 5));
    expect([l.height, l.blockTimeSec, app.openBlockSeq]).toEqual([1, 5, 3]);
    app.execute(setup[1], ctx(3, 9, 2)); // same batch: same block, its time stays
    expect([l.height, l.blockTimeSec, app.stats.blocks]).toEqual([1, 5, 0]);
    app.execute(setup[2], ctx(4, 3)); // an older timestamp cannot move the clock back
    expect([l.height, l.blockTimeSec, app.stats.blocks, app.lastEndBlock?.height]).toEqual([2, 5, 1, 1]);
    app.execute({ type: "withdraw", wallet: "x", amountWei: "1" }, ctx(9, 40));
    expect([l.height, l.blockTimeSec, app.stats.blocks]).toEqual([3, 40, 2]);
    expect(l.blockOpen).toBe(true);
  });

  it("rewards mature in EndBlockers, throttled, as later batches arrive; replicas and a restored replica agree", () => {
    const shared = createSharedCache();
    const a = new PotApplication(smallGenesis(), { shared });
    const b = new PotApplication(smallGenesis(), { shared });
    const c = new PotApplication(smallGenesis());
    const batches: [unknown[], number][] = [
      [setup, 1],
      [[reportOp(1)], 2],
      [[reportOp(2)], 3],
      [[reportOp(3)], 4], // key 3 (epoch 1) due: matured by this block's EndBlocker, in the next batch
      [[prepay], 5],
      [[prepay], 6],
    ];
    let snap: unknown;
    let digestAtSnap = "";
    const matured: number[] = [];
    for (const [ops, seq] of batches) {
      for (const op of ops) {
        const r = a.execute(op, ctx(seq, 10 * seq));
        expect(b.execute(op, ctx(seq, 10 * seq))).toBe(r);
        expect(c.execute(JSON.parse(JSON.stringify(op)), ctx(seq, 10 * seq))).toBe(r);
        expect(r.startsWith("ok:")).toBe(true);
      }
      expect(b.stateDigest()).toBe(a.stateDigest());
      expect(c.stateDigest()).toBe(a.stateDigest());
      matured.push(a.lastEndBlock?.matured.entries ?? -1);
      if (seq === 4) {
        snap = a.snapshot(); // a checkpoint after batch 4: its EndBlocker has not run yet
        digestAtSnap = a.stateDigest();
      }
    }
    // 150 resource wallets + 3 meta wallets in key 3: 100 in batch 4's EndBlocker (run when batch 5 starts), 53 next.
    expect(matured).toEqual([-1, 0, 0, 0, 100, 53]);
    expect(a.ledger.maturedEpoch).toBe(3);
    expect(a.ledger.mature("w096")).toBeGreaterThan(0n);

    // A replica restored from the checkpoint replays batches 5-6 to the same state.
    const r = new PotApplication(smallGenesis());
    r.restore(snap);
    expect(r.stateDigest()).toBe(digestAtSnap);
    expect(r.openBlockSeq).toBe(4);
    for (const seq of [5, 6]) r.execute(prepay, ctx(seq, 10 * seq));
    expect(r.stateDigest()).toBe(a.stateDigest());
    expect(r.ledger.checkInvariants()).toEqual([]);
    expect(() => r.restore(a.ledger.snapshot())).toThrow(TypeError);
  });

  it("the open block's sequence number is part of the state: a request of the same batch after a restore stays in that block", () => {
    const a = new PotApplication(smallGenesis());
    a.execute(setup[0], ctx(7, 1));
    const mid = a.snapshot();
    const b = new PotApplication(smallGenesis());
    b.restore(mid);
    for (const x of [a, b]) x.execute(setup[1], ctx(7, 2));
    expect(b.ledger.height).toBe(1);
    expect(b.stateDigest()).toBe(a.stateDigest());
    // Same ledger state with another open sequence number: different digests.
    const c = new PotApplication(smallGenesis());
    c.execute(setup[0], ctx(8, 1));
    const d = new PotApplication(smallGenesis());
    d.execute(setup[0], ctx(7, 1));
    expect(d.ledger.stateDigest()).toBe(c.ledger.stateDigest());
    expect(d.stateDigest()).not.toBe(c.stateDigest());
  });
});

// What a replica may adopt as its state (pbft.md §10.2, §1.4, R-K6), by hand: a STATE answer is
// installed only for a checkpoint backed by a certificate whose CHECKPOINT messages were really sent
// by the replicas they name (the world's signature oracle), a key-value snapshot must be exactly the
// state its digest covers, and more distinct digests for one checkpoint than f faulty replicas can
// explain raise R-K6's second alarm.

import { describe, expect, it } from "vitest";
import {
  type Checkpoint,
  ClientTable,
  checkpointDigest,
  DigestMemo,
  KvApplication,
  type KvSnapshot,
  makeConfig,
  Replica,
  SignedCheckpoints,
  type StateMessage,
} from "../../../src/protocols/pbft/index.js";
import { ckpt, feed, observations } from "./util.js";

const N = 4;

/** A state nobody executed: one key the clients never wrote, and a reply table with a made-up result. */
function fabricated(seq: number, from: number, proofBy: number[]): StateMessage {
  const app = new KvApplication();
  app.execute({ type: "put", key: "treasury", value: "mallory" }, { client: 0, timestamp: 1, seq });
  const table = ClientTable.fromEntries([{ client: 0, timestamp: 99, result: "ok" }]);
  const digest = checkpointDigest(app.stateDigest(), table.digest());
  const proof: Checkpoint[] = proofBy.map((j) => ckpt(seq, digest, j));
  return {
    type: "state",
    seq,
    digest,
    replica: from,
    snapshot: app.snapshot(),
    snapshotSize: app.snapshotSize(),
    clientTable: table.entries(),
    proof,
  };
}

/** Replica 3, behind: CHECKPOINT(10, "d10") from 0, 1, 2 is stable above it, and its transfer is under way. */
function fetching(signatures: SignedCheckpoints | null): Replica {
  const r = new Replica(3, makeConfig({ n: N }), new KvApplication(), new DigestMemo(signatures));
  for (const j of [0, 1, 2]) {
    const m = ckpt(10, "d10", j);
    signatures?.record(m);
    feed(r, j, m, 0.1);
  }
  r.timeout("catchUp", 0.5);
  const e = r.drainEffects();
  expect(e.some((x) => x.kind === "send" && x.msg.type === "fetch-state" && x.to === 0)).toBe(true);
  expect(r.stateTransferInProgress).toBe(true);
  return r;
}

describe("STATE answers: only certified checkpoints are adopted (§10.2, §1.4)", () => {
  it("a fabricated state for a later checkpoint, with a proof of forged CHECKPOINTs, is refused", () => {
    const sigs = new SignedCheckpoints();
    const r = fetching(sigs);
    const e = feed(r, 0, fabricated(20, 0, [0, 1, 2]), 0.6);
    expect(observations(e)).toEqual([]);
    expect(r.lastExecuted).toBe(0);
    expect(r.application.stateDigest()).toBe(new KvApplication().stateDigest());
    expect(r.stateTransferInProgress).toBe(true);
  });

  it("without the oracle the same answer is installed (ids alone vouch for the proof): what the oracle prevents", () => {
    const r = fetching(null);
    const e = feed(r, 0, fabricated(20, 0, [0, 1, 2]), 0.6);
    expect(observations(e).map((o) => o.type)).toEqual(["stateTransferred", "checkpointStable"]);
    expect(r.lastExecuted).toBe(20);
  });

  it("the same proof, signed by the replicas it names, is accepted", () => {
    const sigs = new SignedCheckpoints();
    const r = fetching(sigs);
    const m = fabricated(20, 0, [0, 1, 2]);
    for (const c of m.proof) sigs.record(c);
    const e = feed(r, 0, m, 0.6);
    expect(observations(e)).toContainEqual(expect.objectContaining({ type: "stateTransferred", toSeq: 20 }));
  });

  it("a VIEW-CHANGE whose checkpoint proof is forged is not accepted (it cannot carry a new view to that checkpoint)", () => {
    const sigs = new SignedCheckpoints();
    const r = new Replica(2, makeConfig({ n: N }), new KvApplication(), new DigestMemo(sigs));
    const forged = fabricated(20, 0, [0, 1, 3]);
    const vc = { type: "view-change" as const, view: 1, replica: 0, stableSeq: 20, stableDigest: forged.digest, proof: forged.proof, prepared: [] };
    // replica 0 is the primary of view 0: a valid VIEW-CHANGE from it would move replica 2 at once (R-V1)
    expect(observations(feed(r, 0, vc, 1))).toEqual([]);
    for (const c of forged.proof) sigs.record(c);
    expect(observations(feed(r, 0, vc, 1))).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });
});

describe("KvApplication.restore: a snapshot is exactly what its digest covers", () => {
  const base = (): KvSnapshot => {
    const a = new KvApplication();
    a.execute({ type: "put", key: "a", value: 1 }, { client: 0, timestamp: 1, seq: 1 });
    a.execute({ type: "put", key: "b", value: "x" }, { client: 0, timestamp: 2, seq: 2 });
    return a.snapshot();
  };

  it("restores its own snapshots", () => {
    const a = new KvApplication();
    a.restore(base());
    expect([a.read("a"), a.read("b")]).toEqual([1, "x"]);
  });

  it("refuses a value that does not match its encoding (the digest covers encodings only)", () => {
    const snap = base();
    const bad: KvSnapshot = { entries: [snap.entries[0]!, ["b", snap.entries[1]![1], "y"]] };
    expect(() => new KvApplication().restore(bad)).toThrow(TypeError);
  });

  it("refuses a key listed twice or out of order", () => {
    const snap = base();
    expect(() => new KvApplication().restore({ entries: [snap.entries[0]!, snap.entries[0]!, snap.entries[1]!] })).toThrow(TypeError);
    expect(() => new KvApplication().restore({ entries: [snap.entries[1]!, snap.entries[0]!] })).toThrow(TypeError);
  });

  it("a STATE answer with the certified digest but other values is refused (it used to be installed)", () => {
    // the genuine checkpoint 10: a = 1, one reply cached; certified by CHECKPOINTs of 0, 1, 2
    const genuine = new KvApplication();
    genuine.execute({ type: "put", key: "a", value: 1 }, { client: 0, timestamp: 1, seq: 1 });
    const table = ClientTable.fromEntries([{ client: 0, timestamp: 1, result: "ok" }]);
    const d = checkpointDigest(genuine.stateDigest(), table.digest());
    const r = new Replica(3, makeConfig({ n: N }), new KvApplication(), new DigestMemo(new SignedCheckpoints()));
    for (const j of [0, 1, 2]) feed(r, j, ckpt(10, d, j), 0.1);
    r.timeout("catchUp", 0.5);
    r.drainEffects();
    const [k, enc] = (genuine.snapshot() as KvSnapshot).entries[0]!;
    const tampered: StateMessage = {
      type: "state",
      seq: 10,
      digest: d,
      replica: 0,
      snapshot: { entries: [[k, enc, 1_000_000]] }, // same encoding "1", another value
      snapshotSize: 32,
      clientTable: table.entries(),
      proof: [],
    };
    expect(observations(feed(r, 0, tampered, 0.6))).toEqual([]);
    expect([r.lastExecuted, r.application.stateDigest()]).toEqual([0, new KvApplication().stateDigest()]);
    // the genuine snapshot for the same checkpoint is installed
    const honest: StateMessage = { ...tampered, replica: 1, snapshot: genuine.snapshot() };
    r.timeout("stateTransfer", 1);
    r.drainEffects();
    expect(observations(feed(r, 1, honest, 1.1)).map((o) => o.type)).toContain("stateTransferred");
    expect((r.application as KvApplication).read("a")).toBe(1);
  });
});

describe("R-K6: more than f + 1 distinct digests for one checkpoint", () => {
  it("the (f + 2)-th distinct digest raises checkpoint-split, once", () => {
    const r = new Replica(1, makeConfig({ n: N }), new KvApplication(), new DigestMemo());
    expect(observations(feed(r, 0, ckpt(10, "a", 0), 1))).toEqual([]);
    expect(observations(feed(r, 2, ckpt(10, "b", 2), 1))).toEqual([]); // f + 1 = 2 digests: one may be a liar's
    expect(observations(feed(r, 3, ckpt(10, "c", 3), 1))).toEqual([{ type: "alarm", reason: "checkpoint-split", view: 0, seq: 10 }]);
  });
});

// Pure modules: digests and canonical encoding, the KV application, NEW-VIEW planning (O set),
// NEW-VIEW validation at a backup, persistence copies, and the cost model.

import { describe, expect, it } from "vitest";
import {
  AUTH_PRESETS,
  batchDigest,
  canonical,
  type Checkpoint,
  DEFAULT_COSTS,
  type Effect,
  KvApplication,
  makeConfig,
  makeRequest,
  messageSize,
  NULL_DIGEST,
  type NewView,
  planNewView,
  Replica,
  receiveCost,
  requestDigest,
  sendCost,
  verifyRequest,
  type ViewChange,
} from "../../../src/protocols/pbft/index.js";
import { pp, prep, req } from "./util.js";

describe("digests", () => {
  it("canonical encoding ignores key order; digests cover client, timestamp and op", () => {
    expect(canonical({ b: 1, a: [1, "x", null, { d: -0, c: true }] })).toBe(
      canonical({ a: [1, "x", null, { c: true, d: 0 }], b: 1 }),
    );
    const d = requestDigest(1, 1, { type: "put", key: "k", value: 1 });
    expect(d).toMatch(/^[0-9a-f]{16}$/);
    expect(requestDigest(1, 1, { value: 1, key: "k", type: "put" })).toBe(d);
    expect(requestDigest(2, 1, { type: "put", key: "k", value: 1 })).not.toBe(d);
    expect(requestDigest(1, 2, { type: "put", key: "k", value: 1 })).not.toBe(d);
    expect(requestDigest(1, 1, { type: "put", key: "k", value: 2 })).not.toBe(d);
    const r = makeRequest(1, 1, { type: "get", key: "k" }, 8);
    expect(verifyRequest(r)).toBe(true);
    expect(verifyRequest({ ...r, timestamp: 2 })).toBe(false);
    expect(batchDigest([])).toBe(NULL_DIGEST);
    expect(batchDigest([r, req(2, 1)])).not.toBe(batchDigest([req(2, 1), r]));
  });
});

describe("KvApplication", () => {
  it("executes put/get/add canonically; digest is order independent; snapshot/restore round-trips", () => {
    const a = new KvApplication();
    const ctx = { client: 1, timestamp: 1, seq: 1 };
    expect(a.execute({ type: "get", key: "x" }, ctx)).toBe("none");
    expect(a.execute({ type: "put", key: "x", value: { z: 1, y: 2 } }, ctx)).toBe("ok");
    expect(a.execute({ type: "get", key: "x" }, ctx)).toBe('{"y":2,"z":1}');
    expect(a.execute({ type: "add", key: "n", delta: 5 }, ctx)).toBe("5");
    expect(a.execute({ type: "add", key: "n", delta: -2 }, ctx)).toBe("3");
    expect(a.execute({ type: "add", key: "x", delta: 1 }, ctx)).toBe("error:not-a-number");
    expect(a.execute({ type: "nope", key: "x" }, ctx)).toBe("error:bad-op");
    const b = new KvApplication();
    b.execute({ type: "add", key: "n", delta: 3 }, ctx);
    b.execute({ type: "put", key: "x", value: { y: 2, z: 1 } }, ctx);
    expect(b.stateDigest()).toBe(a.stateDigest());
    const snap = a.snapshot();
    a.execute({ type: "put", key: "x", value: 0 }, ctx);
    expect(a.stateDigest()).not.toBe(b.stateDigest());
    const c = new KvApplication();
    c.restore(snap);
    expect(c.stateDigest()).toBe(b.stateDigest());
    expect(c.snapshotSize()).toBe(b.snapshotSize());
    expect(c.snapshotSize()).toBeGreaterThan(0);
  });
});

function proof(seq: number, digest: string, ids: number[]): Checkpoint[] {
  return ids.map((replica) => ({ type: "checkpoint", seq, digest, replica }));
}

describe("planNewView (O set)", () => {
  it("min-s = max stable seq, max-s = highest certificate, highest view wins, null fills gaps", () => {
    const vcs: ViewChange[] = [
      {
        type: "view-change",
        view: 2,
        replica: 0,
        stableSeq: 2,
        stableDigest: "c2",
        proof: proof(2, "c2", [0, 1, 2]),
        prepared: [
          { seq: 3, view: 0, digest: "d3", prepares: [1, 2] },
          { seq: 5, view: 0, digest: "d5", prepares: [1, 2] },
        ],
      },
      {
        type: "view-change",
        view: 2,
        replica: 1,
        stableSeq: 0,
        stableDigest: "",
        proof: [],
        prepared: [
          { seq: 1, view: 0, digest: "old", prepares: [1, 2] },
          { seq: 3, view: 1, digest: "d3new", prepares: [0, 2] },
        ],
      },
      { type: "view-change", view: 2, replica: 2, stableSeq: 2, stableDigest: "c2", proof: proof(2, "c2", [0, 1, 2]), prepared: [] },
    ];
    const plan = planNewView(vcs);
    expect([plan.minS, plan.maxS, plan.minDigest]).toEqual([2, 5, "c2"]);
    expect(plan.slots.map((s) => [s.seq, s.digest])).toEqual([
      [3, "d3new"],
      [4, NULL_DIGEST],
      [5, "d5"],
    ]);
    expect(plan.slots.some((s) => s.tie)).toBe(false);
  });

  it("ties at the same highest view pick the smallest digest and are flagged", () => {
    const mk = (replica: number, digest: string): ViewChange => ({
      type: "view-change",
      view: 1,
      replica,
      stableSeq: 0,
      stableDigest: "",
      proof: [],
      prepared: [{ seq: 1, view: 0, digest, prepares: [1, 2] }],
    });
    const plan = planNewView([mk(0, "bbb"), mk(1, "aaa"), mk(2, "bbb")]);
    expect(plan.slots).toEqual([{ seq: 1, digest: "aaa", certView: 0, tie: true }]);
  });
});

describe("NEW-VIEW validation at a backup", () => {
  it("installs the genuine NEW-VIEW and ignores tampered or misaddressed ones", () => {
    const cfg = makeConfig({ n: 4 });
    const rs = [1, 2, 3].map((i) => new Replica(i, cfg, new KvApplication()));
    // slot 1 prepared at R1..R3 in view 0
    const p0 = pp(0, 1, [req(100, 1)]);
    for (const r of rs) r.step(0, p0, 0);
    for (const r of rs) for (const j of [1, 2, 3]) if (j !== r.id) r.step(j, prep(0, 1, p0.digest, j), 0);
    for (const r of rs) r.drainEffects();
    const vcs = new Map<number, ViewChange>();
    for (const r of rs) {
      r.suspectPrimary(1);
      for (const e of r.drainEffects()) if (e.kind === "broadcast" && e.msg.type === "view-change") vcs.set(r.id, e.msg);
    }
    expect(vcs.get(2)!.prepared.map((c) => [c.seq, c.view, c.prepares.length])).toEqual([[1, 0, 2]]);
    const [r1, r2] = rs as [Replica, Replica];
    r1.step(2, vcs.get(2)!, 1);
    r1.step(3, vcs.get(3)!, 1);
    const nvEff = r1.drainEffects().find((e): e is Extract<Effect, { kind: "broadcast" }> => e.kind === "broadcast" && e.msg.type === "new-view");
    const nv = nvEff!.msg as NewView;
    expect(nv.prePrepares.map((x) => [x.seq, x.digest])).toEqual([[1, p0.digest]]);
    expect(r1.view).toBe(1);
    expect(r1.mode).toBe("normal");
    const tampered: NewView = { ...nv, prePrepares: [{ ...nv.prePrepares[0]!, digest: NULL_DIGEST }] };
    r2.step(1, tampered, 2);
    expect(r2.mode).toBe("view-changing");
    r2.step(3, { ...nv, replica: 3 }, 2);
    expect(r2.mode).toBe("view-changing");
    const short: NewView = { ...nv, viewChanges: nv.viewChanges.slice(0, 2) };
    r2.step(1, short, 2);
    expect(r2.mode).toBe("view-changing");
    r2.step(1, nv, 2);
    expect(r2.mode).toBe("normal");
    expect(r2.view).toBe(1);
    const eff = r2.drainEffects();
    expect(eff.some((e) => e.kind === "broadcast" && e.msg.type === "prepare" && e.msg.view === 1 && e.msg.seq === 1)).toBe(true);
  });
});

describe("persistence", () => {
  it("persist() is a deep copy: later progress does not change it", () => {
    const cfg = makeConfig({ n: 4 });
    const r = new Replica(1, cfg, new KvApplication());
    const p0 = pp(0, 1, [req(100, 1)]);
    r.step(0, p0, 0);
    const st = r.persist();
    const json = JSON.stringify(st);
    r.step(2, prep(0, 1, p0.digest, 2), 0);
    r.step(3, prep(0, 1, p0.digest, 3), 0);
    expect(JSON.stringify(st)).toBe(json);
    const r2 = Replica.fromPersisted(st, cfg, new KvApplication());
    expect(r2.slotInfo(1)!.digest).toBe(p0.digest);
    expect(r2.slotInfo(1)!.prepareCount).toBe(1);
  });
});

describe("cost model", () => {
  const n = 4;
  const p0 = pp(0, 1, [req(100, 1)]);
  const pr = prep(0, 1, p0.digest, 1);
  it("authenticators grow with n; signatures do not", () => {
    expect(messageSize(pr, 64)).toBeGreaterThan(messageSize(pr, 4));
    expect(messageSize(pr, 64, "SIG_ALL")).toBe(messageSize(pr, 4, "SIG_ALL"));
    expect(AUTH_PRESETS.MAC_NORMAL_SIG_VC["view-change"]).toBe("signature");
    expect(AUTH_PRESETS.MAC_ALL_WITH_ACKS["view-change"]).toBe("authenticator");
    expect(AUTH_PRESETS.MAC_NORMAL_SIG_VC.reply).toBe("mac");
  });
  it("signing costs more than MACs; pre-prepares carry bodies; VC/STATE sizes grow", () => {
    expect(sendCost(pr, n, n - 1, "SIG_ALL")).toBeGreaterThan(sendCost(pr, n, n - 1, "MAC_NORMAL_SIG_VC"));
    expect(receiveCost(pr, n, "SIG_ALL")).toBeGreaterThan(DEFAULT_COSTS.cVerify);
    expect(messageSize(p0, n)).toBeGreaterThan(messageSize(pr, n) + 16);
    const big = pp(0, 1, [makeRequest(100, 1, { type: "get", key: "k" }, 10_000)]);
    expect(messageSize(big, n) - messageSize(p0, n)).toBe(10_000 - 16);
    const vc0: ViewChange = { type: "view-change", view: 1, replica: 1, stableSeq: 0, stableDigest: "", proof: [], prepared: [] };
    const vc1: ViewChange = { ...vc0, prepared: [{ seq: 1, view: 0, digest: "d", prepares: [1, 2] }] };
    expect(messageSize(vc1, n)).toBeGreaterThan(messageSize(vc0, n));
    expect(receiveCost(vc1, n, "SIG_ALL")).toBeGreaterThan(receiveCost(vc0, n, "SIG_ALL"));
    const st = {
      type: "state" as const,
      seq: 2,
      digest: "d",
      replica: 0,
      snapshot: null,
      snapshotSize: 1_000_000,
      clientTable: [],
      proof: [],
    };
    expect(messageSize(st, n)).toBeGreaterThan(1_000_000);
  });
  it("receive cost: the base, then each embedded part added in message order (exact doubles)", () => {
    const c = DEFAULT_COSTS;
    const base = (m: Parameters<typeof messageSize>[0]) => c.cMsg + (c.cDigestBase + c.cDigestPerByte * messageSize(m, n, "SIG_ALL")) + c.cVerify;
    // Plain messages: the base alone.
    expect(receiveCost(pr, n, "SIG_ALL")).toBe(base(pr));
    // A pre-prepare adds one verification and one digest per request body.
    const r = p0.requests![0]!;
    expect(receiveCost(p0, n, "SIG_ALL")).toBe(base(p0) + (0 + (c.cVerify + (c.cDigestBase + c.cDigestPerByte * (r.size ?? 0)))));
    // A NEW-VIEW adds, one VIEW-CHANGE after another, its signature and what it embeds.
    const vc: ViewChange = {
      type: "view-change",
      view: 1,
      replica: 1,
      stableSeq: 0,
      stableDigest: "",
      proof: [],
      prepared: [{ seq: 1, view: 0, digest: "d", prepares: [1, 2, 3] }],
    };
    const nv = { type: "new-view" as const, view: 1, replica: 1, viewChanges: [vc, { ...vc, replica: 2 }, { ...vc, replica: 3 }], minS: 0, maxS: 1, prePrepares: [] };
    const perVc = c.cVerify + (0 * c.cVerify + (c.cVerify + 3 * c.cVerify));
    let want = base(nv);
    for (let i = 0; i < 3; i++) want += perVc;
    expect(receiveCost(nv, n, "SIG_ALL")).toBe(want);
  });
});

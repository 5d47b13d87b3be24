// Mutation schedules from pbft-scenarios.md driven by hand: each mutant diverges (SAF-1 / INV-P /
// SAF-2 / INV-K), the correct Replica under the same schedule does not.

import { describe, expect, it } from "vitest";
import {
  batchDigest,
  makeRequest,
  type PreparedCert,
  Replica,
  type Request,
  type ViewChange,
} from "../../../src/protocols/pbft/index.js";
import { Pump, put, type ReplicaCtor } from "./harness.js";
import {
  M1ExecuteOnPrepared,
  M2CommitQuorum2f,
  M3bRawPreparedPredicate,
  M3PrimaryPrepareCounted,
  M4Quorum2f1,
  M8NoLowWatermark,
  M10OutOfOrder,
} from "./mutants.js";
import { com, pp, prep } from "./util.js";

const BIG_K = { checkpointInterval: 100, logWindow: 200 };

function vc(view: number, replica: number, prepared: PreparedCert[] = []): ViewChange {
  return { type: "view-change", view, replica, stableSeq: 0, stableDigest: "", proof: [], prepared };
}

/** Digest executed at `seq` by replica `i` (undefined if none). */
function execAt(p: Pump, i: number, seq: number): string | undefined {
  return p.executed(i).find((o) => o.seq === seq)?.digest;
}

/** SAF-1: replicas `ids` that executed `seq` agree on the digest. */
function agree(p: Pump, ids: number[], seq: number): boolean {
  const ds = new Set(ids.map((i) => execAt(p, i, seq)).filter((d) => d !== undefined));
  return ds.size <= 1;
}

/** INV-P: no two replicas prepared different digests at the same (view, seq). */
function preparedUnique(p: Pump, ids: number[]): boolean {
  const m = new Map<string, string>();
  for (const i of ids) {
    for (const o of p.ofType(i, "prepared")) {
      const k = `${o.view}:${o.seq}`;
      const prev = m.get(k);
      if (prev !== undefined && prev !== o.digest) return false;
      m.set(k, o.digest);
    }
  }
  return true;
}

const A = makeRequest(101, 1, put("x", "A"), 16);
const B = makeRequest(102, 1, put("x", "B"), 16);
const dA = batchDigest([A]);
const dB = batchDigest([B]);

/** Common M1/M2 opening: R0 Byzantine (scripted), B broadcast by c2, PP(0,1,A) to R2 and R3 only. */
function byzantinePrimaryOpening(cls: ReplicaCtor): Pump {
  const p = new Pump({ n: 4, config: BIG_K, replicaClass: cls, clients: [] });
  p.crash(0);
  for (const j of [1, 2, 3]) p.injectRequest(B, j);
  for (const j of [2, 3]) p.inject(0, j, pp(0, 1, [A]));
  p.inject(0, 1, vc(1, 0), 0.5); // R0's VC(1) with an empty P
  return p;
}

function m1(cls: ReplicaCtor): Pump {
  const p = byzantinePrimaryOpening(cls);
  p.filter = (e) => {
    const t = e.msg.type;
    if (t === "prepare" && e.msg.view === 0 && (e.from === 2 || (e.from === 3 && e.to === 1))) return "drop";
    if (t === "view-change" && e.from === 2 && e.to === 1) return "drop"; // R2's VC delayed to R1
    return undefined;
  };
  p.injectRequest(A, 1, 1.5); // c1's retransmission of A
  p.run(6);
  return p;
}

function m2(cls: ReplicaCtor): Pump {
  const p = byzantinePrimaryOpening(cls);
  p.filter = (e) => {
    const t = e.msg.type;
    if (t === "prepare" && e.msg.view === 0 && (e.from === 3 || (e.from === 2 && e.to === 1))) return "drop";
    if (t === "view-change" && e.from === 3 && e.to === 1) return "drop"; // R3's VC delayed to R1
    return undefined;
  };
  p.inject(0, 3, com(0, 1, dA, 0), 0.05);
  p.injectRequest(A, 1, 1.5);
  p.run(6);
  return p;
}

describe("M1 execute on prepared", () => {
  it("mutant: R2 executes A at 1 while R1, R3 execute B at 1 (SAF-1)", () => {
    const p = m1(M1ExecuteOnPrepared);
    expect(execAt(p, 2, 1)).toBe(dA);
    expect(execAt(p, 1, 1)).toBe(dB);
    expect(execAt(p, 3, 1)).toBe(dB);
    expect(agree(p, [1, 2, 3], 1)).toBe(false);
  });
  it("correct: B at 1 everywhere, A later at 2", () => {
    const p = m1(Replica);
    for (const i of [1, 2, 3]) {
      expect(execAt(p, i, 1)).toBe(dB);
      expect(execAt(p, i, 2)).toBe(dA);
    }
  });
});

describe("M2 commit quorum 2f", () => {
  it("mutant: R3 executes A at 1 with 2 COMMITs; R1, R2 execute B at 1 (SAF-1)", () => {
    const p = m2(M2CommitQuorum2f);
    expect(execAt(p, 3, 1)).toBe(dA);
    expect(execAt(p, 1, 1)).toBe(dB);
    expect(execAt(p, 2, 1)).toBe(dB);
    expect(agree(p, [1, 2, 3], 1)).toBe(false);
  });
  it("correct: R3 never executes A at 1", () => {
    const p = m2(Replica);
    expect(agree(p, [1, 2, 3], 1)).toBe(true);
    for (const i of [1, 2, 3]) expect(execAt(p, i, 1)).toBe(dB);
  });
});

describe("M3 primary's PREPARE counted", () => {
  // The mutant's tie-break (smallest digest) must pick A for SAF-1 to show: choose ops so d_A < d_B.
  let a: Request = A;
  const b: Request = B;
  for (let k = 0; batchDigest([a]) > batchDigest([b]); k++) a = makeRequest(101, 1, put("x", `A${k}`), 16);
  const da = batchDigest([a]);
  const db = batchDigest([b]);

  function m3(cls: ReplicaCtor): Pump {
    const p = new Pump({ n: 4, config: BIG_K, replicaClass: cls, clients: [] });
    p.crash(0);
    for (const j of [1, 2, 3]) p.injectRequest(b, j);
    p.inject(0, 1, pp(0, 1, [a]));
    p.inject(0, 1, prep(0, 1, da, 0));
    for (const j of [2, 3]) p.inject(0, j, pp(0, 1, [b]));
    for (const j of [2, 3]) p.inject(0, j, com(0, 1, db, 0), 0.05);
    // R0 also sends VC(1) carrying its own certificate for A (PP + PREPAREs of R0 and R1)
    for (const j of [1, 2, 3]) p.inject(0, j, vc(1, 0, [{ seq: 1, view: 0, digest: da, prepares: [0, 1] }]), 0.5);
    p.filter = (e) => (e.msg.type === "view-change" && e.from === 3 && e.to === 1 ? "drop" : undefined);
    p.run(8);
    return p;
  }

  it("mutant: INV-P fires (A at R1, B at R2/R3 prepared in view 0), then SAF-1 at seq 1", () => {
    const p = m3(M3PrimaryPrepareCounted);
    expect(preparedUnique(p, [1, 2, 3])).toBe(false);
    expect(execAt(p, 2, 1)).toBe(db);
    expect(execAt(p, 3, 1)).toBe(db);
    expect(execAt(p, 1, 1)).toBe(da);
    expect(agree(p, [1, 2, 3], 1)).toBe(false);
    const nv = p.sentOf("new-view")[0]!;
    expect(nv.prePrepares.map((x) => x.digest)).toEqual([da]);
    expect(p.ofType(1, "alarm").some((x) => x.reason === "certificate-tie")).toBe(true);
  });
  it("mutant M3b (prepared predicate over raw PREPARE count): INV-P fires", () => {
    const p = m3(M3bRawPreparedPredicate);
    expect(preparedUnique(p, [1, 2, 3])).toBe(false);
    expect(p.ofType(1, "prepared").map((o) => o.digest)).toContain(da);
  });
  it("correct: R1 is not prepared on A; only B's certificate exists", () => {
    const p = m3(Replica);
    expect(preparedUnique(p, [1, 2, 3])).toBe(true);
    expect(p.ofType(1, "prepared")).toHaveLength(0);
    expect(agree(p, [1, 2, 3], 1)).toBe(true);
    expect(execAt(p, 1, 1)).not.toBe(da); // R1 later learns B's commit certificate (STATUS) or nothing
  });
});

describe("M4 quorum 2f+1 with n = 3f+2", () => {
  function m4(cls: ReplicaCtor): Pump {
    const p = new Pump({ n: 5, config: { ...BIG_K, requestTimeout: 100 }, replicaClass: cls, clients: [] });
    p.crash(0);
    for (const j of [1, 2]) p.inject(0, j, pp(0, 1, [A]));
    for (const j of [3, 4]) p.inject(0, j, pp(0, 1, [B]));
    for (const j of [1, 2]) p.inject(0, j, com(0, 1, dA, 0), 0.05);
    for (const j of [3, 4]) p.inject(0, j, com(0, 1, dB, 0), 0.05);
    p.run(1);
    return p;
  }
  it("mutant: A committed at R1, R2 and B at R3, R4 in view 0 (SAF-1)", () => {
    const p = m4(M4Quorum2f1);
    expect([1, 2, 3, 4].map((i) => execAt(p, i, 1))).toEqual([dA, dA, dB, dB]);
  });
  it("correct: nothing prepares", () => {
    const p = m4(Replica);
    for (const i of [1, 2, 3, 4]) expect(p.ofType(i, "prepared")).toHaveLength(0);
    expect(agree(p, [1, 2, 3, 4], 1)).toBe(true);
  });
});

describe("M8 pre-prepare accepted below the low watermark", () => {
  const X = makeRequest(103, 1, put("x", "X"), 16);
  const dX = batchDigest([X]);
  function m8(cls: ReplicaCtor): Pump {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 }, replicaClass: cls, clients: [100] });
    let isolate = true;
    p.filter = (e) => (isolate && (e.to === 3 || e.from === 3) && e.toKind === "replica" ? "drop" : undefined);
    expect(p.runSequential(100, [put("x", "A1"), put("x", "A2")], 5)).toBe(true);
    p.run(p.now + 0.2);
    expect([0, 1, 2].every((i) => p.replicas[i]!.lowWatermark === 2)).toBe(true);
    isolate = false;
    const t = p.now;
    for (const j of [1, 2, 3]) p.inject(0, j, pp(0, 1, [X]));
    for (const j of [1, 2, 3]) p.inject(0, j, com(0, 1, dX, 0), 0.05);
    p.run(t + 0.5);
    return p;
  }
  it("mutant: R3 executes X at 1 while R1, R2 executed A1 there (SAF-1)", () => {
    const p = m8(M8NoLowWatermark);
    expect(execAt(p, 3, 1)).toBe(dX);
    expect(execAt(p, 1, 1)).not.toBe(dX);
    expect(agree(p, [1, 2, 3], 1)).toBe(false);
  });
  it("correct: R1, R2 drop the pre-prepare; R3 never prepares X", () => {
    const p = m8(Replica);
    expect(p.ofType(3, "prepared")).toHaveLength(0);
    expect(agree(p, [0, 1, 2, 3], 1)).toBe(true);
  });
});

describe("M10 out-of-order execution", () => {
  function m10(cls: ReplicaCtor): Pump {
    const p = new Pump({
      n: 4,
      config: { checkpointInterval: 2, logWindow: 4 },
      replicaClassFor: (i) => (i === 3 ? cls : Replica),
      clients: [101, 102],
    });
    p.filter = (e) => (e.msg.type === "commit" && e.msg.seq === 1 && e.to === 3 ? 10 * p.latency : undefined);
    p.submit(101, put("x", 1));
    p.at(0.001, () => p.submit(102, put("x", 2)));
    p.run(2);
    return p;
  }
  it("mutant: R3 executes 2 before 1 (SAF-2); final x and checkpoint 2 differ (INV-K)", () => {
    const p = m10(M10OutOfOrder);
    expect(p.executedSeqs(3).map(([s]) => s)).toEqual([2, 1]);
    expect(p.apps[3]!.read("x")).toBe(1);
    expect(p.apps[0]!.read("x")).toBe(2);
    expect(p.replicas[3]!.checkpointDigests().get(2)).not.toBe(p.replicas[0]!.checkpointDigests().get(2));
    expect(p.ofType(3, "alarm").some((a) => a.reason === "checkpoint-divergence")).toBe(true);
    expect(p.accepted(101)).toHaveLength(1);
    expect(p.accepted(102)).toHaveLength(1);
  });
  it("correct: R3 waits for slot 1", () => {
    const p = m10(Replica);
    expect(p.executedSeqs(3).map(([s]) => s)).toEqual([1, 2]);
    expect(p.apps.every((a) => a.read("x") === 2)).toBe(true);
    expect(p.alarmsAnywhere()).toEqual([]);
  });
});

// Full-world PBFT scenarios with one Byzantine replica (pbft-scenarios.md B, C, G): invalid and
// impersonated ordering messages (S10), watermark abuse (S11), noise/fuzzing (S12) and Byzantine
// replies (S27). Faults come from src/faults (forge, fuzz, badReplies behaviours); the wire is
// observed with `tap`.

import { describe, expect, it } from "vitest";
import type { Prepare, PrePrepare } from "../../../src/protocols/pbft/index.js";
import { invariants, pbftScenario, pbftWorld, range, replica, runPbft, stateDigests, tap } from "./support.js";

const F = "test/fixtures/pbft";

function tapped(overrides: string[], until = 15) {
  const r = pbftWorld(pbftScenario(`${F}/s10.yaml`, overrides), 1);
  const wire = tap(r);
  r.until(until);
  return { r, wire };
}

describe("S10 invalid and impersonated ordering messages", () => {
  it("(a) pre-prepares whose digest does not match the body: no PREPARE/COMMIT in view 0, all requests ordered in view 1", () => {
    const { r, wire } = tapped(["pbft.faults.0.variant=badDigest"]);
    expect(invariants(r)).toEqual([]);
    const forged = wire.filter((w) => w.msg.type === "pre-prepare" && w.msg.view === 0);
    expect(forged.length).toBeGreaterThan(0);
    expect(wire.filter((w) => (w.msg.type === "prepare" || w.msg.type === "commit") && w.msg.view === 0)).toEqual([]);
    for (const i of range(0, 3)) {
      expect(r.rec.prepared[i]!.filter((p) => p.view === 0)).toEqual([]);
      expect(r.rec.seqs(i)).toEqual(range(1, 5));
      expect(r.rec.executed[i]!.every((e) => e.view === 1)).toBe(true);
    }
  });

  it("(b) a backup's own pre-prepares are ignored: ordering stays in view 0 with the primary's batches", () => {
    const { r, wire } = tapped(["pbft.faults.0.variant=backupPrePrepare", "pbft.faults.0.replica=3"]);
    expect(invariants(r)).toEqual([]);
    const fake = wire.filter((w) => w.msg.type === "pre-prepare" && w.from === 3);
    expect(fake.length).toBeGreaterThan(0);
    expect(fake.every((w) => (w.msg as PrePrepare).replica === 3 && (w.msg as PrePrepare).digest === "null")).toBe(true);
    for (const i of range(0, 3)) {
      expect(r.rec.seqs(i)).toEqual(range(1, 5));
      expect(r.rec.executed[i]!.every((e) => e.view === 0 && e.digest !== "null")).toBe(true);
      expect(r.rec.prepared[i]!.every((p) => p.digest !== "null")).toBe(true);
    }
    expect(r.rec.viewChanges.flat()).toEqual([]);
  });

  it("(c) PREPARE/COMMIT naming another replica on R3's channel and (d) truncated ones are discarded", () => {
    for (const variant of ["impersonate", "truncate"]) {
      const { r, wire } = tapped([`pbft.faults.0.variant=${variant}`, "pbft.faults.0.replica=3"]);
      expect(invariants(r)).toEqual([]);
      const bad = wire.filter((w) => w.from === 3 && (w.msg.type === "prepare" || w.msg.type === "commit"));
      expect(bad.length).toBeGreaterThan(0);
      expect(bad.every((w) => (w.msg as Prepare).replica !== 3)).toBe(true);
      for (const i of range(0, 3)) expect(r.rec.seqs(i)).toEqual(range(1, 5));
      expect(r.rec.viewChanges.flat()).toEqual([]);
    }
  });

  it("(e) the primary's PREPARE does not count: R1 holding PP + own PREPARE + R0's PREPARE is not prepared", () => {
    // PREPAREs from replicas 2 and 3 to replica 1 are dropped; replica 0 adds its own PREPARE
    const { r, wire } = tapped(["pbft.faults.0.variant=primaryPrepare", "network.rules.0.probability=1"]);
    expect(invariants(r)).toEqual([]);
    const primaryPrepares = wire.filter((w) => w.from === 0 && w.msg.type === "prepare" && w.to === 1);
    expect(primaryPrepares.length).toBe(5);
    expect(r.rec.prepared[1]!.filter((p) => p.view === 0)).toEqual([]);
    for (const i of [2, 3]) expect(r.rec.prepared[i]!.filter((p) => p.view === 0).map((p) => p.seq)).toEqual(range(1, 5));
    // R0, R2, R3 order everything; R1 catches up without ever being prepared on A
    for (const i of range(0, 3)) expect(r.rec.seqs(i)).toEqual(range(1, 5));
    expect(new Set(stateDigests(r, range(0, 3))).size).toBe(1);
  });
});

describe("S11 watermark abuse (K = 2, L = 4)", () => {
  for (const seq of [1000, 1]) {
    it(`r3 proposed only at ${seq} (${seq > 6 ? "above H" : "at or below h"}): no PREPARE, view change, R1 orders r3 at 3`, () => {
      const r = pbftWorld(pbftScenario(`${F}/s11.yaml`, [`pbft.faults.0.seq=${seq}`]), 1);
      const wire = tap(r);
      r.until(10);
      expect(invariants(r)).toEqual([]);
      const forged = wire.filter((w) => w.msg.type === "pre-prepare" && w.msg.view === 0 && w.time >= 0.2);
      expect(forged.length).toBe(3);
      expect(forged.every((w) => (w.msg as PrePrepare).seq === seq)).toBe(true);
      expect(wire.filter((w) => w.msg.type === "prepare" && w.msg.view === 0 && w.time >= 0.2)).toEqual([]);
      for (const i of range(0, 3)) {
        expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
        expect(r.rec.requests(i)).toEqual(["0:1", "0:2", "0:3", "0:4"]);
        expect(r.rec.executed[i]!.map((e) => e.view)).toEqual([0, 0, 1, 1]);
        expect(r.rec.executed[i]!.filter((e) => e.seq === 1)).toHaveLength(1);
        expect(replica(r, i).view).toBe(1);
      }
    });
  }
});

describe("S12 Byzantine backup noise / fuzzing (K = 4, L = 8)", () => {
  it("R0–R2 execute the fault-free run's 20 requests in the same order, no view change, checkpoints from R0–R2", () => {
    const clean = runPbft(`${F}/s12.yaml`, ["pbft.faults=[]"]);
    const r = pbftWorld(pbftScenario(`${F}/s12.yaml`), 1);
    const wire = tap(r);
    r.until(10);
    expect(invariants(r)).toEqual([]);
    // the noise went out: wrong digests, other views, far sequence numbers, a checkpoint a million ahead
    const noise = wire.filter((w) => w.from === 3);
    expect(noise.some((w) => w.msg.type === "prepare" && w.msg.view === 1)).toBe(true);
    expect(noise.some((w) => w.msg.type === "commit" && w.msg.seq > 1000)).toBe(true);
    expect(noise.some((w) => w.msg.type === "checkpoint" && w.msg.seq > 1_000_000)).toBe(true);
    for (const i of [0, 1, 2]) {
      expect(r.rec.seqs(i)).toEqual(range(1, 20));
      expect(r.rec.executed[i]!.map((e) => e.digest)).toEqual(clean.rec.executed[i]!.map((e) => e.digest));
      expect(r.rec.viewChanges[i]).toEqual([]);
      expect(r.rec.stable[i]!.map((s) => s.seq)).toEqual([4, 8, 12, 16, 20]);
      expect(replica(r, i).lowWatermark).toBe(20); // the far checkpoint moved nothing
    }
    for (const k of range(0, 4)) expect(new Set([0, 1, 2].map((i) => r.rec.stable[i]![k]!.digest)).size).toBe(1);
    expect(new Set(stateDigests(r, [0, 1, 2])).size).toBe(1);
    expect(stateDigests(r, [0])).toEqual(stateDigests(clean, [0]));
  });
});

describe("S27 Byzantine replies", () => {
  for (const field of ["result", "timestamp"]) {
    it(`(${field === "result" ? "a" : "c"}) R3 replies with a wrong ${field}: the client waits for f+1 matching genuine replies`, () => {
      const r = pbftWorld(pbftScenario(`${F}/s27.yaml`, [`pbft.faults.0.field=${field}`]), 1);
      const wire = tap(r);
      r.until(10);
      expect(invariants(r)).toEqual([]); // SAF-5: accepted results equal the correct replicas'
      const fromR3 = wire.filter((w) => w.from === 3 && w.msg.type === "reply");
      expect(fromR3.length).toBeGreaterThan(0);
      const computed = r.rec.executed[0]!.map((e) => e.requests[0]!.result);
      if (field === "result") expect(fromR3.every((w) => w.msg.type === "reply" && !computed.includes(w.msg.result))).toBe(true);
      // until 2 s only R0's genuine reply and R3's bad one reach the client: no acceptance
      const acc = r.rec.accepted[0]!;
      expect(acc.map((a) => a.timestamp)).toEqual([1, 2]);
      expect(acc[0]!.time).toBeGreaterThan(2);
      expect(acc.map((a) => a.result)).toEqual(computed);
      // each request executed once per replica although the client retransmitted
      for (const i of range(0, 3)) expect(r.rec.requests(i)).toEqual(["0:1", "0:2"]);
    });
  }
});

// Scripted Byzantine replicas (faults/script.ts): the declared messages and only those go out (read
// off the world observer's stream), built with the protocol's constructors; claims the replica cannot
// back with messages it holds are dropped and recorded (the authentication model, docs/pbft.md §1.4);
// a state-transfer reply with fabricated state is refused by the honest replica.

import { describe, expect, it } from "vitest";
import { batchDigest, type Message, type ViewChange } from "../../../src/protocols/pbft/index.js";
import { NoopObserver } from "../../../src/world/observe.js";
import { PbftWorld } from "../../../src/world/pbft/world.js";
import { pbftScenario } from "./support.js";

class Sends extends NoopObserver {
  readonly log: Array<{ from: number; to: number; kind: string; msg: Message; t: number }> = [];
  override sent(_id: number, from: number, to: number, kind: string, _b: number, msg: unknown, now: number): void {
    this.log.push({ from, to, kind, msg: msg as Message, t: now });
  }
}

function run(file: string) {
  const scenario = pbftScenario(file);
  const obs = new Sends();
  const world = new PbftWorld(scenario, 1, { worldObserver: obs });
  world.sim.run({ until: scenario.until });
  const out = world.finish();
  const t = out.tables.find((x) => x.name === "script")!;
  const script = t.rows.map((r) => Object.fromEntries(t.columns.map((c, k) => [c, r[k]])));
  return { world, out, sends: obs.log, script };
}

describe("scripted Byzantine replicas", () => {
  it("a three-way equivocation sends exactly the declared pre-prepares, one version per receiver", () => {
    const { world, sends, script } = run("test/fixtures/pbft/script-equivocation.yaml");
    const submitted = new Map<number, string>();
    for (const s of sends) if (s.kind === "request" && s.msg.type === "request") submitted.set(s.msg.request.client, s.msg.request.digest);
    const pps = sends.filter((s) => s.from === 0 && s.kind === "pre-prepare");
    expect(pps.map((s) => [s.to, s.t, (s.msg as { view: number; seq: number }).view, (s.msg as { seq: number }).seq])).toEqual([
      [1, 0.01, 0, 1],
      [2, 0.01, 0, 1],
      [3, 0.01, 0, 1],
    ]);
    // client c's request alone, with its body, digest computed the protocol's way
    pps.forEach((s, k) => {
      const pp = s.msg as Extract<Message, { type: "pre-prepare" }>;
      expect(pp.requests!.map((r) => r.digest)).toEqual([submitted.get(k)]);
      expect(pp.digest).toBe(batchDigest(pp.requests!));
      expect(pp.replica).toBe(0);
    });
    expect(script.map((r) => [r.step, r.to, r.outcome])).toEqual([
      [1, "1", "sent"],
      [1, "2", "sent"],
      [1, "3", "sent"],
    ]);
    // no correct replica prepares any version; the view change orders all three requests; safe
    expect(world.violations).toEqual([]);
    expect(world.hosts.hostsOf(1)[0]!.replica.view).toBeGreaterThanOrEqual(1);
    expect(world.hosts.hostsOf(1)[0]!.replica.lastExecuted).toBe(3);
  });

  it("claims it cannot back are removed and recorded; backed ones go out (checkpoint proof, prepared certificate, V)", () => {
    const { world, sends, script } = run("test/fixtures/pbft/script-claims.yaml");
    expect(world.violations).toEqual([]);
    expect(script.map((r) => [r.step, r.kind, r.outcome, r.detail])).toEqual([
      [
        1,
        "view-change",
        "sent-trimmed",
        "prepared certificate (view 0, seq 3): PREPAREs of 0 not held, not claimed; prepared certificate (view 0, seq 4) dropped: holds no PRE-PREPARE of primary 0 for forged",
      ],
      [2, "view-change", "sent", ""],
      [
        2,
        "new-view",
        "sent-trimmed",
        "VIEW-CHANGE(7) of replica 0 not held, left out of V; VIEW-CHANGE(7) of replica 1 not held, left out of V; VIEW-CHANGE(7) of replica 2 not held, left out of V",
      ],
    ]);
    const vc = sends.find((s) => s.from === 3 && s.kind === "view-change" && (s.msg as ViewChange).view === 1)!.msg as ViewChange;
    // the checkpoint claim is proven by CHECKPOINT messages it received (and its own)
    expect(vc.stableSeq).toBe(2);
    expect(vc.proof.map((c) => c.replica)).toEqual([0, 1, 2]);
    expect(vc.proof.every((c) => c.seq === 2 && c.digest === vc.stableDigest)).toBe(true);
    // the one certificate it holds: backups 1 and 2, whose PREPAREs it received
    expect(vc.prepared.map((c) => [c.seq, c.view, c.prepares])).toEqual([[3, 0, [1, 2]]]);
    const nv = sends.find((s) => s.from === 3 && s.kind === "new-view")!.msg as Extract<Message, { type: "new-view" }>;
    expect(nv.viewChanges.map((v) => v.replica)).toEqual([3]);
    // nobody installs a NEW-VIEW with one VIEW-CHANGE, and no correct replica moved on
    for (const r of [0, 1, 2]) expect(world.hosts.hostsOf(r)[0]!.replica.view).toBe(0);
  });

  it("a STATE reply with fabricated state is refused: the replica takes the real checkpoint from another", () => {
    const { world, sends, script } = run("test/fixtures/pbft/script-fabricated-state.yaml");
    expect(world.violations).toEqual([]);
    // Nobody else signed a CHECKPOINT for the fabricated digest: the proof is left out, and the record says so.
    expect(script.map((r) => [r.kind, r.to, r.outcome])).toEqual([["state", "3", "sent-trimmed"]]);
    expect(script[0]!.detail).toMatch(/^checkpoint proof left out: holds CHECKPOINT\(6, [0-9a-f]+\) of 0 only \(needs 3\)$/);
    const state = sends.find((s) => s.from === 0 && s.kind === "state")!.msg as Extract<Message, { type: "state" }>;
    expect([state.seq, state.proof]).toEqual([6, []]);
    const digests = [1, 2, 3].map((r) => world.hosts.hostsOf(r)[0]!.replica.application.stateDigest());
    expect(new Set(digests).size).toBe(1);
    expect(world.hosts.hostsOf(3)[0]!.replica.lastExecuted).toBe(9);
    const app = world.hosts.hostsOf(3)[0]!.replica.application as unknown as { read(k: string): unknown };
    expect(app.read("k0")).not.toBe("stolen");
  });
});

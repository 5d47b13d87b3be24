// INV-K on adopted state (pbft.md §10.2, §1.4, INV-K): a Byzantine state-transfer server answers a
// lagging replica with a fabricated state for a later checkpoint and a proof of forged CHECKPOINT
// messages. Detection: with a protocol that trusts a proof by the ids it lists, the state is adopted
// and the checker — replaying the agreed history itself — reports INV-K at that moment. Prevention:
// the correct replica checks every CHECKPOINT of a proof against the world's signature oracle, refuses
// the answer and fetches the genuine state from the next member of the certificate.

import { describe, expect, it } from "vitest";
import type { ActiveBehaviour, BehaviourWindow } from "../../../src/faults/index.js";
import {
  type Application,
  type Checkpoint,
  ClientTable,
  checkpointDigest,
  type DigestMemo,
  KvApplication,
  type PbftConfig,
  Replica,
  type ReplicaMessage,
  type StateMessage,
} from "../../../src/protocols/pbft/index.js";
import type { ReplicaFactory } from "../../../src/world/pbft/host.js";
import { type PbftRun, pbftScenario, pbftWorld, replica } from "./support.js";

const SCENARIO = "test/fixtures/pbft/invk-adopt.yaml";

/** The protocol before this fix: a checkpoint proof counts by the ids it lists (no signature check). */
class TrustingReplica extends Replica {
  protected override validCheckpointProof(seq: number, digest: string, proof: ReadonlyArray<Checkpoint>): boolean {
    const ids = new Set<number>();
    for (const m of proof) {
      if (m.type !== "checkpoint" || m.seq !== seq || m.digest !== digest) return false;
      ids.add(m.replica);
    }
    return ids.size >= this.config.quorum;
  }
}
const trusting: ReplicaFactory = (id: number, c: PbftConfig, app: Application, d: DigestMemo) => new TrustingReplica(id, c, app, d);

/** What replica 0 sends instead of an honest STATE: a later checkpoint nobody executed, "proven" by forged CHECKPOINTs. */
function fabricate(m: StateMessage): StateMessage {
  const seq = m.seq + 2;
  const app = new KvApplication();
  app.execute({ type: "put", key: "treasury", value: "mallory" }, { client: 0, timestamp: 1, seq });
  const table = ClientTable.fromEntries([{ client: 0, timestamp: 1_000, result: "ok" }]);
  const digest = checkpointDigest(app.stateDigest(), table.digest());
  const proof: Checkpoint[] = [0, 1, 2].map((j) => ({ type: "checkpoint", seq, digest, replica: j }));
  return { ...m, seq, digest, snapshot: app.snapshot(), snapshotSize: app.snapshotSize(), clientTable: table.entries(), proof };
}

/** Runs the scenario with replica 0 as the fabricating state server; returns the run and the fabricated answers sent. */
function run(factory?: ReplicaFactory): { r: PbftRun; fabricated: StateMessage[] } {
  const r = pbftWorld(pbftScenario(SCENARIO), 1, factory);
  const fabricated: StateMessage[] = [];
  const window = { replica: 0, spec: { type: "silent", replica: 0, at: 0 }, from: 0, until: Number.POSITIVE_INFINITY } as BehaviourWindow;
  const server: ActiveBehaviour = {
    window,
    incoming: () => true,
    outgoing: (to: number, msg: ReplicaMessage, emit) => {
      if (msg.type !== "state") return emit(to, msg, 0);
      const f = fabricate(msg);
      fabricated.push(f);
      emit(to, f, 0);
    },
  };
  r.world.hosts.hostsOf(0)[0]!.behaviours.push(server);
  r.until(r.scenario.until);
  r.world.finish();
  return { r, fabricated };
}

describe("INV-K: state adopted by transfer from a Byzantine server", () => {
  it("detection: a protocol trusting proofs by their ids adopts the fabricated state, and INV-K names replica 3 when it happens", () => {
    const { r, fabricated } = run(trusting);
    expect(fabricated.length).toBeGreaterThan(0);
    const adopted = r.rec.transferred[3]!.find((t) => t.stateDigest === fabricated[0]!.digest)!;
    expect(adopted).toBeDefined();
    const v = r.world.violations[0]!;
    expect(v).toMatchObject({ invariant: "INV-K", replicas: [3], seq: adopted.toSeq, time: adopted.time });
    // the forged checkpoint lies one interval beyond what any correct replica had executed
    expect(v.detail).toBe(
      `replica 3 adopted state ${fabricated[0]!.digest} for checkpoint ${adopted.toSeq}, which no correct replica's execution produced (the agreed history reaches seq ${adopted.toSeq - 2})`,
    );
  });

  it("prevention: the correct replica refuses the forged proof, takes the genuine state from the next member, and nothing is reported", () => {
    const { r, fabricated } = run();
    expect(fabricated.length).toBeGreaterThan(0);
    expect(r.world.violations).toEqual([]);
    const forged = new Set(fabricated.map((f) => f.digest));
    expect(r.rec.transferred[3]!.length).toBeGreaterThan(0);
    for (const t of r.rec.transferred[3]!) expect(forged.has(t.stateDigest)).toBe(false);
    const digests = [1, 2, 3].map((i) => replica(r, i).application.stateDigest());
    expect(new Set(digests).size).toBe(1);
    expect(replica(r, 3).lastExecuted).toBe(replica(r, 1).lastExecuted);
  });
});

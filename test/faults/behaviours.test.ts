// Byzantine behaviours rewrite what an honest replica sends, from outside it: silent drops everything,
// equivocate sends the upper half of the backups a null pre-prepare for every real one, wrongDigest
// corrupts votes, censor filters a client's requests, selective talks to some replicas only, replay
// sends everything twice, badReplies fabricates results.

import { describe, expect, it } from "vitest";
import { type BehaviourWindow, type FaultSpec, makeBehaviour } from "../../src/faults/index.js";
import { NULL_DIGEST, type PrePrepare, type Prepare, type ReplicaMessage, type Reply } from "../../src/protocols/pbft/index.js";

type Spec = BehaviourWindow["spec"];
const n = 7;
const self = 0;

function sent(spec: Spec, to: number, msg: ReplicaMessage): Array<{ to: number; msg: ReplicaMessage; delay: number }> {
  const b = makeBehaviour({ replica: self, spec, from: 0, until: 10 }, self, n);
  const out: Array<{ to: number; msg: ReplicaMessage; delay: number }> = [];
  b.outgoing(to, msg, (t, m, delay) => out.push({ to: t, msg: m, delay }), 1);
  return out;
}

const pp: PrePrepare = { type: "pre-prepare", view: 0, seq: 1, digest: "d1", replica: self, requests: [] };
const prep: Prepare = { type: "prepare", view: 0, seq: 1, digest: "d1", replica: self };
const at = { replica: self, at: 0 } as const;

describe("behaviours", () => {
  it("silent sends nothing; replay sends each message again after its delay", () => {
    expect(sent({ type: "silent", ...at }, 1, prep)).toEqual([]);
    expect(sent({ type: "replay", ...at, delay: 2 }, 1, prep)).toEqual([
      { to: 1, msg: prep, delay: 0 },
      { to: 1, msg: prep, delay: 2 },
    ]);
  });

  it("equivocate gives the upper half of the backups a null pre-prepare, the rest the real one", () => {
    const spec: Spec = { type: "equivocate", ...at };
    const digests = [1, 2, 3, 4, 5, 6].map((to) => (sent(spec, to, pp)[0]!.msg as PrePrepare).digest);
    expect(digests).toEqual(["d1", "d1", "d1", NULL_DIGEST, NULL_DIGEST, NULL_DIGEST]);
    expect(sent(spec, 6, prep)).toEqual([{ to: 6, msg: prep, delay: 0 }]);
  });

  it("wrongDigest corrupts PREPARE and COMMIT digests only", () => {
    const spec: Spec = { type: "wrongDigest", ...at };
    expect((sent(spec, 1, prep)[0]!.msg as Prepare).digest).not.toBe("d1");
    expect(sent(spec, 1, pp)[0]!.msg).toBe(pp);
  });

  it("selective reaches only its listed replicas; censor drops one client's requests at the input", () => {
    const sel: Spec = { type: "selective", ...at, to: [2] };
    expect(sent(sel, 1, prep)).toEqual([]);
    expect(sent(sel, 2, prep)).toHaveLength(1);
    const censor = makeBehaviour({ replica: self, spec: { type: "censor", ...at, clients: [3] }, from: 0, until: 10 }, self, n);
    expect(censor.incoming({ type: "request", request: { client: 3 } })).toBe(false);
    expect(censor.incoming({ type: "request", request: { client: 4 } })).toBe(true);
  });

  it("badReplies fabricates a reply's result (or its timestamp)", () => {
    const reply: Reply = { type: "reply", view: 0, timestamp: 5, client: 1, replica: self, result: "ok" };
    const mk = (field: "result" | "timestamp") =>
      makeBehaviour({ replica: self, spec: { type: "badReplies", ...at, field } as Extract<FaultSpec, { type: "badReplies" }>, from: 0, until: 10 }, self, n);
    expect(mk("result").reply!(reply)).toEqual({ ...reply, result: "fabricated:ok" });
    expect(mk("timestamp").reply!(reply)).toEqual({ ...reply, timestamp: 6 });
  });
});

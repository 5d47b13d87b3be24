// Client: f+1 matching replies, Byzantine replies (S27a/c), one outstanding request, view
// learning, retransmission and exactly-once at the replicas (S26).

import { describe, expect, it } from "vitest";
import { Client, type ClientEffect, makeConfig, makeRequest, type Reply } from "../../../src/protocols/pbft/index.js";
import { Pump, put } from "./harness.js";

const cfg = makeConfig({ n: 4 });

function reply(replica: number, timestamp: number, result: string, view = 0, client = 7): Reply {
  return { type: "reply", view, timestamp, client, replica, result };
}

function accepted(effects: ClientEffect[]): string[] {
  return effects.flatMap((e) => (e.kind === "observe" && e.event.type === "accepted" ? [e.event.result] : []));
}

describe("client acceptance (C2, S27)", () => {
  it("sends to the primary, accepts only f+1 matching results from distinct replicas", () => {
    const c = new Client(7, cfg);
    c.submit(put("x", 1), 8, 0);
    const e0 = c.drainEffects();
    expect(e0.find((e) => e.kind === "send")).toMatchObject({ kind: "send", to: 0 });
    const ts = c.current!.timestamp;
    c.step(3, reply(3, ts, "fake"), 0); // S27a: fabricated result
    c.step(3, reply(3, ts, "ok"), 0); // same replica again: first answer stands
    c.step(2, reply(2, ts + 1, "ok"), 0); // S27c: wrong timestamp
    c.step(2, reply(1, ts, "ok"), 0); // claims R1 on R2's channel
    c.step(0, reply(0, ts, "ok", 0, 8), 0); // another client's reply
    expect(accepted(c.drainEffects())).toEqual([]);
    c.step(0, reply(0, ts, "ok"), 0);
    expect(accepted(c.drainEffects())).toEqual([]);
    c.step(1, reply(1, ts, "ok"), 0);
    const e1 = c.drainEffects();
    expect(accepted(e1)).toEqual(["ok"]);
    expect(e1.some((e) => e.kind === "cancelTimer")).toBe(true);
    expect(c.busy).toBe(false);
  });

  it("a request counts only its own replies: the tallies of an accepted request are not reused", () => {
    const c = new Client(7, cfg);
    c.submit(put("x", 1), 8, 0);
    c.drainEffects();
    const ts1 = c.current!.timestamp;
    c.step(0, reply(0, ts1, "a", 3), 0);
    c.step(1, reply(1, ts1, "a", 3), 0);
    expect(accepted(c.drainEffects())).toEqual(["a"]);
    expect(c.view).toBe(3);
    c.submit(put("x", 2), 8, 0);
    c.drainEffects();
    const ts2 = c.current!.timestamp;
    // Replicas 0 and 1 answered the last request: their first answers to this one still count, once.
    c.step(0, reply(0, ts2, "a", 3), 0);
    c.step(0, reply(0, ts2, "b", 3), 0);
    expect(accepted(c.drainEffects())).toEqual([]);
    c.step(2, reply(2, ts2, "b", 9), 0);
    expect(accepted(c.drainEffects())).toEqual([]); // "a" once, "b" once: no f + 1 yet
    c.step(1, reply(1, ts2, "b", 9), 0);
    expect(accepted(c.drainEffects())).toEqual(["b"]);
    // The view comes from this request's f + 1 "b" replies (9, 9), not from the last request's (3).
    expect(c.view).toBe(9);
  });

  it("queues further submits, retransmits to all replicas, learns the view from f+1 replies", () => {
    const c = new Client(7, cfg);
    c.submit(put("x", 1), 8, 0);
    c.submit(put("x", 2), 8, 0);
    expect(c.queued).toBe(1);
    const e0 = c.drainEffects();
    expect(e0.filter((e) => e.kind === "send")).toHaveLength(1);
    c.timeout("retransmit", 1);
    const e1 = c.drainEffects();
    expect(e1.filter((e) => e.kind === "broadcast")).toHaveLength(1);
    expect(e1.some((e) => e.kind === "observe" && e.event.type === "retransmitted")).toBe(true);
    expect(e1.some((e) => e.kind === "setTimer")).toBe(true);
    const ts = c.current!.timestamp;
    c.step(3, reply(3, ts, "ok", 99), 1); // a Byzantine replica claiming a huge view
    c.step(1, reply(1, ts, "ok", 1), 1);
    const e2 = c.drainEffects();
    expect(accepted(e2)).toEqual(["ok"]);
    expect(c.view).toBe(1);
    const next = e2.find((e) => e.kind === "send");
    expect(next).toMatchObject({ kind: "send", to: 1 });
    expect(c.current!.timestamp).toBe(ts + 1);
  });
});

describe("S26 retransmission and exactly-once", () => {
  it("(a) lost replies: retransmission gets cached replies, no new sequence number", () => {
    const p = new Pump({ n: 4 });
    p.filter = (e, now) => (e.msg.type === "reply" && now < 0.5 ? "drop" : undefined);
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 5)).toBe(true);
    expect(p.now).toBeGreaterThan(1);
    expect(p.count("pre-prepare")).toBe(3);
    for (let i = 0; i < 4; i++) expect(p.executedRequests(i)).toHaveLength(1);
    p.run(p.now + 3);
    expect(p.replicas.every((r) => r.view === 0)).toBe(true);
  });

  it("(b) retransmission reaching the primary mid-protocol does not get a second sequence number", () => {
    const p = new Pump({ n: 4 });
    p.filter = (e, now) => (e.msg.type === "commit" && now < 0.1 ? 1.2 : undefined);
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 5)).toBe(true);
    expect(p.clientObs.get(100)!.some((o) => o.type === "retransmitted")).toBe(true);
    expect(p.count("pre-prepare")).toBe(3);
    expect(p.replicas[0]!.lastAssigned).toBe(1);
    for (let i = 0; i < 4; i++) expect(p.executedRequests(i)).toHaveLength(1);
  });

  it("(c) primary crashes after A prepared: A re-proposed at 1 and executed once", () => {
    const p = new Pump({ n: 4 });
    p.filter = (e) => (e.msg.type === "commit" && e.msg.view === 0 ? "drop" : undefined);
    p.submit(100, put("a", 1));
    p.run(0.05);
    expect([1, 2, 3].every((i) => p.replicas[i]!.slotInfo(1)!.prepared)).toBe(true);
    p.crash(0);
    expect(p.runUntil(() => p.accepted(100).length === 1, 20)).toBe(true);
    p.run(p.now + 2);
    for (const i of [1, 2, 3]) {
      expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1]);
      expect(p.executedRequests(i)).toHaveLength(1);
    }
    expect(p.replicas[1]!.view).toBe(1);
    expect(p.replicas[1]!.lastAssigned).toBe(1);
    expect(p.sentOf("pre-prepare", (e) => e.from === 1)).toHaveLength(0);
  });

  it("(d) an older timestamp is discarded; the last one re-sends the cached reply", () => {
    const p = new Pump({ n: 4 });
    expect(p.runSequential(100, [put("a", 1), put("a", 2)], 5)).toBe(true);
    p.run(p.now + 1);
    const t = p.now;
    const old = makeRequest(100, 1, put("a", 99), 8);
    const last = makeRequest(100, 2, put("a", 2), 8);
    for (let i = 0; i < 4; i++) p.injectRequest(old, i);
    p.injectRequest(last, 2);
    p.run(t + 2);
    expect(p.count("pre-prepare", t)).toBe(0);
    expect(p.count("reply", t)).toBe(1);
    for (let i = 0; i < 4; i++) expect(p.executedRequests(i)).toHaveLength(2);
    expect(p.apps.every((a) => a.read("a") === 2)).toBe(true);
  });
});

describe("client strategies", () => {
  const first = (c: Client) => c.drainEffects().filter((e) => e.kind === "send" || e.kind === "broadcast");

  it("primary (default): the first attempt goes to the primary it believes in, with a leader schedule too", () => {
    const c = new Client(7, cfg);
    c.submit(put("a", 1), 8, 0);
    expect(first(c).map((e) => [e.kind, e.kind === "send" ? e.to : -1])).toEqual([["send", 0]]);
    const led = new Client(7, makeConfig({ n: 4, leaders: [2] }));
    led.submit(put("a", 1), 8, 0);
    expect(first(led).map((e) => [e.kind, e.kind === "send" ? e.to : -1])).toEqual([["send", 2]]);
  });

  it("broadcast: the first attempt already goes to every replica; retransmissions too", () => {
    const c = new Client(7, cfg, undefined, "broadcast");
    c.submit(put("a", 1), 8, 0);
    expect(first(c).map((e) => e.kind)).toEqual(["broadcast"]);
    c.timeout("retransmit", 1);
    expect(first(c).map((e) => e.kind)).toEqual(["broadcast"]);
  });

  it("broadcast in a group: the request is pending at every backup as soon as it arrives", () => {
    const p = new Pump({ n: 4 });
    const c = new Client(100, p.config, p.digests, "broadcast");
    c.submit(put("x", 1), 8, 0);
    const sends = c.drainEffects().filter((e) => e.kind === "broadcast");
    expect(sends).toHaveLength(1);
    for (const r of p.replicas) r.receiveRequest(100, (sends[0] as { msg: Parameters<typeof r.receiveRequest>[1] }).msg, 0);
    for (const r of p.replicas.slice(1)) expect(r.pendingRequestCount).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/kernel/index.js";
import { defaultNetworkConfig, Network, type NetworkRule, type ReleaseEvent } from "../../src/net/index.js";
import { harness } from "./helpers.js";

const fast = { latency: { model: "constant" as const, value: 0.01 } };

describe("targeted rules", () => {
  it("drop by kind only affects that kind", () => {
    const h = harness({ ...fast, rules: [{ action: "drop", kind: ["prepare", "commit"], probability: 1 }] }, 2);
    h.net.send(0, 1, "prepare", 1, "p");
    h.net.send(0, 1, "commit", 1, "c");
    h.net.send(0, 1, "reply", 1, "r");
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["r"]);
    const rows = Object.fromEntries(h.net.stats().kinds.map((k) => [k.kind, k.droppedRule]));
    expect(rows).toEqual({ commit: 1, prepare: 1, reply: 0 });
  });

  it("drop by source and destination", () => {
    const h = harness({ ...fast, rules: [{ action: "drop", from: 0, to: [2], probability: 1 }] }, 3);
    h.net.send(0, 2, "m", 1, "0>2");
    h.net.send(0, 1, "m", 1, "0>1");
    h.net.send(1, 2, "m", 1, "1>2");
    h.net.send(2, 0, "m", 1, "2>0");
    h.sim.run();
    expect(h.log.map((d) => d.msg).sort()).toEqual(["0>1", "1>2", "2>0"]);
  });

  it("time window [start, end) on send time", () => {
    const h = harness({ ...fast, rules: [{ action: "drop", start: 1, end: 2, probability: 1 }] }, 2);
    for (const t of [0.5, 1, 1.5, 2]) h.at(t, () => h.net.send(0, 1, "m", 1, t));
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual([0.5, 2]);
  });

  it("probability: about p of matching messages dropped", () => {
    const h = harness({ ...fast, rules: [{ action: "drop", kind: "m", probability: 0.25 }] }, 2, 3);
    for (let i = 0; i < 4000; i++) h.net.send(0, 1, "m", 1, i);
    h.sim.run();
    const dropped = 4000 - h.log.length;
    expect(dropped).toBeGreaterThan(900);
    expect(dropped).toBeLessThan(1100);
  });

  it("delay and duplicate actions", () => {
    const h = harness(
      {
        ...fast,
        rules: [
          { action: "delay", kind: "slow", probability: 1, delay: 2 },
          { action: "duplicate", kind: "twice", probability: 1 },
        ],
      },
      2,
    );
    h.net.send(0, 1, "slow", 1, "s");
    h.net.send(0, 1, "twice", 1, "t");
    h.sim.run();
    expect(h.log.map((d) => [d.msg, d.t])).toEqual([
      ["t", 0.01],
      ["t", 0.01],
      ["s", 2.01],
    ]);
    expect(h.net.stats().kinds.find((k) => k.kind === "twice")!.duplicated).toBe(1);
  });

  it("addRule / removeRule at run time", () => {
    const h = harness(fast, 2);
    let id = 0;
    h.at(1, () => {
      id = h.net.addRule({ action: "drop", to: 1, probability: 1 });
    });
    h.at(2, () => expect(h.net.removeRule(id)).toBe(true));
    for (const t of [0.5, 1.5, 2.5]) h.at(t, () => h.net.send(0, 1, "m", 1, t));
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual([0.5, 2.5]);
    expect(h.net.removeRule(id)).toBe(false);
  });
});

// ---- rules on protocol fields, occurrences, hold and redirect ------------------------------------

interface Msg {
  view?: number;
  seq?: number;
  digest?: string;
  client?: number;
  ts?: number;
}

/** A reader for test messages (the world supplies the real one, world/pbft/reader.ts); counts its calls. */
function reader() {
  const r = {
    reads: 0,
    read(msg: unknown, out: { view: number; seq: number; digest: string }) {
      r.reads++;
      const m = msg as Msg;
      out.view = m.view ?? -1;
      out.seq = m.seq ?? -1;
      out.digest = m.digest ?? "";
    },
    hasRequest(msg: unknown, client: number, timestamp: number) {
      const m = msg as Msg;
      return m.client === client && (timestamp < 0 || m.ts === timestamp);
    },
  };
  return r;
}

function protoHarness(rules: NetworkRule[], nodes = 4) {
  const rd = reader();
  const gates: Array<{ event: ReleaseEvent; open: () => void }> = [];
  const sim = new Simulation(1);
  const net = new Network(sim, { ...defaultNetworkConfig(), ...fast, rules }, nodes, { reader: rd, gate: (event, open) => gates.push({ event, open }) });
  const log: Array<{ t: number; to: number; from: number; msg: Msg }> = [];
  net.onDeliver((to, from, _k, _s, msg, t) => log.push({ t, to, from, msg: msg as Msg }));
  const call = sim.register("test.call", (_t, p) => (p as () => void)());
  return { sim, net, log, rd, gates, at: (time: number, fn: () => void) => sim.scheduleAt(time, -1, call, fn) };
}

const rule = (r: Partial<NetworkRule> & Pick<NetworkRule, "action">): NetworkRule => ({ probability: 1, ...r });

describe("rules on protocol fields", () => {
  it("view, seq and digest: one value, a list, a range; messages without the field never match", () => {
    const h = protoHarness([
      rule({ action: "drop", view: 1 }),
      rule({ action: "drop", seq: [3, 5] }),
      rule({ action: "drop", seq: { min: 10, max: 11 } }),
      rule({ action: "drop", digest: "bad" }),
    ]);
    const msgs: Msg[] = [{ view: 0, seq: 1 }, { view: 1, seq: 1 }, { view: 0, seq: 3 }, { view: 0, seq: 4 }, { view: 0, seq: 5 }, { seq: 9 }, { seq: 10 }, { seq: 11 }, { seq: 12 }, { digest: "bad" }, { digest: "good" }, {}];
    for (const m of msgs) h.net.send(0, 1, "m", 1, m);
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual([{ view: 0, seq: 1 }, { view: 0, seq: 4 }, { seq: 9 }, { seq: 12 }, { digest: "good" }, {}]);
  });

  it("client (and timestamp): the request of a client, through the reader", () => {
    const h = protoHarness([rule({ action: "drop", client: 2 }), rule({ action: "drop", client: 3, timestamp: 2 })]);
    for (const m of [{ client: 1 }, { client: 2, ts: 1 }, { client: 3, ts: 1 }, { client: 3, ts: 2 }]) h.net.send(0, 1, "m", 1, m);
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual([{ client: 1 }, { client: 3, ts: 1 }]);
  });

  it("occurrence: only the k-th matching message (counting copies that match every other field)", () => {
    const h = protoHarness([rule({ action: "drop", kind: "m", seq: 1, occurrence: [2, 4] })]);
    for (let i = 1; i <= 5; i++) h.net.send(0, 1, "m", 1, { seq: 1, i });
    h.net.send(0, 1, "m", 1, { seq: 2, i: 6 });
    h.net.send(0, 1, "other", 1, { seq: 1, i: 7 });
    h.sim.run();
    expect(h.log.map((d) => (d.msg as { i: number }).i)).toEqual([1, 3, 5, 6, 7]);
  });

  it("a table without protocol-field rules never calls the reader", () => {
    const h = protoHarness([rule({ action: "delay", kind: "m", delay: 1 }), rule({ action: "drop", to: 3 })]);
    for (let i = 0; i < 50; i++) h.net.send(0, 1 + (i % 3), "m", 1, { seq: i });
    h.sim.run();
    expect(h.rd.reads).toBe(0);
    expect(h.log.length).toBe(34);
  });

  it("the reader is called once per evaluated message, and only after the cheap tests pass", () => {
    const h = protoHarness([rule({ action: "drop", kind: "commit", view: 5 }), rule({ action: "drop", kind: "commit", seq: 5 })]);
    h.net.send(0, 1, "prepare", 1, { view: 5 });
    h.net.send(0, 1, "commit", 1, { view: 4, seq: 4 });
    h.sim.run();
    expect(h.rd.reads).toBe(1);
    expect(h.log.length).toBe(2);
  });

  it("hold until a time: a held message arrives at the later of the release time and its own arrival; later ones pass", () => {
    const h = protoHarness([rule({ action: "hold", seq: 1, until: 2 })]);
    h.net.send(0, 1, "m", 1, { seq: 1 });
    h.net.send(0, 1, "m", 1, { seq: 2 });
    h.at(3, () => h.net.send(0, 1, "m", 1, { seq: 1, late: true }));
    h.sim.run();
    expect(h.log.map((d) => [d.msg, d.t])).toEqual([
      [{ seq: 2 }, 0.01],
      [{ seq: 1 }, 2],
      [{ seq: 1, late: true }, 3.01],
    ]);
  });

  it("hold until an event: messages wait (in flight) until the world opens the gate, then go in hold order; after that the rule holds nothing", () => {
    const h = protoHarness([rule({ action: "hold", kind: "vc", until: { event: "viewEntered" } })]);
    expect(h.gates.map((g) => g.event.event)).toEqual(["viewEntered"]);
    h.net.send(0, 1, "vc", 1, { i: 1 });
    h.net.send(0, 2, "vc", 1, { i: 2 });
    h.at(1, () => {
      expect(h.net.heldCount).toBe(2);
      expect(h.net.inFlight).toBe(2);
      h.gates[0]!.open();
    });
    h.at(2, () => h.net.send(0, 1, "vc", 1, { i: 3 }));
    h.sim.run();
    expect(h.log.map((d) => [(d.msg as { i: number }).i, d.to, d.t])).toEqual([
      [1, 1, 1],
      [2, 2, 1],
      [3, 1, 2.01],
    ]);
    expect(h.net.heldCount).toBe(0);
  });

  it("redirect: the copy goes to the deliverTo nodes instead (never back to its sender), and is dropped for its receiver", () => {
    const h = protoHarness([rule({ action: "redirect", to: 1, seq: 7, deliverTo: [0, 2, 3] })]);
    h.net.send(0, 1, "m", 1, { seq: 7 });
    h.net.send(0, 1, "m", 1, { seq: 8 });
    h.sim.run();
    expect(h.log.map((d) => [d.to, (d.msg as Msg).seq]).sort()).toEqual([
      [1, 8],
      [2, 7],
      [3, 7],
    ]);
    const k = h.net.stats().kinds.find((x) => x.kind === "m")!;
    expect([k.sent, k.droppedRule, k.delivered]).toEqual([4, 1, 3]);
  });

  it("a protocol-field rule without a reader is refused", () => {
    const sim = new Simulation(1);
    expect(() => new Network(sim, { ...defaultNetworkConfig(), rules: [rule({ action: "drop", seq: 1 })] }, 2)).toThrow(/message reader/);
    expect(() => new Network(new Simulation(1), { ...defaultNetworkConfig(), rules: [rule({ action: "hold", until: { event: "x" } })] }, 2)).toThrow(/protocol events/);
  });
});

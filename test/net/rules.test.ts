import { describe, expect, it } from "vitest";
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

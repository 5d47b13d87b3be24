import { describe, expect, it } from "vitest";
import { harness } from "./helpers.js";

const MB = 1_000_000;

describe("bandwidth and link FIFO", () => {
  it("back-to-back 1 MB messages on an 8 Mbit/s link arrive 1 s apart; other links unaffected", () => {
    const h = harness({ latency: { model: "constant", value: 0.1 }, bandwidth: 8_000_000 }, 3);
    h.net.send(0, 1, "block", MB, "first");
    h.net.send(0, 1, "block", MB, "second");
    h.net.send(0, 2, "block", MB, "other-link");
    h.net.send(1, 0, "block", MB, "reverse");
    h.sim.run();
    const at = Object.fromEntries(h.log.map((d) => [d.msg as string, d.t]));
    expect(at.first).toBeCloseTo(1.1, 12);
    expect(at.second).toBeCloseTo(2.1, 12);
    expect(at.second! - at.first!).toBeCloseTo(1, 12);
    expect(at["other-link"]).toBeCloseTo(1.1, 12);
    expect(at.reverse).toBeCloseTo(1.1, 12);
  });

  it("a message sent after the link drained starts at once", () => {
    const h = harness({ latency: { model: "constant", value: 0.1 }, bandwidth: 8_000_000 }, 2);
    h.net.send(0, 1, "block", MB, "a");
    h.at(5, () => h.net.send(0, 1, "block", MB / 2, "b"));
    h.at(5.2, () => h.net.send(0, 1, "block", MB / 2, "c")); // waits until 5.5 for b to finish
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["a", "b", "c"]);
    expect(h.log[1]!.t).toBeCloseTo(5.6, 12);
    expect(h.log[2]!.t).toBeCloseTo(6.1, 12);
  });

  it("infinite bandwidth has no serialization delay", () => {
    const h = harness({ latency: { model: "constant", value: 0.1 }, bandwidth: null }, 2);
    h.net.send(0, 1, "block", 100 * MB, "big");
    h.net.send(0, 1, "block", 100 * MB, "big2");
    h.sim.run();
    expect(h.log.map((d) => d.t)).toEqual([0.1, 0.1]);
  });

  it("self-sends skip the link: zero delay, even with faults configured", () => {
    const h = harness(
      { latency: { model: "constant", value: 0.1 }, bandwidth: 8, loss: 1, partitions: [{ at: 0, isolate: 0, symmetric: true }] },
      2,
    );
    h.at(2, () => h.net.send(0, 0, "self", MB, "me"));
    h.sim.run();
    expect(h.log.map((d) => [d.t, d.to, d.from, d.msg])).toEqual([[2, 0, 0, "me"]]);
  });
});

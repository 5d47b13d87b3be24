import { describe, expect, it } from "vitest";
import type { PartitionEvent } from "../../src/net/index.js";
import { harness } from "./helpers.js";

const fast = { latency: { model: "constant" as const, value: 0.1 } };

describe("programmatic fault API", () => {
  it("isolate / reconnect", () => {
    const h = harness(fast, 3);
    h.net.isolate(1);
    expect(h.net.reachable(0, 1)).toBe(false);
    expect(h.net.reachable(1, 2)).toBe(false);
    expect(h.net.reachable(0, 2)).toBe(true);
    h.net.send(0, 1, "m", 1, "in");
    h.net.send(1, 2, "m", 1, "out");
    h.net.send(0, 2, "m", 1, "other");
    h.at(1, () => {
      h.net.reconnect(1);
      h.net.send(0, 1, "m", 1, "later");
    });
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["other", "later"]);
  });

  it("cutLink cuts one direction only; restoreLink undoes it", () => {
    const h = harness(fast, 2);
    h.net.cutLink(0, 1);
    h.net.send(0, 1, "m", 1, "0>1");
    h.net.send(1, 0, "m", 1, "1>0");
    h.at(1, () => {
      h.net.restoreLink(0, 1);
      h.net.send(0, 1, "m", 1, "0>1 again");
    });
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["1>0", "0>1 again"]);
  });

  it("down node: its sends are dropped, messages to it are dropped at delivery", () => {
    const h = harness(fast, 2);
    h.net.send(0, 1, "m", 1, "in flight when 1 crashes");
    h.at(0.05, () => h.net.setNodeDown(1, true));
    h.at(0.5, () => {
      expect(h.net.isDown(1)).toBe(true);
      h.net.send(1, 0, "m", 1, "from down node");
      h.net.send(1, 1, "m", 1, "down self-send");
    });
    h.at(1, () => {
      h.net.send(0, 1, "m", 1, "to recovering node");
      h.net.setNodeDown(1, false); // back before arrival at 1.1
    });
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["to recovering node"]);
    expect(h.net.stats().kinds[0]!.droppedDown).toBe(3);
  });

  it("messages sent before the sender goes down are still delivered", () => {
    const h = harness(fast, 2);
    h.net.send(0, 1, "m", 1, "sent");
    h.at(0.05, () => h.net.setNodeDown(0, true));
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["sent"]);
  });

  it("partition(groups) / heal() with change events", () => {
    const h = harness(fast, 4);
    const events: PartitionEvent[] = [];
    h.net.onPartitionChange((e) => events.push(e));
    h.net.partition([[0, 1], [2, 3]], true);
    expect(h.net.reachable(0, 2)).toBe(false);
    expect(h.net.reachable(2, 0)).toBe(false);
    expect(h.net.reachable(0, 1)).toBe(true);
    h.net.partition([[0], [1, 2, 3]], false); // replaces the previous one
    expect(h.net.activePartitions).toBe(1);
    expect(h.net.reachable(0, 2)).toBe(false);
    expect(h.net.reachable(2, 0)).toBe(true);
    h.net.heal();
    expect(h.net.reachable(0, 2)).toBe(true);
    expect(events.map((e) => `${e.type}:${e.source}`)).toEqual(["start:manual", "heal:manual", "start:manual", "heal:manual"]);
  });

  it("heal() leaves scheduled partitions, isolations and cut links alone", () => {
    const h = harness({ ...fast, partitions: [{ at: 0, groups: [[0]], symmetric: true }] }, 4);
    h.net.isolate(3);
    h.net.cutLink(1, 2);
    h.net.partition([[1], [2]], true);
    h.net.heal();
    expect(h.net.reachable(0, 1)).toBe(false);
    expect(h.net.reachable(3, 2)).toBe(false);
    expect(h.net.reachable(1, 2)).toBe(false);
    expect(h.net.reachable(2, 1)).toBe(true);
  });

  it("rejects out-of-range node ids", () => {
    const h = harness(fast, 2);
    expect(() => h.net.send(0, 2, "m", 1, null)).toThrow(RangeError);
    expect(() => h.net.broadcast(0, [1, -1], "m", 1, null)).toThrow(RangeError);
    expect(() => h.net.isolate(5)).toThrow(RangeError);
  });
});

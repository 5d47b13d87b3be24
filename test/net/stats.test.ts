import { describe, expect, it } from "vitest";
import { harness } from "./helpers.js";

describe("counters", () => {
  it("add up: sent + duplicated = delivered + dropped (by reason), per kind and per node", () => {
    const n = 6;
    const h = harness(
      {
        latency: { model: "uniform", min: 0.01, max: 0.2 },
        loss: 0.05,
        duplicate: 0.1,
        partitions: [{ at: 1, heal: 2, groups: [[0, 1]], symmetric: true }],
        rules: [
          { action: "drop", kind: "vote", from: 2, probability: 0.5 },
          { action: "duplicate", kind: "block", probability: 0.2 },
        ],
      },
      n,
      17,
    );
    const all = Array.from({ length: n }, (_, i) => i);
    h.at(2.5, () => h.net.setNodeDown(5, true));
    h.at(3.5, () => h.net.setNodeDown(5, false));
    for (let step = 0; step < 50; step++) {
      h.at(step * 0.1, () => {
        for (let f = 0; f < n; f++) h.net.broadcast(f, all, step % 2 === 0 ? "vote" : "block", step % 2 === 0 ? 100 : 5000, step);
      });
    }
    h.sim.run();
    expect(h.net.inFlight).toBe(0);
    const { kinds, nodes } = h.net.stats();
    expect(kinds.map((k) => k.kind)).toEqual(["block", "vote"]);
    for (const k of kinds) {
      expect(k.sent).toBe(25 * n * n);
      expect(k.sent + k.duplicated).toBe(k.delivered + k.dropped);
      expect(k.dropped).toBe(k.droppedLoss + k.droppedPartition + k.droppedRule + k.droppedDown);
      expect(k.droppedLoss).toBeGreaterThan(0);
      expect(k.droppedPartition).toBeGreaterThan(0);
      expect(k.droppedDown).toBeGreaterThan(0);
      expect(k.duplicated).toBeGreaterThan(0);
      expect(k.bytesSent).toBe(k.sent * (k.kind === "vote" ? 100 : 5000));
      expect(k.bytesDelivered).toBe(k.delivered * (k.kind === "vote" ? 100 : 5000));
      const rows = nodes.filter((r) => r.kind === k.kind);
      expect(rows.map((r) => r.node)).toEqual(all);
      expect(rows.reduce((s, r) => s + r.messagesSent, 0)).toBe(k.sent);
      expect(rows.reduce((s, r) => s + r.bytesSent, 0)).toBe(k.bytesSent);
      expect(rows.reduce((s, r) => s + r.messagesReceived, 0)).toBe(k.delivered);
      expect(rows.reduce((s, r) => s + r.bytesReceived, 0)).toBe(k.bytesDelivered);
    }
    expect(kinds.find((k) => k.kind === "vote")!.droppedRule).toBeGreaterThan(0);
    expect(kinds.find((k) => k.kind === "block")!.droppedRule).toBe(0);
    const votes = kinds.find((k) => k.kind === "vote")!;
    expect(h.log.filter((d) => d.kind === "vote").length).toBe(votes.delivered);
  });

  it("sorted by kind name (not first use), then node; silent kinds and nodes omitted", () => {
    const h = harness({ rules: [{ action: "drop", kind: "never-sent", probability: 1 }] }, 4);
    h.net.send(3, 1, "zeta", 1, null);
    h.net.send(2, 0, "Alpha", 1, null);
    h.net.send(1, 0, "alpha", 1, null);
    h.sim.run();
    const { kinds, nodes } = h.net.stats();
    expect(kinds.map((k) => k.kind)).toEqual(["Alpha", "alpha", "zeta"]);
    expect(nodes.map((r) => `${r.kind}/${r.node}`)).toEqual(["Alpha/0", "Alpha/2", "alpha/0", "alpha/1", "zeta/1", "zeta/3"]);
  });

  it("counts many kinds (counter arrays grow)", () => {
    const h = harness({}, 3);
    for (let k = 0; k < 40; k++) h.net.send(k % 3, (k + 1) % 3, `k${String(k).padStart(2, "0")}`, k, k);
    h.sim.run();
    const { kinds } = h.net.stats();
    expect(kinds).toHaveLength(40);
    kinds.forEach((row, k) => {
      expect(row.kind).toBe(`k${String(k).padStart(2, "0")}`);
      expect([row.sent, row.delivered, row.bytesSent]).toEqual([1, 1, k]);
    });
  });
});

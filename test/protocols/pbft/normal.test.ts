// Normal-case behaviour: S01 message counts, checkpoints and GC, determinism.

import { describe, expect, it } from "vitest";
import { Pump, put } from "./harness.js";

describe("S01 fault-free ordering", () => {
  for (const n of [4, 7]) {
    it(`n=${n}: 10 requests, counts per request, checkpoints 4 and 8, GC`, () => {
      const p = new Pump({ n, config: { checkpointInterval: 4, logWindow: 8 } });
      const ops = Array.from({ length: 10 }, (_, i) => put("x", i + 1));
      expect(p.runSequential(100, ops, 100)).toBe(true);
      p.run(p.now + 1);
      for (let i = 0; i < n; i++) {
        expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(p.executedRequests(i)).toHaveLength(10);
        expect(p.replicas[i]!.view).toBe(0);
        expect(p.replicas[i]!.lowWatermark).toBe(8);
        expect(p.replicas[i]!.logSeqs()).toEqual([9, 10]);
        expect(p.ofType(i, "checkpointStable").map((o) => o.seq)).toEqual([4, 8]);
        expect(p.ofType(i, "viewChangeStarted")).toHaveLength(0);
      }
      const d4 = new Set(p.replicas.map((r) => r.checkpointDigests().get(8)));
      expect(d4.size).toBe(1);
      expect(p.count("pre-prepare")).toBe(10 * (n - 1));
      expect(p.count("prepare")).toBe(10 * (n - 1) * (n - 1));
      expect(p.count("commit")).toBe(10 * n * (n - 1));
      expect(p.count("reply")).toBe(10 * n);
      expect(p.count("checkpoint")).toBe(2 * n * (n - 1));
      expect(p.count("view-change")).toBe(0);
      expect(p.accepted(100).map((a) => a.result)).toEqual(Array(10).fill("ok"));
      expect(p.apps.every((a) => a.read("x") === 10)).toBe(true);
    });
  }
});

// The stall guard (src/sweep/stall-guard.ts): a pool whose threads return nothing for far longer
// than the tasks' estimates reruns the tasks in flight on new threads once, then gives them up as
// error results. The clock runs from the last result, so queued tasks are not counted as stalled
// while results keep coming. Unit tests on a fake clock; then a real Piscina pool whose worker
// (test/fixtures/sweep/stalling-worker.mjs) wedges a thread the way a stalled one would.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../src/scenario/index.js";
import { piscinaRunner } from "../../src/sweep/pool.js";
import { STALL_FACTOR, type StallReport, StallWatch } from "../../src/sweep/stall-guard.js";
import { estimatedTaskSeconds, type TaskPayload } from "../../src/sweep/task.js";
import type { RunnableScenario } from "../../src/world/models.js";
import { FIXTURES, ROOT } from "./support.js";

describe("StallWatch on a fake clock", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("aborts a task with no result after floor + factor × estimate, not before, and marks it for a rerun", () => {
    vi.useFakeTimers();
    const seen: StallReport[] = [];
    const w = new StallWatch((r) => seen.push(r), 10, () => Date.now());
    const e = w.start(0.5, true); // limit 10 + 20 × 0.5 = 20 s
    vi.advanceTimersByTime(19_900);
    expect([seen, e.stalled, e.signal.aborted]).toEqual([[], false, false]);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual([{ tasks: 1, seconds: 10 + STALL_FACTOR * 0.5, retried: true }]);
    expect([e.stalled, e.signal.aborted]).toEqual([true, true]);
    expect(String(e.signal.reason)).toContain("no result from the worker threads in 20 s");
  });

  it("a limit beyond setTimeout's range (a task estimated at 30 hours) waits it out instead of firing at once", () => {
    vi.useFakeTimers();
    const seen: StallReport[] = [];
    const w = new StallWatch((r) => seen.push(r), 10, () => Date.now());
    const estimatedSec = 30 * 3600; // limit 10 + 20 × 108,000 s = 2,160,010 s: about 25 days, over 2^31 ms
    const delays: number[] = [];
    const setTimer = globalThis.setTimeout;
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return setTimer(fn, ms);
    }) as typeof setTimeout);
    const e = w.start(estimatedSec, true);
    expect(delays).toEqual([2 ** 31 - 1]); // what Node takes as given; a longer delay would fire after 1 ms
    vi.advanceTimersByTime(1_000);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(2 ** 31); // the first timer's step has passed; the limit has not
    expect([seen, e.stalled]).toEqual([[], false]);
    vi.advanceTimersByTime(2_160_010_000 - 2 ** 31);
    expect(seen).toEqual([{ tasks: 1, seconds: 10 + STALL_FACTOR * estimatedSec, retried: true }]);
    // no usable estimate: never presumed stalled
    const unknown = w.start(Number.NaN, true);
    vi.advanceTimersByTime(100 * 2 ** 31);
    expect([seen.length, unknown.stalled]).toEqual([1, false]);
    w.stop();
  });

  it("a result from any task restarts the clock for the others", () => {
    vi.useFakeTimers();
    const seen: StallReport[] = [];
    const w = new StallWatch((r) => seen.push(r), 10, () => Date.now());
    const a = w.start(0, true);
    const b = w.start(0, true);
    vi.advanceTimersByTime(8_000);
    w.done(a);
    vi.advanceTimersByTime(8_000); // 16 s since b started, 8 s since the last result
    expect([seen, b.stalled]).toEqual([[], false]);
    vi.advanceTimersByTime(2_100);
    expect(seen).toEqual([{ tasks: 1, seconds: 10, retried: true }]);
    expect(b.stalled).toBe(true);
  });

  it("reports reruns and give-ups apart, and is quiet once every task is done or it is stopped", () => {
    vi.useFakeTimers();
    const seen: StallReport[] = [];
    const w = new StallWatch((r) => seen.push(r), 1, () => Date.now());
    w.start(0, true);
    w.start(0, false);
    w.start(0, false);
    vi.advanceTimersByTime(1_100);
    expect(seen).toEqual([
      { tasks: 1, seconds: 1, retried: true },
      { tasks: 2, seconds: 1, retried: false },
    ]);
    const done = w.start(0, true);
    w.done(done);
    const stopped = w.start(0, true);
    w.stop();
    vi.advanceTimersByTime(10_000);
    expect(seen).toHaveLength(2);
    expect(stopped.stalled).toBe(false);
  });
});

describe("a Piscina pool with a wedged thread", () => {
  const scenario = loadScenario(join(ROOT, FIXTURES, "base-phold.yaml")) as unknown as RunnableScenario;
  const marker = join(mkdtempSync(join(tmpdir(), "potsim-stall-")), "seed-13-wedged");
  const task = (index: number, seed: number): TaskPayload =>
    ({ index, point: index, replicate: 0, seed, scenario, marker }) as unknown as TaskPayload;
  const worker = join(ROOT, FIXTURES, "stalling-worker.mjs");
  // Far above a warm answer (milliseconds), so only the wedged thread counts as stalled on a loaded machine.
  const floorSec = 2;

  it("reruns a task whose thread wedged once: the same result as any other, after one reported stall", async () => {
    const seen: StallReport[] = [];
    const runner = piscinaRunner(2, worker, { onStall: (r) => seen.push(r), stallFloorSec: floorSec });
    try {
      // both threads started and answering before the clock matters
      await Promise.all([runner.run(task(10, 10)), runner.run(task(11, 11))]);
      const results = await Promise.all([task(0, 1), task(1, 13), task(2, 2)].map((t) => runner.run(t)));
      expect(results.map((r) => [r.seed, r.status, r.traceHash])).toEqual([
        [1, "ok", "seed-1"],
        [13, "ok", "seed-13"],
        [2, "ok", "seed-2"],
      ]);
      const limitSec = floorSec + STALL_FACTOR * estimatedTaskSeconds({ scenario });
      expect(seen).toEqual([{ tasks: 1, seconds: limitSec, retried: true }]);
      // the pool goes on with a new thread in place of the terminated one
      expect((await runner.run(task(3, 3))).traceHash).toBe("seed-3");
    } finally {
      await runner.close();
    }
  });

  it("a task that wedges every time becomes an error result naming the stall; a batch with it, one error per task", async () => {
    const seen: StallReport[] = [];
    const runner = piscinaRunner(2, worker, { onStall: (r) => seen.push(r), stallFloorSec: floorSec });
    try {
      const r = await runner.run(task(0, 14));
      expect(r.status).toBe("error");
      expect(r.error).toMatch(/^worker failed: no result from the worker threads in \d+ s$/);
      expect(seen.map((s) => s.retried)).toEqual([true, false]);
      const batch = await runner.runBatch!([task(1, 5), task(2, 14)]);
      expect(batch.map((b) => [b.seed, b.status])).toEqual([
        [5, "error"],
        [14, "error"],
      ]);
    } finally {
      await runner.close();
    }
  });
});

// Task batching (sweep/run-sweep.ts): short tasks go to worker threads several per message, long ones
// one by one, always in task order; a batched 2-worker sweep writes the bytes of a 1-worker sweep
// (cli.test.ts and respawn.test.ts compare whole folders).

import { describe, expect, it } from "vitest";
import { parseScenarioText, resolveScenario } from "../../src/scenario/index.js";
import { batches, startedWorkers } from "../../src/sweep/run-sweep.js";
import type { TaskPayload } from "../../src/sweep/task.js";
import type { RunnableScenario } from "../../src/world/models.js";

const phold = (until: number) =>
  resolveScenario(parseScenarioText(`name: b\nmodel: phold\nseed: 1\nuntil: ${until}\nphold: { lps: 50, init: 4 }\n`, "b.yaml")) as unknown as RunnableScenario;

const tasks = (n: number, scenario: RunnableScenario): TaskPayload[] =>
  Array.from({ length: n }, (_, i) => ({ index: i, point: i, replicate: 0, seed: i + 1, scenario }));

describe("sweep task batches", () => {
  it("cuts millisecond tasks into batches in task order, leaving batches for every worker", () => {
    const pending = tasks(512, phold(5));
    const b = batches(pending, 2);
    expect(b.length).toBeGreaterThan(1);
    expect(b.length).toBeLessThan(512);
    expect(b.length).toBeGreaterThanOrEqual(2 * 4);
    expect(b.flat()).toEqual(pending);
  });

  it("sends long tasks one by one, and runs every task on its own inline", () => {
    const long = tasks(64, phold(100_000));
    expect(batches(long, 2).every((x) => x.length === 1)).toBe(true);
    expect(batches(tasks(512, phold(5)), 1).every((x) => x.length === 1)).toBe(true);
  });

  it("starts as many workers as the estimated work pays for unless --workers says", () => {
    const short = tasks(16, phold(5));
    const long = tasks(16, phold(1_000_000));
    expect(startedWorkers(undefined, short, 8)).toBe(1);
    expect(startedWorkers(undefined, long, 8)).toBe(8);
    expect(startedWorkers(undefined, long, 2)).toBe(2);
    expect(startedWorkers(undefined, tasks(3, phold(1_000_000)), 8)).toBe(3);
    expect(startedWorkers(undefined, [], 8)).toBe(1);
    // Explicit counts are obeyed (capped by the tasks).
    expect(startedWorkers(2, short, 8)).toBe(2);
    expect(startedWorkers(6, tasks(4, phold(5)), 8)).toBe(4);
  });
});

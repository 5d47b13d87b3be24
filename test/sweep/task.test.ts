import { describe, expect, it } from "vitest";
import { executeTask } from "../../src/sweep/execute.js";
import { flattenSummary } from "../../src/sweep/flatten.js";
import { replayCommand } from "../../src/sweep/manifest.js";
import type { TaskPayload } from "../../src/sweep/task.js";
import { parseScenarioText, resolveScenario } from "../../src/scenario/index.js";

/** A small PHOLD scenario through the real scenario pipeline (what a sweep point is). */
const phold = () => resolveScenario(parseScenarioText("name: p\nmodel: phold\nuntil: 5\nphold: { lps: 10, init: 2 }\n", "p.yaml"));

describe("tasks", () => {
  it("flattens summaries into dotted metrics", () => {
    expect(
      flattenSummary({
        a: 1,
        b: { c: "x", d: { e: true } },
        big: 10n ** 20n,
        list: [1, 2],
        none: null,
        nan: Number.NaN,
        inf: Number.NEGATIVE_INFINITY,
        neg0: -0,
      }),
    ).toEqual({ a: 1, "b.c": "x", "b.d.e": true, big: "100000000000000000000", nan: "NaN", inf: "-Inf", neg0: 0 });
  });

  it("a run that throws is status error with its message, not an exception", () => {
    const r = executeTask({
      index: 3,
      point: 1,
      replicate: 1,
      seed: 9,
      // A model no scenario file can name (the schema refuses it): what a hand-built payload could carry.
      scenario: { ...phold(), model: "no-such-model" } as unknown as TaskPayload["scenario"],
    });
    expect(r).toEqual({
      index: 3,
      point: 1,
      replicate: 1,
      seed: 9,
      status: "error",
      error: 'model "no-such-model" is not available',
      warnings: [],
      traceHash: null,
      events: null,
      metrics: {},
    });
  });

  it("runs one world", () => {
    const r = executeTask({
      index: 0,
      point: 0,
      replicate: 0,
      seed: 4,
      scenario: phold(),
    });
    expect(r.status).toBe("ok");
    expect(r.traceHash).toMatch(/^[0-9a-f]+$/);
    expect(r.metrics.processed).toBe(r.events);
  });

  it("quotes replay commands for the shell", () => {
    expect(replayCommand("s.yaml", ["a.b=1", 'c="x y"', "d=it's"], 12)).toBe(
      `sim run s.yaml --set a.b=1 --set 'c="x y"' --set 'd=it'\\''s' --seed 12`,
    );
  });
});

// The `sweep` section, registered next to other sections, validates the block inside a scenario
// and defaults to null when absent (what the lead wires into scenario/sections).

import { describe, expect, it } from "vitest";
import { composeScenario, int, MODELS, parseWith, str } from "../../src/scenario/index.js";
import { phold } from "../../src/scenario/sections/phold.js";
import { sweep } from "../../src/scenario/sections/sweep.js";

const schema = composeScenario({ model: str({ enum: MODELS }), seed: int({ default: 1 }) }, { phold, sweep });

describe("sweep section", () => {
  it("is null when absent and fully defaulted when present", () => {
    expect(parseWith(schema, "model: phold", "a.yaml").sweep).toBeNull();
    const s = parseWith(schema, "model: phold\nsweep:\n  grid: { phold.lps: [10, 20] }", "a.yaml").sweep;
    expect(s).toEqual({ grid: { "phold.lps": [10, 20] }, zip: [], replicates: 1 });
  });

  it("reports problems at their position inside the scenario", () => {
    expect(() => parseWith(schema, "model: phold\nsweep:\n  replicates: 0", "a.yaml")).toThrow(
      "a.yaml:3:15 sweep.replicates: must be >= 1, got 0",
    );
  });

  it("has a JSON Schema", () => {
    const j = sweep.schema.toJson() as { anyOf: { properties: Record<string, unknown> }[] };
    expect(Object.keys(j.anyOf[0]!.properties).sort()).toEqual(["grid", "lhs", "morris", "random", "replicates", "report", "seed", "sobol", "zip"]);
  });
});

// Sections composed into a scenario: required-by-model, node counts from the selected
// model's section, cross-section checks with positions.

import { describe, expect, expectTypeOf, it } from "vitest";
import {
  composeScenario,
  defineSection,
  type Infer,
  int,
  MODELS,
  nullable,
  obj,
  parseWith,
  str,
} from "../../src/scenario/index.js";
import { network } from "../../src/scenario/sections/network.js";
import { phold } from "../../src/scenario/sections/phold.js";
import { errorLines } from "./helpers.js";

// A section as another part of the project would add it (sections/pbft.ts + one export line).
const pbft = defineSection({
  schema: nullable(
    obj(
      {
        n: int({ min: 4, description: "Replicas." }),
        f: int({ min: 1, description: "Faults tolerated." }),
      },
      { description: "PBFT parameters." },
    ),
    { default: null },
  ),
  requiredFor: ["pbft", "pot"],
  nodeCount: (v, model) => (v !== null && model !== "phold" ? { count: v.n, path: "n" } : undefined),
  check: (v, ctx) => {
    if (v !== null && v.n < 3 * v.f + 1) ctx.error("n", `must be >= 3f+1 (${3 * v.f + 1}), got ${v.n}`);
  },
});

const schema = composeScenario({ model: str({ enum: MODELS }) }, { network, pbft, phold });
const F = "s.yaml";
const bad = (text: string) => errorLines(() => parseWith(schema, text, F));

describe("composed sections", () => {
  it("infers section types", () => {
    expectTypeOf<Infer<typeof schema>["pbft"]>().toEqualTypeOf<{ n: number; f: number } | null>();
    expectTypeOf<Infer<typeof schema>["phold"]["lps"]>().toEqualTypeOf<number>();
  });

  it("a section required by the model must be written", () => {
    expect(bad("model: pbft")).toEqual(["s.yaml:1:1 pbft: section is required when model is \"pbft\""]);
    expect(parseWith(schema, "model: phold", F).pbft).toBeNull();
  });

  it("section checks run with positions", () => {
    expect(bad("model: pbft\npbft: {n: 4, f: 2}")).toEqual(["s.yaml:2:11 pbft.n: must be >= 3f+1 (7), got 4"]);
  });

  it("the node count comes from the selected model's section", () => {
    expect(bad("model: pot\npbft: {n: 4, f: 1}\nnetwork: {rules: [{action: drop, to: 4}]}\nphold: {lps: 100}")).toEqual([
      "s.yaml:3:38 network.rules[0].to: node 4 does not exist (pbft.n is 4, so ids are 0..3)",
    ]);
    expect(parseWith(schema, "model: phold\nnetwork: {rules: [{action: drop, to: 4}]}\nphold: {lps: 5}", F).network.rules).toEqual([
      { action: "drop", to: 4, start: 0, probability: 1 },
    ]);
  });

  it("rejects a section that clashes with a top-level key", () => {
    expect(() => composeScenario({ model: str({ enum: MODELS }), phold: int() }, { phold })).toThrow(/clashes/);
  });
});

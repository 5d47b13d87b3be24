// Exact error text (file:line:col key.path: message) for the common mistakes.

import { describe, expect, it } from "vitest";
import { formatIssue, loadScenario, ScenarioError, validateFiles } from "../../src/scenario/index.js";
import { caught, errorLines, fixture } from "./helpers.js";

const load = (name: string, overrides?: string[]) => () => loadScenario(fixture(name), overrides ? { overrides } : {});

describe("scenario errors", () => {
  it("negative latency mean", () => {
    expect(errorLines(load("neg-mean.yaml"))).toEqual([
      `${fixture("neg-mean.yaml")}:6:11 network.latency.mean: must be > 0, got -3`,
    ]);
  });

  it("unknown nested key, pointing at the key, with a suggestion", () => {
    expect(errorLines(load("unknown-nested.yaml"))).toEqual([
      `${fixture("unknown-nested.yaml")}:7:5 network.reorder.maxDelai: unknown key "maxDelai" (did you mean "maxDelay"?)`,
    ]);
  });

  it("wrong type (string for number)", () => {
    expect(errorLines(load("wrong-type.yaml"))).toEqual([
      `${fixture("wrong-type.yaml")}:3:8 phold.lps: must be an integer, got "ten"`,
    ]);
  });

  it("missing required model points at the parent mapping", () => {
    expect(errorLines(load("missing-model.yaml"))).toEqual([
      `${fixture("missing-model.yaml")}:1:1 model: missing required key "model"`,
    ]);
  });

  it("enum violation with did-you-mean", () => {
    expect(errorLines(load("enum.yaml"))).toEqual([
      `${fixture("enum.yaml")}:1:8 model: must be one of "phold", "pbft", "pot", got "pfbt" (did you mean "pbft"?)`,
    ]);
  });

  it("YAML syntax error has file:line:col", () => {
    expect(errorLines(load("syntax.yaml"))).toEqual([
      `${fixture("syntax.yaml")}:4:3 YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
  });

  it("an error in an extended base names the base file", () => {
    expect(errorLines(load("child-of-bad.yaml"))).toEqual([
      `${fixture("bad-base.yaml")}:6:10 network.latency.max: must be >= 0, got -0.01`,
    ]);
  });

  it("extends cycle", () => {
    expect(errorLines(load("cycle-a.yaml"))).toEqual([
      `${fixture("cycle-b.yaml")}:1:10 extends: extends cycle: ${fixture("cycle-a.yaml")} -> ${fixture("cycle-b.yaml")} -> ${fixture("cycle-a.yaml")}`,
    ]);
  });

  it("missing base file is reported at the extends value", () => {
    expect(errorLines(load("missing-base.yaml"))).toEqual([
      `${fixture("missing-base.yaml")}:1:10 extends: cannot read base scenario "${fixture("no-such-base.yaml")}" (no such file)`,
    ]);
  });

  it("missing scenario file", () => {
    expect(errorLines(load("nope.yaml"))).toEqual([`${fixture("nope.yaml")}:1:1 cannot read file (no such file)`]);
  });

  it("--set with a bad key path", () => {
    expect(errorLines(load("minimal.yaml", ["network.los=0.1"]))).toEqual([
      `--set:1:9 network.los: unknown key "los" (did you mean "loss"?)`,
    ]);
    expect(errorLines(load("minimal.yaml", ["seed=1", "model.x=1"]))).toEqual([
      `--set:2:7 model.x: cannot set: model is "phold", not a mapping`,
    ]);
    expect(errorLines(load("full-network.yaml", ["network.rules[7].probability=1"]))).toEqual([
      "--set:1:14 network.rules[7].probability: cannot set: index 7 is out of range (network.rules has 3 items)",
    ]);
  });

  it("--set with a bad value", () => {
    expect(errorLines(load("minimal.yaml", ["network.loss=1.5"]))).toEqual([
      "--set:1:14 network.loss: must be <= 1, got 1.5",
    ]);
    expect(errorLines(load("minimal.yaml", ["phold.lps=[1, 2"]))).toEqual([
      "--set:1:16 phold.lps: invalid value: YAML syntax error: Flow sequence must end with a ]",
    ]);
  });

  it("--set without '=' or with a malformed path", () => {
    expect(errorLines(load("minimal.yaml", ["seed"]))).toEqual(['--set:1:1 expected key.path=value, got "seed"']);
    expect(errorLines(load("minimal.yaml", ["a..b=1"]))).toEqual(['--set:1:1 expected key.path=value, got "a..b=1"']);
  });

  it("collects all errors: three mistakes, three lines", () => {
    const f = fixture("three-mistakes.yaml");
    expect(errorLines(load("three-mistakes.yaml"))).toEqual([
      `${f}:2:7 seed: must be >= 0, got -1`,
      `${f}:4:9 network.loss: must be <= 1, got 1.5`,
      `${f}:7:11 phold.remote: must be a number, got "yes please"`,
    ]);
  });

  it("ScenarioError carries structured errors", () => {
    const e = caught(load("neg-mean.yaml"));
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.errors).toEqual([
      { file: fixture("neg-mean.yaml"), line: 6, col: 11, path: "network.latency.mean", message: "must be > 0, got -3" },
    ]);
    expect(e.message).toBe(e.errors.map(formatIssue).join("\n"));
  });

  it("validateFiles reports every file's problems and nothing for valid files", () => {
    const issues = validateFiles([fixture("minimal.yaml"), fixture("neg-mean.yaml"), fixture("three-mistakes.yaml")]);
    expect(issues.map((i) => `${i.line}:${i.col}`)).toEqual(["6:11", "2:7", "4:9", "7:11"]);
    expect(validateFiles([fixture("minimal.yaml"), fixture("full-network.yaml")])).toEqual([]);
  });
});

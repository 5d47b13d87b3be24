// `extends`: chains, deep merge of mappings (child wins), lists replaced whole, variant
// switches, and positions kept from whichever file supplied a value.

import { describe, expect, it } from "vitest";
import {
  applyOverrides,
  loadScenario,
  parseScenarioText,
  readScenarioDoc,
  resolveScenario,
  toPlain,
} from "../../src/scenario/index.js";
import { errorLines, fixture } from "./helpers.js";

describe("extends", () => {
  it("merges a chain: mappings deep, child wins, lists replaced whole", () => {
    const s = loadScenario(fixture("child.yaml"));
    expect(s.name).toBe("child");
    expect(s.description).toBe("common base");
    expect(s.seed).toBe(7);
    expect(s.model).toBe("phold");
    expect(s.until).toBe(30);
    expect(s.network.latency).toEqual({ model: "lognormal", mu: Math.log(0.05), sigma: 0.5 });
    expect(s.network.loss).toBe(0.05);
    expect(s.network.duplicate).toBe(0.02);
    expect(s.network.partitions).toEqual([{ at: 5, isolate: 3, symmetric: true }]);
    expect(s.phold).toEqual({ lps: 16, init: 4, remote: 0.5, lookahead: 0.1, meanDelay: 1 });
  });

  it("drops the extends key from the merged document", () => {
    const doc = readScenarioDoc(fixture("child.yaml"));
    const plain = toPlain(doc.root) as Record<string, unknown>;
    expect(plain.extends).toBeUndefined();
    expect(Object.keys(plain)).toEqual(["description", "seed", "network", "phold", "model", "until"]);
  });

  it("replaces a discriminated union whole when the child picks another variant", () => {
    const s = loadScenario(fixture("switch-variant.yaml"));
    expect(s.network.latency).toEqual({ model: "uniform", min: 0.01, max: 0.02 });
    expect(s.network.loss).toBe(0.01);
    expect(resolveScenario(readScenarioDoc(fixture("switch-variant.yaml")))).toEqual(s);
  });

  it("keeps positions from the file that supplied each value", () => {
    expect(errorLines(() => loadScenario(fixture("child.yaml"), { overrides: ["phold.lps=2"] }))).toEqual([
      `${fixture("bases/mid.yaml")}:7:16 network.partitions[0].isolate: node 3 does not exist (phold.lps is 2, so ids are 0..1)`,
    ]);
  });

  it("resolves extends relative to the named file for text in hand", () => {
    const doc = parseScenarioText("extends: bases/common.yaml\nmodel: phold\n", fixture("inline.yaml"));
    const s = resolveScenario(doc);
    expect(s.name).toBe("inline");
    expect(s.seed).toBe(7);
    expect(s.phold.lps).toBe(8);
  });

  it("works with the override step in between", () => {
    const doc = applyOverrides(readScenarioDoc(fixture("child.yaml")), ["network.loss=0.2", "name=renamed"]);
    const s = resolveScenario(doc);
    expect(s.network.loss).toBe(0.2);
    expect(s.name).toBe("renamed");
  });

  it("rejects a non-string extends", () => {
    const doc = () => parseScenarioText("extends: [a.yaml]\nmodel: phold\n", "x.yaml");
    expect(errorLines(doc)).toEqual(["x.yaml:1:10 extends: must be a path to a base scenario file, got a list"]);
  });

  it("a file extending itself is a cycle", () => {
    const files: Record<string, string> = { "s/self.yaml": "model: phold\nextends: self.yaml\n" };
    const readFile = (p: string) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return t;
    };
    expect(errorLines(() => loadScenario("s/self.yaml", { readFile }))).toEqual([
      "s/self.yaml:2:10 extends: extends cycle: s/self.yaml -> s/self.yaml",
    ]);
  });
});

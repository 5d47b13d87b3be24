// JUnit XML of a gate (ci/junit.ts): valid against the JUnit schema GitLab and the GitHub reporters
// read (libxml2, test/fixtures/junit/junit.xsd), every string escaped, the failure's body and the
// case's system-out naming invariant, time, view, sequence number and replicas and ending with the
// replay command, attachments as GitLab's [[ATTACHMENT|path]], coverage as suite properties.

import { describe, expect, it } from "vitest";
import { failureText, isPotsimJunit, junitXml, xmlAttr, xmlText } from "../../src/ci/index.js";
import { COVERAGE_PATHS } from "../../src/coverage/index.js";
import { failure, HOSTILE, report } from "./fixtures.js";
import { elements, junitSchemaErrors, testcases, xmlDecode } from "./support.js";

describe("JUnit XML", () => {
  it("the validator catches what it must (so a pass means something): bad nesting, a raw <, a control character", async () => {
    const good = junitXml(report());
    expect(await junitSchemaErrors(good)).toEqual([]);
    expect((await junitSchemaErrors(good.replace("<properties>", "<property/><properties>"))).join()).toMatch(/not expected/);
    expect((await junitSchemaErrors(good.replace("</system-out>", " a < b</system-out>"))).length).toBeGreaterThan(0);
    expect((await junitSchemaErrors(good.replace("</system-out>", "\u0001</system-out>"))).length).toBeGreaterThan(0);
    expect((await junitSchemaErrors(good.replace('tests="2"', 'tests="-1"'))).join()).toMatch(/tests/);
  });

  it("a failing seed: valid, one suite and a case per seed named <scenario>@seed N, failure text with every field and the replay line last", async () => {
    const xml = junitXml(report());
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(isPotsimJunit(xml)).toBe(true);
    const suites = elements(xml, "testsuite");
    expect(suites).toHaveLength(1);
    expect(suites[0]!.attrs).toMatchObject({ name: "odd<name>", tests: "2", failures: "1", errors: "0", skipped: "0", file: "scenarios/odd & <name>.yaml", time: "0.750" });
    const cases = testcases(xml);
    expect(cases.map((c) => c.attrs.name)).toEqual(["odd<name>@seed 6", "odd<name>@seed 7"]);
    expect(cases.map((c) => c.attrs.classname)).toEqual(["odd<name>", "odd<name>"]);
    expect(cases[0]!.inner).not.toContain("<failure");
    const f = elements(cases[1]!.inner, "failure");
    expect(f).toHaveLength(1);
    expect(f[0]!.attrs.type).toBe("SAF-1");
    expect(f[0]!.attrs.message).toMatch(/^SAF-1 at t=1\.5 s: replica 2 committed <b>&amp; "x" 'y' \| then \| /);
    const body = xmlDecode(f[0]!.inner);
    const lines = body.split("\n");
    expect(lines.slice(0, 6)).toEqual(["status: violation", "invariant: SAF-1", "time: 1.5 s (simulated)", "view: 2", "seq: 9", "replicas: r0, r2"]);
    expect(lines.at(-1)).toBe("replay: sim run 'scenarios/odd & <name>.yaml' --seed 7");
    // the same text in system-out
    const out = elements(cases[1]!.inner, "system-out");
    expect(xmlDecode(out[0]!.inner)).toBe(body);
    expect(body).toBe(failureText(failure()).replace(/[\u0001\u001f\uD800]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`));
  });

  it("coverage counters are the suite's properties; a clean case's system-out lists what it reached", () => {
    const xml = junitXml(report());
    const props = Object.fromEntries(elements(xml, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ file: "scenarios/odd & <name>.yaml", model: "pbft", seeds: "2", "check-determinism": "false" });
    expect(props["coverage.view-change.seeds"]).toBe("1");
    expect(props["coverage.view-change.count"]).toBe("3");
    expect(props["coverage.checkpoint-gc.seeds"]).toBe("1");
    expect(props["coverage.checkpoint-gc.count"]).toBe("5");
    expect(props["coverage.null-fill.seeds"]).toBe("0");
    const pbftPaths = COVERAGE_PATHS.filter((p) => p.model === "pbft").map((p) => p.name);
    expect(Object.keys(props).filter((k) => k.startsWith("coverage.") && k.endsWith(".seeds"))).toEqual(pbftPaths.map((p) => `coverage.${p}.seeds`));
    expect(xmlDecode(elements(testcases(xml)[0]!.inner, "system-out")[0]!.inner)).toBe("coverage: checkpoint-gc=5");
  });

  it("attachments (a shrunk capsule) follow the failure text in system-out as [[ATTACHMENT|path]]", async () => {
    const xml = junitXml(report(failure({ attachments: ["shrunk/odd-seed7.yaml", "a & b.yaml"] })));
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const out = xmlDecode(elements(testcases(xml)[1]!.inner, "system-out")[0]!.inner).split("\n");
    expect(out.slice(-3)).toEqual(["replay: sim run 'scenarios/odd & <name>.yaml' --seed 7", "[[ATTACHMENT|shrunk/odd-seed7.yaml]]", "[[ATTACHMENT|a & b.yaml]]"]);
  });

  it("an error run is an <error>, a nondeterministic one a <failure> of that type; --require-coverage adds a coverage suite", async () => {
    const err = junitXml(report(failure({ status: "error", invariant: null, detail: "boom <x>", error: "boom <x>", timeSec: null, view: null, seq: null, replicas: null })));
    expect(await junitSchemaErrors(err)).toEqual([]);
    expect(elements(err, "error")[0]!.attrs).toEqual({ message: "error: boom <x>", type: "error" });
    expect(elements(err, "testsuite")[0]!.attrs).toMatchObject({ failures: "0", errors: "1" });
    const nd = junitXml(report(failure({ status: "nondeterministic", invariant: null, error: "trace a then b", timeSec: null, view: null, seq: null, replicas: null })));
    expect(elements(nd, "failure")[0]!.attrs.type).toBe("nondeterministic");
    const req = junitXml(
      report(null, [
        { path: "view-change", seedsReached: 1, seedsApplicable: 2 },
        { path: "state-transfer", seedsReached: 0, seedsApplicable: 2 },
      ]),
    );
    expect(await junitSchemaErrors(req)).toEqual([]);
    const suites = elements(req, "testsuite");
    expect(suites.map((s) => s.attrs.name)).toEqual(["odd<name>", "coverage"]);
    expect(suites[1]!.attrs).toMatchObject({ tests: "2", failures: "1" });
    const cov = testcases(req).slice(2);
    expect(cov.map((c) => c.attrs.name)).toEqual(["coverage@view-change", "coverage@state-transfer"]);
    expect(cov[0]!.inner).not.toContain("<failure");
    expect(elements(cov[1]!.inner, "failure")[0]!.attrs.message).toBe("required path state-transfer: no seed reached it");
    expect(req).toMatch(/<testsuites name="potsim check" tests="4" failures="1" errors="0" time="0\.750">/);
  });

  it("escaping: text and attribute values round-trip through the decoder; XML-illegal characters become visible \\uXXXX", () => {
    const legal = HOSTILE.replace(/[\u0001\u001f\uD800]/g, "");
    expect(xmlDecode(xmlText(legal))).toBe(legal);
    expect(xmlDecode(xmlAttr(legal))).toBe(legal);
    expect(xmlText("a\u0001b\uD800c\uFFFE")).toBe("a\\u0001b\\uD800c\\uFFFE");
    expect(xmlText("😀")).toBe("😀"); // a surrogate pair is one legal character
    expect(xmlAttr('"<&>\n\t')).toBe("&quot;&lt;&amp;&gt;&#10;&#9;");
    expect(xmlText("]]>")).toBe("]]&gt;");
  });
});

// GitHub Actions outputs (ci/github.ts): annotations as `::error file=…,line=…,title=…::message`
// with GitHub's escaping (a message never ends the command early, a property never splits), at most
// 10 per step; the job summary with seeds, failures and their replay commands, and the coverage table.

import { describe, expect, it } from "vitest";
import { coverageTable, coverageText, githubAnnotations, githubStepSummary, MAX_ANNOTATIONS } from "../../src/ci/index.js";
import { failure, report } from "./fixtures.js";

/** Undoes GitHub's workflow-command escaping. */
function unescapeCommand(s: string): string {
  return s.replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%3A", ":").replaceAll("%2C", ",").replaceAll("%25", "%");
}

describe("GitHub Actions annotations", () => {
  it("one ::error per failing seed on the scenario file, one line each, escaped so the message is whole", () => {
    const lines = githubAnnotations(report(), (f) => `repo/${f}`);
    expect(lines).toHaveLength(1);
    const m = /^::error file=([^,]*),line=1,title=([^:]*)::(.*)$/.exec(lines[0]!);
    expect(m).not.toBeNull();
    expect(lines[0]!.includes("\n") || lines[0]!.includes("\r")).toBe(false);
    expect(unescapeCommand(m![1]!)).toBe("repo/scenarios/odd & <name>.yaml");
    expect(unescapeCommand(m![2]!)).toMatch(/^odd<name>@seed 7: SAF-1 at t=1\.5 s: replica 2 committed/);
    const message = unescapeCommand(m![3]!).split("\n");
    expect(message[1]).toBe("invariant: SAF-1");
    expect(message.at(-1)).toBe("replay: sim run 'scenarios/odd & <name>.yaml' --seed 7");
    expect(unescapeCommand(m![3]!)).toContain("100% :: a,b");
  });

  it(`at most ${MAX_ANNOTATIONS}: the rest are counted in one; a missing required path is one more`, () => {
    const base = report();
    const many = { ...base, suites: [{ ...base.suites[0]!, cases: Array.from({ length: 25 }, (_, i) => ({ seed: i, failure: failure({ seed: i }), coverage: {}, wallSec: 0 })) }] };
    const lines = githubAnnotations(many);
    expect(lines).toHaveLength(MAX_ANNOTATIONS);
    expect(lines.at(-1)).toMatch(/^::error title=16 more failing seeds::/);
    const withMissing = githubAnnotations({ ...many, required: [{ path: "null-fill", seedsReached: 0, seedsApplicable: 25 }] });
    expect(withMissing).toHaveLength(MAX_ANNOTATIONS);
    expect(withMissing.at(-2)).toMatch(/^::error title=17 more failing seeds::/);
    expect(withMissing.at(-1)).toBe("::error title=required coverage not reached::No seed reached: null-fill (--require-coverage).");
    expect(githubAnnotations(report(null))).toEqual([]);
  });
});

describe("GitHub job summary", () => {
  it("seeds per scenario, each failure with its text and replay command in a code block, attachments, the coverage table", () => {
    const md = githubStepSummary(report(failure({ attachments: ["shrunk/odd.yaml"] }), [{ path: "null-fill", seedsReached: 0, seedsApplicable: 2 }]));
    expect(md).toMatch(/^## potsim check FAILED: 1 failing of 2 seeds\n/);
    expect(md).toContain("| odd<name> | scenarios/odd & <name>.yaml | 2 | 1 |");
    expect(md).toContain("#### odd<name>@seed 7\n\n```text\nstatus: violation\ninvariant: SAF-1\n");
    expect(md).toContain("replay: sim run 'scenarios/odd & <name>.yaml' --seed 7\n```");
    expect(md).toContain("- attached: shrunk/odd.yaml");
    expect(md).toContain("**Required coverage not reached:** `null-fill`");
    expect(md).toContain("| path | odd<name> |\n|---|---:|\n| view-change | 1/2 |\n| new-view-o-set | 0/2 |");
    expect(md).toContain("| checkpoint-gc | 1/2 |");
    expect(githubStepSummary(report(null))).toMatch(/^## potsim check passed: 0 failing of 2 seeds\n/);
  });

  it("a pipe in a name stays in its cell", () => {
    const r = report(null);
    const md = githubStepSummary({ ...r, suites: [{ ...r.suites[0]!, name: "a|b" }] });
    expect(md).toContain("| a\\|b | scenarios/odd & <name>.yaml | 2 | 0 |");
  });
});

describe("coverage table and coverage.csv", () => {
  it("rows per file and path with seeds, seeds reached and count; the text table sums over scenarios", () => {
    const t = coverageTable(report());
    expect(t.columns).toEqual(["file", "scenario", "path", "seeds", "seeds_reached", "count"]);
    expect(t.rows[0]).toEqual(["scenarios/odd & <name>.yaml", "odd<name>", "view-change", 2, 1, 3]);
    expect(t.rows.find((r) => r[2] === "checkpoint-gc")).toEqual(["scenarios/odd & <name>.yaml", "odd<name>", "checkpoint-gc", 2, 1, 5]);
    const text = coverageText(report(null, [{ path: "null-fill", seedsReached: 0, seedsApplicable: 2 }])).split("\n");
    expect(text[0]).toBe("coverage (seeds that reached each path):");
    expect(text.find((l) => l.trim().startsWith("view-change"))!.trim().split(/\s+/)).toEqual(["view-change", "1/2", "3"]);
    expect(text.find((l) => l.trim().startsWith("null-fill"))!.trim().split(/\s+/)).toEqual(["null-fill", "0/2", "0", "REQUIRED,", "MISSING"]);
  });
});

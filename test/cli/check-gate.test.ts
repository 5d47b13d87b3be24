// `sim check` as a CI gate (issue 16 items 1, 3, 5): --junit for a clean and a failing check (valid
// against the JUnit schema, names, failure text ending in the replay command, properties), GitHub
// annotations and job summary only under GITHUB_ACTIONS, --require-coverage, the --out folder with
// coverage.csv, the --junit path rules, and progress on stderr only.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathsOf } from "../../src/coverage/index.js";
import { elements, junitSchemaErrors, testcases, xmlDecode } from "../ci/support.js";
import { repoRoot, simBin, tempDir } from "./support.js";

/** Runs sim with exactly these GitHub variables (none unless given), CI set (no terminal progress). */
function simEnv(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GITHUB_")));
  const r = spawnSync(process.execPath, [simBin, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...base, CI: "1", ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const NO_PATH = "test/fixtures/coverage/no-path.yaml";
const EVERY = "test/fixtures/coverage/every-pbft-path.yaml";
const PBFT = pathsOf("pbft").map((p) => p.name);

describe("sim check --junit", () => {
  it("a clean check: valid JUnit, one suite, a passing case per seed, coverage properties; --out writes coverage.csv", async () => {
    const dir = tempDir();
    const junit = join(dir, "reports", "junit.xml");
    const out = join(dir, "check");
    const r = simEnv(["check", EVERY, "--seeds", "2,4", "--workers", "1", "--junit", junit, "--out", out]);
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, "utf8");
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(elements(xml, "testsuite").map((s) => s.attrs)).toEqual([
      expect.objectContaining({ name: "every-pbft-path", tests: "2", failures: "0", errors: "0", file: EVERY }),
    ]);
    expect(testcases(xml).map((c) => c.attrs.name)).toEqual(["every-pbft-path@seed 2", "every-pbft-path@seed 4"]);
    expect(xml).not.toMatch(/<failure|<error/);
    const props = Object.fromEntries(elements(xml, "property").map((p) => [p.attrs.name, p.attrs.value]));
    for (const p of PBFT) expect(props[`coverage.${p}.seeds`], p).toBe("2");
    const csv = readFileSync(join(out, "coverage.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("file,scenario,path,seeds,seeds_reached,count");
    expect(csv.slice(1).map((l) => l.split(",").slice(0, 5).join(","))).toEqual(PBFT.map((p) => `${EVERY},every-pbft-path,${p},2,2`));
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toMatchObject({ command: "check", files: [EVERY], seeds: 2, failures: 0 });
  });

  it("a failing check (beyond-f): a failure per seed naming invariant, time, view, seq and replicas, ending with the replay command", async () => {
    const junit = join(tempDir(), "junit.xml");
    const r = simEnv(["check", "scenarios/beyond-f.yaml", "--seeds", "1..2", "--workers", "1", "--junit", junit]);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, "utf8");
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(elements(xml, "testsuite")[0]!.attrs).toMatchObject({ name: "beyond-f", tests: "2", failures: "2" });
    const cases = testcases(xml);
    expect(cases.map((c) => c.attrs.name)).toEqual(["beyond-f@seed 1", "beyond-f@seed 2"]);
    for (const [i, c] of cases.entries()) {
      const f = elements(c.inner, "failure")[0]!;
      expect(f.attrs.type).toMatch(/^(SAF|INV)-/);
      const body = xmlDecode(f.inner).split("\n");
      expect(body[0]).toBe("status: violation");
      expect(body[1]).toBe(`invariant: ${f.attrs.type}`);
      expect(body[2]).toMatch(/^time: \d+(\.\d+)? s \(simulated\)$/);
      expect(body[3]).toMatch(/^view: \d+$/);
      expect(body[4]).toMatch(/^seq: \d+$/);
      expect(body[5]).toMatch(/^replicas: r\d(, r\d)*$/);
      expect(body.at(-1)).toBe(`replay: sim run scenarios/beyond-f.yaml --seed ${i + 1}`);
      expect(xmlDecode(elements(c.inner, "system-out")[0]!.inner)).toBe(xmlDecode(f.inner));
      // the stdout line names the same seed and invariant
      expect(r.stdout).toContain(`FAIL scenarios/beyond-f.yaml seed ${i + 1}: violation: 1 violation; first: ${f.attrs.type} at t=`);
    }
  });

  it("--shrink: each violating seed's minimal capsule is attached (JUnit, job summary, stdout) and replays the violation", async () => {
    const dir = tempDir();
    const junit = join(dir, "junit.xml");
    const shrunk = join(dir, "shrunk");
    const summary = join(dir, "summary.md");
    const r = simEnv(["check", "scenarios/beyond-f.yaml", "--seeds", "1..2", "--workers", "1", "--junit", junit, "--shrink", shrunk, "--shrink-budget", "60s"], {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, "utf8");
    expect(await junitSchemaErrors(xml)).toEqual([]);
    for (const [i, c] of testcases(xml).entries()) {
      const capsule = join(shrunk, `beyond-f-seed${i + 1}`, "capsule.yaml");
      const out = xmlDecode(elements(c.inner, "system-out")[0]!.inner);
      expect(out.split("\n").at(-1)).toBe(`[[ATTACHMENT|${capsule}]]`);
      expect(r.stdout).toContain(`  shrunk: ${capsule}`);
      expect(readFileSync(summary, "utf8")).toContain(`- attached: ${capsule}`);
      // the capsule alone violates the same invariant as the seed
      const invariant = elements(c.inner, "failure")[0]!.attrs.type;
      const replay = simEnv(["check", capsule, "--seeds", String(i + 1), "--workers", "1"]);
      expect(replay.code).toBe(1);
      expect(replay.stdout).toMatch(new RegExp(`first: ${invariant} at t=`));
    }
    expect(JSON.parse(readFileSync(join(shrunk, "manifest.json"), "utf8"))).toMatchObject({ command: "check --shrink", seeds: [1, 2] });
    // a second check may replace the folder (it is a potsim result); a user's folder is refused before any run
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "notes.txt"), "x");
    const refused = simEnv(["check", "scenarios/beyond-f.yaml", "--seeds", "1", "--workers", "1", "--shrink", join(dir, "mine")]);
    expect(refused.code).toBe(2);
    expect(readFileSync(join(dir, "mine", "notes.txt"), "utf8")).toBe("x");
  });

  it("a deliberately broken replica (M14, --replica): the failure's replay command is the one-seed sim check", async () => {
    const junit = join(tempDir(), "junit.xml");
    const M14 = "dist/test/protocols/pbft/mutants.js#M14PreparedSetForgetsOlderViews";
    const gate = "scenarios/attacks/twins-mutation.yaml";
    const r = simEnv(["check", gate, "--seeds", "2", "--workers", "1", "--replica", M14, "--junit", junit]);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, "utf8");
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const body = xmlDecode(elements(testcases(xml)[0]!.inner, "failure")[0]!.inner).split("\n");
    expect(body.at(-1)).toBe(`replay: sim check ${gate} --seeds 2 --replica ${M14} --workers 1`);
  });

  it("--junit replaces only its own (or an empty) file unless --force, never a folder; nothing is written on refusal", () => {
    const dir = tempDir();
    const foreign = join(dir, "notes.xml");
    writeFileSync(foreign, "<mine/>\n");
    const refused = simEnv(["check", NO_PATH, "--seeds", "1", "--workers", "1", "--junit", foreign, "--out", join(dir, "out")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--junit .*notes\.xml is a file that sim check did not write/);
    expect(refused.stdout).toBe("");
    expect(readFileSync(foreign, "utf8")).toBe("<mine/>\n");
    expect(existsSync(join(dir, "out"))).toBe(false);
    mkdirSync(join(dir, "folder"));
    expect(simEnv(["check", NO_PATH, "--seeds", "1", "--workers", "1", "--junit", join(dir, "folder")]).stderr).toMatch(/is a folder, not a file/);
    const forced = simEnv(["check", NO_PATH, "--seeds", "1", "--workers", "1", "--junit", foreign, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(foreign, "utf8")).toMatch(/^<\?xml/);
    const again = simEnv(["check", NO_PATH, "--seeds", "1..2", "--workers", "1", "--junit", foreign]);
    expect(again.code).toBe(0);
    expect(testcases(readFileSync(foreign, "utf8"))).toHaveLength(2);
  });
});

describe("sim check under GitHub Actions", () => {
  it("GITHUB_ACTIONS=true: ::error annotations on the scenario file and the job summary appended", () => {
    const dir = tempDir();
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const r = simEnv(["check", "scenarios/beyond-f.yaml", "--seeds", "1..2", "--workers", "1"], {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: repoRoot,
    });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(annotations).toHaveLength(2);
    for (const [i, a] of annotations.entries()) {
      expect(a).toMatch(new RegExp(`^::error file=scenarios/beyond-f\\.yaml,line=1,title=beyond-f@seed ${i + 1}%3A (SAF|INV)-`));
      // the message (after ::) is the failure text, line breaks as %0A, ending with the replay line
      expect(a.split("::")[2]!.split("%0A").at(-1)).toBe(`replay: sim run scenarios/beyond-f.yaml --seed ${i + 1}`);
    }
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("earlier step\n## potsim check FAILED: 2 failing of 2 seeds\n")).toBe(true);
    expect(md).toContain("| beyond-f | scenarios/beyond-f.yaml | 2 | 2 |");
    expect(md).toContain("replay: sim run scenarios/beyond-f.yaml --seed 2\n```");
    expect(md).toContain("### Coverage (seeds that reached each path)");
    expect(md).toMatch(/\| view-change \| \d\/2 \|/);
  });

  it("without GITHUB_ACTIONS=true: no annotations and the summary file is not touched", () => {
    const dir = tempDir();
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const envs: Record<string, string>[] = [{ GITHUB_STEP_SUMMARY: summary }, { GITHUB_ACTIONS: "false", GITHUB_STEP_SUMMARY: summary }];
    for (const env of envs) {
      const r = simEnv(["check", "scenarios/beyond-f.yaml", "--seeds", "1", "--workers", "1"], env);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain("::error");
      expect(readFileSync(summary, "utf8")).toBe("earlier step\n");
    }
  });
});

describe("sim check --require-coverage", () => {
  it("fails (exit 1) naming each required path no seed reached; passes when every one was reached", () => {
    const bad = simEnv(["check", NO_PATH, "--seeds", "1..2", "--workers", "1", "--require-coverage", "view-change,checkpoint-gc,suspension"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split("\n").filter((l) => l.startsWith("FAIL "))).toEqual([
      "FAIL coverage: required path view-change reached by none of 2 seeds (--require-coverage)",
      "FAIL coverage: required path checkpoint-gc reached by none of 2 seeds (--require-coverage)",
      "FAIL coverage: required path suspension no scenario of this check can reach it (--require-coverage)",
    ]);
    expect(bad.stdout).toContain("checked 2 runs (1 scenario × 2 seeds): 0 failing, 3 required paths not reached");
    const ok = simEnv(["check", EVERY, "--seeds", "2", "--workers", "1", "--require-coverage", PBFT.join(",")]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain("FAIL");
  });

  it("an unknown path is a usage error (exit 2) listing the known ones, before any run", () => {
    const r = simEnv(["check", NO_PATH, "--seeds", "1", "--workers", "1", "--require-coverage", "view-change,viewchange"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--require-coverage: unknown path "viewchange"; known paths: view-change, new-view-o-set, /);
    expect(r.stdout).toBe("");
  });
});

describe("sim check progress", () => {
  it("not on a terminal: a plain line per tenth on stderr, none on stdout", () => {
    const r = simEnv(["check", NO_PATH, "--seeds", "1..20", "--workers", "1"]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => /^check: (\d+)% \((\d+)\/20 runs/.exec(l)?.slice(1, 3))).toEqual(
      Array.from({ length: 10 }, (_, i) => [String((i + 1) * 10), String((i + 1) * 2)]),
    );
    expect(r.stdout).not.toMatch(/check: \d+%/);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sim, snapshotDir, tempDir } from "./support.js";

const small = `model: phold
name: tiny
seed: 3
until: 20
phold:
  lps: 20
  init: 2
`;

function scenarioFile(text = small): string {
  const dir = tempDir();
  const file = join(dir, "tiny.yaml");
  writeFileSync(file, text);
  return file;
}

describe("sim run", () => {
  it("writes manifest, summary, CSV, report and timing; exit 0", () => {
    const out = join(tempDir(), "run");
    const r = sim(["run", scenarioFile(), "--out", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["lps.csv", "manifest.json", "report.html", "summary.json", "timing.json"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.seed).toBe(3);
    expect(manifest.scenario.phold.lps).toBe(20);
    expect(manifest.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.events).toBeGreaterThan(0);
    const csv = readFileSync(join(out, "lps.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("lp,events");
    expect(csv.length).toBe(22);
  });

  it("is byte-identical for the same seed, and the trace differs for another seed", () => {
    const file = scenarioFile();
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    const c = join(tempDir(), "c");
    expect(sim(["run", file, "--out", a]).code).toBe(0);
    expect(sim(["run", file, "--out", b]).code).toBe(0);
    expect(sim(["run", file, "--out", c, "--seed", "4"]).code).toBe(0);
    expect(snapshotDir(a, ["timing.json"])).toEqual(snapshotDir(b, ["timing.json"]));
    const hash = (d: string) => JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")).traceHash;
    expect(hash(a)).toBe(hash(b));
    expect(hash(c)).not.toBe(hash(a));
  });

  it("defaults to results/<scenario>/seed<N>-<hash> under the working directory", () => {
    const cwd = tempDir();
    const file = scenarioFile();
    const r = sim(["run", file, "--no-charts", "--set", "phold.lps=5"], cwd);
    expect(r.code).toBe(0);
    const runs = readdirSync(join(cwd, "results", "tiny"));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^seed3-[0-9a-f]{8}$/);
    expect(existsSync(join(cwd, "results", "tiny", runs[0]!, "report.html"))).toBe(false);
    expect(JSON.parse(readFileSync(join(cwd, "results", "tiny", runs[0]!, "manifest.json"), "utf8")).scenario.phold.lps).toBe(5);
  });

  it("exits 2 with file:line:col for a bad scenario and writes nothing", () => {
    const cwd = tempDir();
    const file = scenarioFile("model: phold\nname: bad\nphold:\n  lps: -3\n");
    const r = sim(["run", file], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`${file}:4:8 phold.lps: must be >= 1, got -3`);
    expect(existsSync(join(cwd, "results"))).toBe(false);
  });

  it("exits 2 for a missing scenario, a bad --set and usage errors", () => {
    expect(sim(["run", "/nonexistent/x.yaml"]).code).toBe(2);
    const bad = sim(["run", scenarioFile(), "--set", "phold.lsp=3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set:1:7 phold.lsp: unknown key "lsp"');
    expect(sim(["run"]).code).toBe(2);
    expect(sim(["run", scenarioFile(), "--seed", "x"]).code).toBe(2);
    expect(sim(["frobnicate"]).code).toBe(2);
  });

  it("--version and --help exit 0", () => {
    const v = sim(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(sim(["run", "--help"]).code).toBe(0);
  });
});

describe("sim validate", () => {
  it("accepts good files and rejects bad ones with exit 2", () => {
    expect(sim(["validate", scenarioFile(), "scenarios/phold.yaml"]).code).toBe(0);
    const r = sim(["validate", scenarioFile("model: phold\nphold:\n  lps: 3\n  bogus: 1\n")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:4:3 phold\.bogus: unknown key "bogus"/);
  });
});

describe("sim report", () => {
  it("regenerates charts and report.html byte-identically from a run folder's CSVs", () => {
    const out = join(tempDir(), "run");
    expect(sim(["run", "scenarios/baseline.yaml", "--out", out]).code).toBe(0);
    const before = snapshotDir(out, ["timing.json"]);
    expect(Object.keys(before)).toContain("charts/latency.svg");
    const r = sim(["report", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("run report");
    expect(snapshotDir(out, ["timing.json"])).toEqual(before);
  });

  it("exits 2 for a folder that is not a results folder", () => {
    expect(sim(["report", tempDir()]).code).toBe(2);
  });
});

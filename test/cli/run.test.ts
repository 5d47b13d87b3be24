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
    const file = scenarioFile();
    const r = sim(["run", file, "--out", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["lps.csv", "manifest.json", "replay.txt", "report.html", "summary.json", "timing.json"]);
    expect(readFileSync(join(out, "replay.txt"), "utf8")).toBe(`sim run ${file} --seed 3\n`);
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

describe("sim run prints the outcome", () => {
  it("a violation: the invariant in plain words, where, the replay command, key figures with units, where the files are", () => {
    const out = join(tempDir(), "run");
    const r = sim(["run", "scenarios/beyond-f.yaml", "--out", out, "--no-charts", "--trace", "--set", "until=20"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^beyond-f seed=1 events=\\d+ sim_time=20 trace=[0-9a-f]{16} -> ${out}$`));
    expect(lines.slice(1)).toEqual([
      "VIOLATED: SAF-1 (Agreement): two correct replicas executed different batches at the same sequence number.",
      "  first at t = 0.0642 s (view 0, seq 1), replicas 3 and 2: seq 1: replica 2 executed 9ebbb8ca84525c94 but replica 3 executed 595e810c74f9bcb7",
      "  10 violation records: SAF-1 × 5, INV-P × 5 (each on stderr)",
      '  replay: sim run scenarios/beyond-f.yaml --seed 1 --set "until=20"',
      "  Requests completed        10 of 10 requests",
      "  Request latency, median   0.0703 s (p95 0.0758 s)",
      "  View changes              0 views (final view 0)",
      "  Executed sequence number  5",
      "  Messages sent             180 messages",
      `report: not drawn (--no-charts); draw it with: sim report ${out}`,
      `trace:  ${join(out, "trace.jsonl")}`,
    ]);
    expect(readFileSync(join(out, "replay.txt"), "utf8")).toBe('sim run scenarios/beyond-f.yaml --seed 1 --set "until=20"\n');
  });

  it("a PoT run that passed: the verdict, economic figures with units, the report's path", () => {
    const out = join(tempDir(), "run");
    const r = sim(["run", "scenarios/byzantine.yaml", "--out", out, "--until", "60", "--seed", "2"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[1]).toBe("PASSED: no invariant was violated in 60 s of simulated time");
    // The offline attack at t = 60 s never starts in a 60-second run: the pass says so (warnings).
    expect(lines[2]).toBe("  but with 1 warning (each on stderr): fault-never-triggered");
    expect(lines[3]).toBe("  replay: sim run scenarios/byzantine.yaml --seed 2 --until 60");
    const figures = lines.slice(4, -1);
    expect(figures.map((l) => l.trim().split(/ {2,}/)[0])).toEqual([
      "Volume reports accepted",
      "STOS mined",
      "Traffic rewards paid",
      "Ozone price at the end",
      "View changes",
      "Transaction latency, median",
    ]);
    expect(figures[0]).toMatch(/ \d+ of \d+ reports( \(\d+ refused\))?$/);
    expect(figures[1]).toMatch(/ [\d,.]+ STOS$/);
    expect(figures[3]).toMatch(/ [\d.]+ STOS per TB \(= [\d,.]+ wei per noz; 1 noz pays for 1 byte\)$/);
    expect(lines[lines.length - 1]).toBe(`report: ${join(out, "report.html")}`);
    expect(existsSync(join(out, "report.html"))).toBe(true);
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

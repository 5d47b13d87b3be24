import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sim, tempDir } from "./support.js";

function failLines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l.startsWith("FAIL "));
}

function replayLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim().startsWith("replay: "))
    .map((l) => l.trim().slice("replay: ".length));
}

describe("sim check", () => {
  it("exits 0 on clean seeds of the baseline scenario and prints only the coverage table and the summary", () => {
    const r = sim(["check", "scenarios/baseline.yaml", "--seeds", "1..3", "--workers", "1"]);
    expect(r.code).toBe(0);
    expect(failLines(r.stdout)).toEqual([]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("coverage (seeds that reached each path):");
    expect(lines.at(-1)).toBe("checked 3 runs (1 scenario × 3 seeds): 0 failing");
    // baseline has no faults: its checkpoints collect the log, nothing else is reached
    const rows = lines.slice(2, -1).map((l) => l.trim().split(/\s+/));
    expect(rows.map((x) => x[0])).toEqual(["view-change", "new-view-o-set", "null-fill", "state-transfer", "checkpoint-gc", "client-retransmit", "body-fetch", "equivocation-seen", "recover-kept", "recover-lost"]);
    for (const row of rows) expect(row[1], row[0]).toBe(row[0] === "checkpoint-gc" ? "3/3" : "0/3");
  });

  it("exits 1 on beyond-f and prints, per failing seed, the exact `sim run` that replays it", () => {
    const r = sim(["check", "scenarios/beyond-f.yaml", "--seeds", "1..3", "--workers", "1"]);
    expect(r.code).toBe(1);
    const fails = failLines(r.stdout);
    expect(fails).toHaveLength(3);
    for (const [i, l] of fails.entries()) expect(l).toMatch(new RegExp(`^FAIL scenarios/beyond-f\\.yaml seed ${i + 1}: violation: `));
    expect(replayLines(r.stdout)).toEqual([1, 2, 3].map((s) => `sim run scenarios/beyond-f.yaml --seed ${s}`));
    expect(r.stdout).toContain("checked 3 runs (1 scenario × 3 seeds): 3 failing");
  });

  it("the printed replay command reproduces the violation", () => {
    const check = sim(["check", "scenarios/beyond-f.yaml", "--seeds", "2", "--workers", "1"]);
    const replay = replayLines(check.stdout)[0]!;
    const args = replay.split(" ").slice(1); // drop "sim"
    const out = join(tempDir(), "replay");
    const r = sim([...args, "--out", out, "--no-charts"]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(JSON.stringify(summary)).toContain("SAF-1");
  });

  it("reports only the failing scenario of several, and carries --set into the replay line", () => {
    const r = sim([
      "check",
      "scenarios/baseline.yaml",
      "scenarios/beyond-f.yaml",
      "--seeds",
      "4,5",
      "--set",
      "until=20",
      "--workers",
      "1",
    ]);
    expect(r.code).toBe(1);
    expect(failLines(r.stdout).every((l) => l.startsWith("FAIL scenarios/beyond-f.yaml "))).toBe(true);
    expect(replayLines(r.stdout)).toEqual([4, 5].map((s) => `sim run scenarios/beyond-f.yaml --seed ${s} --set "until=20"`));
    expect(r.stdout).toContain("checked 4 runs (2 scenarios × 2 seeds): 2 failing");
  });

  it("--check-determinism runs every seed twice and passes on deterministic scenarios (worker threads too)", () => {
    const r = sim(["check", "scenarios/baseline.yaml", "scenarios/mutation-hunt.yaml", "--seeds", "1..2", "--check-determinism", "--workers", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("nondeterministic");
    expect(r.stdout).toContain("checked 4 runs (2 scenarios × 2 seeds, each twice): 0 failing");
  });

  it("the shipped mutation-hunting scenarios are clean with the correct replica", () => {
    const r = sim([
      "check",
      "scenarios/mutation-hunt.yaml",
      "scenarios/mutation-hunt-n5.yaml",
      "scenarios/mutation-hunt-watermark.yaml",
      "--seeds",
      "1..4",
      "--workers",
      "2",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("checked 12 runs (3 scenarios × 4 seeds): 0 failing");
  });

  describe("--replica: a deliberately broken replica through sim check (the checker's self-test)", () => {
    const GATE = "scenarios/attacks/twins-mutation.yaml";
    const M14 = "dist/test/protocols/pbft/mutants.js#M14PreparedSetForgetsOlderViews";

    it("the Twins generator with mutation faults catches M14 on seed 2; the correct replica is clean there; the replay line reproduces it", () => {
      const ok = sim(["check", GATE, "--seeds", "1..2", "--workers", "1"]);
      expect(ok.code).toBe(0);
      const bad = sim(["check", GATE, "--seeds", "1..2", "--workers", "1", "--replica", M14]);
      expect(bad.code).toBe(1);
      expect(failLines(bad.stdout)).toHaveLength(1);
      expect(failLines(bad.stdout)[0]).toMatch(/^FAIL scenarios\/attacks\/twins-mutation\.yaml seed 2: violation: /);
      const replay = replayLines(bad.stdout);
      expect(replay).toEqual([`sim check ${GATE} --seeds 2 --replica ${M14} --workers 1`]);
      const again = sim(replay[0]!.split(" ").slice(1));
      expect(again.code).toBe(1);
      expect(failLines(again.stdout)).toEqual(failLines(bad.stdout));
    });

    it("the same through worker threads", () => {
      const r = sim(["check", GATE, "--seeds", "2,3", "--workers", "2", "--replica", M14]);
      expect(r.code).toBe(1);
      expect(failLines(r.stdout).map((l) => l.split(":")[0])).toEqual([`FAIL ${GATE} seed 2`]);
    });

    const bad: Array<[string[], RegExp]> = [
      [["--replica", "dist/test/protocols/pbft/mutants.js"], /--replica: expected <module\.js>#<ExportName>/],
      [["--replica", "no/such/file.js#X"], /--replica: no\/such\/file\.js: no such file/],
      [["--replica", "dist/test/protocols/pbft/mutants.js#NoSuchReplica"], /has no export NoSuchReplica extending the PBFT Replica/],
      [["--replica", "package.json#X"], /cannot be loaded as an ES module/],
    ];
    for (const [args, message] of bad) {
      it(`exit 2 with a clear message: ${args.join(" ")}`, () => {
        const r = sim(["check", GATE, "--seeds", "1", "--workers", "1", ...args]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
      });
    }

    it("exit 2 for a scenario whose world has no PBFT replicas", () => {
      const r = sim(["check", "scenarios/phold.yaml", "--seeds", "1", "--workers", "1", "--replica", M14]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--replica: scenarios\/phold\.yaml has model phold/);
    });
  });
});

// `sim shrink` as a user runs it (the built CLI): the results folder and its files, the capsule
// replayed with `sim run` twice to byte-identical outputs, resuming from state.json (after a finished
// shrink, after a budget that runs out, after a kill), a mutant shrunk with --replica and replayed with the command the
// capsule names, and the refusals (a seed that does not violate, a bad budget, a foreign --out folder)
// that write nothing.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/index.js";
import { shrink } from "../../src/shrink/index.js";
import { repoRoot, sim, simBin, snapshotDir, tempDir } from "../cli/support.js";
import { M1ExecuteOnPrepared } from "../protocols/pbft/mutants.js";

const tmp = tempDir("potsim-shrink-");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BEYOND = "scenarios/beyond-f.yaml";
const read = (p: string) => readFileSync(p, "utf8");
const json = (p: string) => JSON.parse(read(p)) as Record<string, unknown>;
/** The capsule without the header lines naming the tool's version, the input file and the output folder. */
const body = (capsule: string) => capsule.replace(/^# (Capsule written by|Replay:|Shrunk from) .*\n/gm, "");

describe("sim shrink (CLI)", () => {
  const out = join(tmp, "beyond");

  it("shrinks beyond-f's SAF-1 into a folder: capsule.yaml, shrink.json, state.json, manifest.json, timing.json", () => {
    const r = sim(["shrink", BEYOND, "--seed", "1", "--invariant", "SAF-1", "--out", out]);
    expect(r.stderr).toContain("shrink: [");
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["capsule.yaml", "manifest.json", "shrink.json", "state.json", "timing.json"]);
    const capsule = join(out, "capsule.yaml");
    expect(r.stdout).toContain(`capsule: ${capsule}`);
    expect(r.stdout).toContain(`replay: npx sim run ${capsule} --seed 1`);
    expect(r.stdout).toMatch(/SAF-1 kept; fault events and rules 1 -> 1, n 4 -> 4, clients 2 -> 2, requests 5 -> 1, until 30 -> [\d.]+ s; 1-minimal/);
    const outcome = json(join(out, "shrink.json"));
    expect(outcome).toMatchObject({ invariant: "SAF-1", seed: 1, oneMinimal: true, budgetLimited: false, drawFree: true });
    expect(outcome.minimality).toEqual([{ element: "fault twins of replicas 0,1", violates: false }]);
    expect(json(join(out, "manifest.json"))).toMatchObject({ command: "shrink", seed: 1, invariant: "SAF-1" });
    const text = read(capsule);
    expect(text).toContain(`# Replay: npx sim run ${capsule} --seed 1\n`);
    expect(text).not.toMatch(/^extends:/m);
    expect(sim(["validate", capsule]).code).toBe(0);
  });

  it("the capsule replayed twice with sim run: byte-identical outputs (but timing.json) and SAF-1 again", () => {
    const capsule = join(out, "capsule.yaml");
    const runs = ["r1", "r2"].map((name) => {
      const dir = join(tmp, name);
      const r = sim(["run", capsule, "--seed", "1", "--out", dir, "--no-charts"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/violation SAF-1 at t=/);
      return dir;
    });
    expect(snapshotDir(runs[1]!, ["timing.json"])).toEqual(snapshotDir(runs[0]!, ["timing.json"]));
    const violations = json(join(runs[0]!, "summary.json")).violations as Array<{ invariant: string }>;
    expect(violations.map((v) => v.invariant)).toContain("SAF-1");
  });

  it("a rerun with the same inputs resumes from state.json: no run, the same capsule", () => {
    const before = read(join(out, "capsule.yaml"));
    const r = sim(["shrink", BEYOND, "--seed", "1", "--invariant", "SAF-1", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/resuming from .*state\.json \(\d+ candidates tested\)/);
    expect(r.stdout).toMatch(/\d+ candidates, 0 runs/);
    expect(read(join(out, "capsule.yaml"))).toBe(before);
  });

  it("writes under results/<scenario>/shrink-seed<N>-<id8>/ by default", () => {
    const cwd = join(tmp, "cwd");
    mkdirSync(cwd, { recursive: true });
    const r = sim(["shrink", join(repoRoot, BEYOND), "--seed", "1", "--invariant", "SAF-1"], cwd);
    expect(r.code).toBe(0);
    const dirs = readdirSync(join(cwd, "results", "beyond-f"));
    expect(dirs).toHaveLength(1);
    expect(dirs[0]).toMatch(/^shrink-seed1-[0-9a-f]{8}$/);
    expect(body(read(join(cwd, "results", "beyond-f", dirs[0]!, "capsule.yaml")))).toBe(body(read(join(out, "capsule.yaml"))));
  });

  it("a budget that runs out gives a violating, budget-limited capsule; a rerun finishes with the same capsule as an uninterrupted shrink", () => {
    const dir = join(tmp, "budget");
    const r = sim(["shrink", BEYOND, "--seed", "1", "--invariant", "SAF-1", "--out", dir, "--budget", "1ms"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("budget-limited (run again to continue)");
    expect(json(join(dir, "shrink.json"))).toMatchObject({ budgetLimited: true, oneMinimal: false });
    expect(read(join(dir, "capsule.yaml"))).toContain("# Budget-limited after");
    const again = sim(["shrink", BEYOND, "--seed", "1", "--invariant", "SAF-1", "--out", dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("resuming from");
    expect(json(join(dir, "shrink.json"))).toMatchObject({ budgetLimited: false, oneMinimal: true });
    expect(body(read(join(dir, "capsule.yaml")))).toBe(body(read(join(out, "capsule.yaml"))));
  });

  it("killed mid-search, a rerun resumes from state.json and ends with the uninterrupted capsule", async () => {
    const dir = join(tmp, "killed");
    const module = "dist/test/protocols/pbft/mutants.js#M1ExecuteOnPrepared";
    const args = ["shrink", "scenarios/mutation-hunt.yaml", "--seed", "3", "--invariant", "SAF-1", "--replica", module, "--out", dir];
    const child = spawn(process.execPath, [simBin, ...args], { cwd: repoRoot, stdio: "ignore", env: { ...process.env, CI: "1" } });
    const exited = new Promise<void>((done) => child.on("exit", () => done()));
    // state.json is written about once a second while the search runs (the search takes a few seconds)
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, "state.json")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    expect(existsSync(join(dir, "state.json"))).toBe(true);
    expect(existsSync(join(dir, "capsule.yaml"))).toBe(false);
    const tested = Object.keys(json(join(dir, "state.json")).verdicts as object).length;
    expect(tested).toBeGreaterThan(0);

    const again = sim(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`resuming from ${join(dir, "state.json")} (${tested} candidates tested)`);
    const m = /(\d+) candidates, (\d+) runs/.exec(again.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(Number(m![1]) - tested);
    expect(json(join(dir, "shrink.json"))).toMatchObject({ oneMinimal: true, budgetLimited: false });
    const input = loadScenario(join(repoRoot, "scenarios/mutation-hunt.yaml"));
    const whole = shrink(input, 3, {
      invariant: "SAF-1",
      replicaFactory: (id, c, a, d) => new M1ExecuteOnPrepared(id, c, a, d),
      replicaLabel: module,
    });
    expect(body(read(join(dir, "capsule.yaml")))).toBe(body(whole.yaml));
  });

  it("a mutant with --replica: the capsule's replay line (sim check --replica) reproduces its violation", () => {
    const dir = join(tmp, "m10");
    const module = "dist/test/protocols/pbft/mutants.js#M10OutOfOrder";
    const r = sim(["shrink", "scenarios/mutation-hunt.yaml", "--seed", "1", "--invariant", "SAF-2", "--replica", module, "--out", dir]);
    expect(r.code).toBe(0);
    const capsule = join(dir, "capsule.yaml");
    const replay = `npx sim check ${capsule} --seeds 1 --replica ${module} --workers 1`;
    expect(r.stdout).toContain(`replay: ${replay}`);
    expect(read(capsule)).toContain("# Replicas: every replica runs dist/test/protocols/pbft/mutants.js#M10OutOfOrder");
    const check = sim(replay.split(" ").slice(2));
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/FAIL .*capsule\.yaml seed 1: violation: .*first: SAF-2 at/);
    // the correct replica on the capsule: clean
    expect(sim(["check", capsule, "--seeds", "1", "--workers", "1"]).code).toBe(0);
  });

  it("refuses, writing nothing: a seed that does not violate, a bad budget, a --out folder that is not a potsim result", () => {
    const none = join(tmp, "none");
    const clean = sim(["shrink", "scenarios/attacks/m10-out-of-order.yaml", "--seed", "1", "--out", none]);
    expect(clean.code).toBe(2);
    expect(clean.stderr).toContain("seed 1 of scenarios/attacks/m10-out-of-order.yaml violates no invariant within its 4 s: nothing to shrink");
    expect(existsSync(none)).toBe(false);

    const bad = sim(["shrink", BEYOND, "--seed", "1", "--budget", "soon", "--out", none]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--budget: expected a duration");
    expect(existsSync(none)).toBe(false);

    const mine = join(tmp, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "mine");
    const foreign = sim(["shrink", BEYOND, "--seed", "1", "--out", mine]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("potsim replaces only its own results");
    expect(readdirSync(mine)).toEqual(["notes.txt"]);

    const noSeed = sim(["shrink", BEYOND]);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toContain("--seed");
  });
});

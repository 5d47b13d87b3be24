// Issue 12, classes 7 and 8: no silent no-ops (a sweep without a sweep block, typos in --set and
// sweep keys get a located error with a suggestion) and damaged resume folders (each generated
// damage of an interrupted sweep's partial folder is either repaired by running the task again —
// and said so — giving the bytes of an uninterrupted sweep, or refused with exit 2; never a stack
// trace), plus damaged shard folders for merge and leftovers of killed writers.

import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stableJson } from "../../src/metrics/index.js";
import { loadScenario, ScenarioError } from "../../src/scenario/index.js";
import { runSweep } from "../../src/sweep/index.js";
import { hasStackTrace, listTree, ROOT, runInProcess, treeChanges } from "./harness.js";

const SWEEP_BASE = "model: phold\nname: sw\nseed: 7\nuntil: 5\nphold: { lps: 20, init: 2 }\n";
const GRID = `${SWEEP_BASE}sweep:\n  grid:\n    phold.remote: [0.5, 1.0]\n    phold.lookahead: [0.1, 0.2]\n  replicates: 2\n`;

function workspace(text: string, name = "s.yaml"): string {
  const cwd = mkdtempSync(join(tmpdir(), "potsim-sweeps-"));
  writeFileSync(join(cwd, name), text);
  return cwd;
}

/** Every file under dir (relative path → text), timing.json aside. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of listTree(dir)) if (v.startsWith("file") && !k.endsWith("timing.json")) out[k] = readFileSync(join(dir, k), "utf8");
  return out;
}

/** A pid that is not running (for leftovers of "killed" processes). */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as { code?: string }).code === "ESRCH") return pid;
    }
  }
}

describe("class 7: silent no-ops", () => {
  const nothing: [string, string][] = [
    ["no sweep block", SWEEP_BASE],
    ["sweep: null", `${SWEEP_BASE}sweep: null\n`],
    ["sweep: {}", `${SWEEP_BASE}sweep: {}\n`],
    ["only a seed", `${SWEEP_BASE}sweep: { seed: 3 }\n`],
    ["one replicate", `${SWEEP_BASE}sweep: { replicates: 1 }\n`],
    ["an empty grid", `${SWEEP_BASE}sweep: { grid: {}, zip: [] }\n`],
  ];
  for (const [what, text] of nothing) {
    it(`sim sweep on a scenario with ${what}: exit 2, said so, nothing written`, async () => {
      const cwd = workspace(text);
      const r = await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts"], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^s\.yaml:\d+:\d+ (sweep: )?(no sweep: block, so there is nothing to sweep|sweeps nothing: give a grid, zip, random or lhs factor, or replicates > 1)/);
      expect(readdirSync(cwd)).toEqual(["s.yaml"]);
    });
  }

  it("replicates alone, or one grid key, are sweeps", async () => {
    for (const block of ["{ replicates: 2 }", "{ grid: { phold.lps: [10] } }"]) {
      const cwd = workspace(`${SWEEP_BASE}sweep: ${block}\n`);
      expect((await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts"], cwd)).code).toBe(0);
    }
  });

  /** Typos of a key: adjacent transposition, a dropped letter, a doubled letter, another case. */
  function typos(word: string): string[] {
    const out = new Set<string>();
    for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
    for (let i = 0; i < word.length; i++) out.add(word.slice(0, i + 1) + word[i] + word.slice(i + 1));
    out.add(word.toUpperCase());
    out.delete(word);
    return [...out].filter((t) => t.length >= 3);
  }

  const paths: [string, string, string][] = [
    ["byzantine.yaml", "economics.users", "prepayStos"],
    ["byzantine.yaml", "economics", "epochLength"],
    ["byzantine.yaml", "pbft", "requestTimeout"],
    ["byzantine.yaml", "network", "bandwidth"],
    ["baseline.yaml", "network.latency", "max"],
    ["baseline.yaml", "", "until"],
    ["phold.yaml", "phold", "lookahead"],
    ["phold.yaml", "network.latency", "value"], // a default mapping the file does not write
  ];
  for (const [file, parent, key] of paths) {
    const list = typos(key);
    it(`--set with ${list.length} typos of ${parent ? `${parent}.` : ""}${key}: each suggests the key`, () => {
      for (const t of list) {
        const path = parent ? `${parent}.${t}` : t;
        let err: unknown;
        try {
          loadScenario(join(ROOT, "scenarios", file), { overrides: [`${path}=1`] });
        } catch (e) {
          err = e;
        }
        expect(err, path).toBeInstanceOf(ScenarioError);
        const issue = (err as ScenarioError).errors.find((i) => i.message.startsWith("unknown key"));
        expect(issue?.message, `${path}: ${(err as Error).message}`).toBe(`unknown key ${JSON.stringify(t)} (did you mean ${JSON.stringify(key)}?)`);
        expect(issue?.file).toBe("--set");
      }
    });
  }

  it("a swept key that is not a scenario key is an error at the sweep block, with a suggestion", async () => {
    const blocks: [string, RegExp][] = [
      ["{ grid: { phold.lsp: [1, 2] } }", /^s\.yaml:6:18 sweep\.grid\["phold\.lsp"\]: "phold\.lsp" is not a scenario key path \(phold\.lsp: unknown key "lsp" \(did you mean "lps"\?\)\)/],
      ["{ zip: [{ phold.inti: [1, 2], phold.lps: [5, 6] }] }", /sweep\.zip\[0\]\["phold\.inti"\]: .*did you mean "init"/],
      ["{ random: { samples: 2, params: { phold.remot: { min: 0, max: 1 } } } }", /sweep\.random\.params\["phold\.remote?"\]|did you mean "remote"/],
      ["{ lhs: { samples: 2, params: { untl: { min: 1, max: 2 } } } }", /sweep\.lhs\.params\.untl: "untl" is not a scenario key path \(untl: unknown key "untl" \(did you mean "until"\?\)\)/],
      ["{ grid: { __proto__: [1, 2] } }", /sweep\.grid\.__proto__: "__proto__" is not a scenario key path/],
      ["{ grid: { phold.lps.x: [1, 2] } }", /"phold\.lps\.x" is not a scenario key path \(phold\.lps\.x: cannot set: phold\.lps is 20, not a mapping\)/],
    ];
    for (const [block, message] of blocks) {
      const cwd = workspace(`${SWEEP_BASE}sweep: ${block}\n`);
      const r = await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts"], cwd);
      expect(r.code, block).toBe(2);
      expect(r.stderr, block).toMatch(message);
      expect(readdirSync(cwd)).toEqual(["s.yaml"]);
    }
    const viaSet = await runInProcess(["sweep", "s.yaml", "--set", "sweep.grid={phold.lsp: [1, 2]}", "--workers", "1"], workspace(SWEEP_BASE));
    expect(viaSet.code).toBe(2);
    expect(viaSet.stderr).toMatch(/^--set:1:\d+ sweep\.grid\["phold\.lsp"\]: .*did you mean "lps"/);
  });
});

describe("class 8: damaged resume folders", () => {
  let reference: Record<string, string>;
  let interrupted: string;

  beforeAll(async () => {
    const cwd = workspace(GRID);
    // The reference and the interrupted sweep name the spec as the CLI runs below do (`s.yaml`).
    expect((await runInProcess(["sweep", "s.yaml", "--out", "ref", "--workers", "1", "--no-charts"], cwd)).code).toBe(0);
    reference = snapshot(join(cwd, "ref"));
    const abort = new AbortController();
    const home = process.cwd();
    process.chdir(cwd);
    try {
      const first = await runSweep("s.yaml", {
        workers: 1,
        out: "out",
        signal: abort.signal,
        onProgress: (p) => {
          if (p.done >= 3) abort.abort();
        },
      });
      expect(first.interrupted).toBe(true);
    } finally {
      process.chdir(home);
    }
    interrupted = cwd;
  });

  /** A fresh copy of the interrupted sweep's folder, damaged by `damage`. */
  function damaged(damage: (partial: string) => void): string {
    const cwd = mkdtempSync(join(tmpdir(), "potsim-damage-"));
    cpSync(interrupted, cwd, { recursive: true });
    rmSync(join(cwd, "ref"), { recursive: true });
    damage(join(cwd, "out.partial"));
    return cwd;
  }

  const task = (p: string) => join(p, "tasks", "0-0.json");
  const rewrite = (p: string, edit: (stored: { checksum: string; inputs: Record<string, unknown>; result: Record<string, unknown> }) => void) => {
    const stored = JSON.parse(readFileSync(task(p), "utf8"));
    edit(stored);
    writeFileSync(task(p), stableJson(stored));
  };
  const sum = (inputs: unknown, result: unknown) => createHash("sha256").update(stableJson({ inputs, result })).digest("hex");

  const repaired: [string, (p: string) => void, RegExp][] = [
    ["a task file cut short", (p) => writeFileSync(task(p), '{"checksum": "ab'), /task 0-0: stored result is damaged \(not JSON; cut short by a kill\?\); running it again/],
    ["a task file edited into other valid JSON", (p) => rewrite(p, (s) => {
      (s.result.metrics as Record<string, number>).events = 1;
    }), /task 0-0: stored result does not match its checksum \(edited or damaged\); running it again/],
    ["a task file without a checksum (older potsim)", (p) => writeFileSync(task(p), JSON.stringify(JSON.parse(readFileSync(task(p), "utf8")).result)), /task 0-0: stored result has no checksum; running it again/],
    ["a task file for other inputs, with a valid checksum", (p) => rewrite(p, (s) => {
      s.inputs.seed = 12345;
      s.result.seed = 12345;
      s.checksum = sum(s.inputs, s.result);
    }), /task 0-0: stored result was made for other inputs; running it again/],
    ["a task file of another status", (p) => rewrite(p, (s) => {
      s.result.status = "exploded";
    }), /task 0-0: stored result is malformed; running it again/],
    ["JSON null in a task file", (p) => writeFileSync(task(p), "null"), /task 0-0: stored result has no checksum; running it again/],
    ["stale temporary files of a killed run", (p) => {
      writeFileSync(join(p, "tasks", `.1-1.json.tmp-${deadPid()}`), "{");
      writeFileSync(join(p, `.plan.json.tmp-${deadPid()}`), "{");
    }, /removed .*\.tmp-\d+ \(left by a killed run\)/],
    ["a missing plan (the folder is started again)", (p) => rmSync(join(p, "plan.json")), /^sweep s\.yaml: 8\/8 done, 0 failed/],
  ];
  for (const [what, damage, note] of repaired) {
    it(`--resume with ${what}: runs it again, says so, and equals an uninterrupted sweep`, async () => {
      const cwd = damaged(damage);
      const r = await runInProcess(["sweep", "s.yaml", "--out", "out", "--resume", "--workers", "1", "--no-charts"], cwd);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(note);
      expect(snapshot(join(cwd, "out"))).toEqual(reference);
      expect(existsSync(join(cwd, "out.partial"))).toBe(false);
    });
  }

  const refused: [string, (p: string) => void, RegExp][] = [
    ["a folder in place of a task file", (p) => {
      rmSync(task(p));
      mkdirSync(task(p));
    }, /out\.partial\/tasks\/0-0\.json is a folder, not a task file; remove .*out\.partial to start over, or run without --resume/],
    ["a symbolic link in place of a task file", (p) => {
      rmSync(task(p));
      symlinkSync("/etc/passwd", task(p));
    }, /0-0\.json is a symbolic link, not a task file/],
    ["an unreadable plan", (p) => writeFileSync(join(p, "plan.json"), "{not json"), /out\.partial\/plan\.json is damaged \(.+\); remove/],
    ["a plan that is a folder", (p) => {
      rmSync(join(p, "plan.json"));
      mkdirSync(join(p, "plan.json"));
    }, /plan\.json is a folder, not a plan file/],
    ["a file in place of the task folder", (p) => {
      rmSync(join(p, "tasks"), { recursive: true });
      writeFileSync(join(p, "tasks"), "x");
    }, /out\.partial\/tasks is a file, not the folder of finished tasks/],
    ["a user's file in the partial folder", (p) => writeFileSync(join(p, "notes.txt"), "mine"), /out\.partial is not a potsim sweep work folder \(it also holds "notes\.txt"\)/],
    ["a file in place of the partial folder", (p) => {
      rmSync(p, { recursive: true });
      writeFileSync(p, "mine");
    }, /out\.partial is a file, not a sweep work folder/],
    ["a plan of another sweep", (p) => writeFileSync(join(p, "plan.json"), '{"specHash": "deadbeef", "shard": null}'), /belongs to a different sweep \(spec deadbeef\)/],
  ];
  for (const [what, damage, message] of refused) {
    it(`--resume with ${what}: exit 2 with a message, nothing deleted`, async () => {
      const cwd = damaged(damage);
      const before = listTree(cwd);
      const r = await runInProcess(["sweep", "s.yaml", "--out", "out", "--resume", "--workers", "1", "--no-charts"], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(treeChanges(before, listTree(cwd))).toEqual([]);
    });
  }

  it("without --resume, potsim's own partial folder is cleared, a foreign one refused", async () => {
    const ours = damaged((p) => writeFileSync(task(p), "garbage"));
    expect((await runInProcess(["sweep", "s.yaml", "--out", "out", "--workers", "1", "--no-charts"], ours)).code).toBe(0);
    expect(snapshot(join(ours, "out"))).toEqual(reference);
    const foreign = damaged((p) => writeFileSync(join(p, "thesis.tex"), "mine"));
    const r = await runInProcess(["sweep", "s.yaml", "--out", "out", "--workers", "1", "--no-charts"], foreign);
    expect(r.code).toBe(2);
    expect(readFileSync(join(foreign, "out.partial", "thesis.tex"), "utf8")).toBe("mine");
  });

  it("hidden temporary folders left by killed runs next to an output are removed by the next run there", async () => {
    const cwd = workspace(SWEEP_BASE.replace("name: sw", "name: tiny"));
    const pid = deadPid();
    for (const kind of ["tmp", "old"]) {
      mkdirSync(join(cwd, `.out.${kind}-${pid}`));
      writeFileSync(join(cwd, `.out.${kind}-${pid}`, "manifest.json"), "{}");
    }
    // A live process's temporary folder (this one) and unrelated hidden entries stay.
    mkdirSync(join(cwd, `.out.tmp-${process.ppid}`));
    writeFileSync(join(cwd, ".out.tmp-notapid"), "");
    expect((await runInProcess(["run", "s.yaml", "--out", "out", "--no-charts"], cwd)).code).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual([".out.tmp-notapid", `.out.tmp-${process.ppid}`, "out", "s.yaml"].sort());
  });
});

describe("class 8: damaged shard folders for merge", () => {
  let shards: string;
  beforeAll(async () => {
    shards = workspace(GRID);
    for (const i of [0, 1]) {
      const r = await runInProcess(["sweep", "s.yaml", "--out", `s${i}`, "--shard", `${i}/2`, "--workers", "1", "--no-charts"], shards);
      expect(r.code).toBe(0);
    }
  });

  const damages: [string, (d: string) => void, RegExp][] = [
    ["a garbage shard.json", (d) => writeFileSync(join(d, "shard.json"), "{{"), /s1\/shard\.json is damaged/],
    ["shard.json holding null", (d) => writeFileSync(join(d, "shard.json"), "null"), /s1\/shard\.json is not a shard description/],
    ["no manifest.json", (d) => rmSync(join(d, "manifest.json")), /s1: cannot read manifest\.json \(missing\)/],
    ["a folder for tasks.jsonl", (d) => {
      rmSync(join(d, "tasks.jsonl"));
      mkdirSync(join(d, "tasks.jsonl"));
    }, /tasks\.jsonl is not a file/],
    ["a tasks.jsonl line that is a number", (d) => writeFileSync(join(d, "tasks.jsonl"), "42\n"), /s1\/tasks\.jsonl:1: not a task result/],
    ["a manifest with a hostile scenario name (both shards)", (d) => {
      for (const s of [d, join(d, "..", "s0")]) {
        const m = JSON.parse(readFileSync(join(s, "manifest.json"), "utf8"));
        writeFileSync(join(s, "manifest.json"), JSON.stringify({ ...m, name: "../../escaped" }));
      }
    }, /manifest\.json: scenario name "\.\.\/\.\.\/escaped" cannot be used as a folder name/],
    ["a manifest whose tasks are not objects", (d) => {
      const m = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8"));
      writeFileSync(join(d, "manifest.json"), JSON.stringify({ ...m, tasks: [null, 1] }));
    }, /s1\/manifest\.json is not a sweep manifest/],
  ];
  for (const [what, damage, message] of damages) {
    it(`merge with ${what}: exit 2, nothing written`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), "potsim-merge-"));
      cpSync(shards, cwd, { recursive: true });
      damage(join(cwd, "s1"));
      const before = listTree(cwd);
      const r = await runInProcess(["merge", "s0", "s1", "--no-charts"], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(treeChanges(before, listTree(cwd))).toEqual([]);
    });
  }
});

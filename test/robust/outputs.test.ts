// Issue 12, classes 3, 5 and 6 (where results go): a scenario name is one safe folder name, and
// no value from a scenario, --set or the environment places output outside the results root;
// --out replaces only a previous potsim result (or an empty folder) unless --force, and never the
// working, home or root folder; every input that changes the outputs changes the run id, and a
// default path holding a result of other inputs is not replaced. Cases are generated per class.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runId } from "../../src/cli/run-command.js";
import { OutputError, resultsPath } from "../../src/metrics/index.js";
import { loadScenario } from "../../src/scenario/index.js";
import { hasStackTrace, listTree, ROOT, runInProcess, treeChanges } from "./harness.js";

const TINY = "model: phold\nname: tiny\nseed: 3\nuntil: 2\nphold: { lps: 8, init: 2 }\n";

function workspace(text = TINY, file = "tiny.yaml"): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "potsim-out-"));
  writeFileSync(join(cwd, file), text);
  mkdirSync(join(cwd, "user"));
  writeFileSync(join(cwd, "user", "thesis.tex"), "years of work\n");
  return { cwd, file };
}

/** Generated hostile names: traversal, absolute, separators, control characters, length, odd starts. */
function hostileNames(): string[] {
  const out: string[] = [];
  for (let k = 1; k <= 4; k++) out.push(`${"../".repeat(k)}escaped`, `${"..\\".repeat(k)}escaped`, `a/${"../".repeat(k)}b`);
  out.push("/tmp/potsim-abs", "/", "..", ".", "", " ", "a/b", "a\\b", "a\0b", "line\nbreak", "tab\there", "\u202eevil", "🚀", "-rf", ".hidden", "_under", "x ");
  for (const n of [65, 100, 255, 256, 4096]) out.push("n".repeat(n));
  return out;
}

describe("class 3: the scenario name decides a path", () => {
  const names = hostileNames();
  it(`${names.length} hostile names in the file or in --set: exit 2 at name, nothing written`, async () => {
    for (const name of names) {
      for (const via of ["file", "set"] as const) {
        const { cwd, file } = workspace(via === "file" ? TINY.replace("name: tiny", `name: ${JSON.stringify(name)}`) : TINY);
        const root = join(cwd, "..");
        const before = listTree(cwd);
        const args = via === "file" ? ["run", file, "--no-charts"] : ["run", file, "--no-charts", "--set", `name=${JSON.stringify(name)}`];
        const r = await runInProcess(args, cwd);
        const what = `${via} name ${JSON.stringify(name.slice(0, 30))}`;
        expect(r.code, what).toBe(2);
        expect(r.stderr, what).toMatch(via === "file" ? /^tiny\.yaml:2:7 name: must / : /^--set:1:6 name: must /);
        expect(treeChanges(before, listTree(cwd)), what).toEqual([]);
        expect(existsSync(join(root, "escaped")) || existsSync("/tmp/potsim-abs"), what).toBe(false);
      }
    }
  });

  it("the default name (the file's) is made a valid folder name", async () => {
    const files: [string, string][] = [
      ["my scenario (1).yaml", "my-scenario-1-"],
      ["ünïcödé.yaml", "n-c-d-"],
      ["-dash.yaml", "dash"],
      ["...yaml", "scenario"],
      [`${"l".repeat(100)}.yaml`, "l".repeat(64)],
    ];
    for (const [f, expected] of files) {
      const { cwd } = workspace(TINY.replace("name: tiny\n", ""), f);
      expect(loadScenario(join(cwd, f)).name).toBe(expected);
      const r = await runInProcess(["run", `./${f}`, "--no-charts"], cwd);
      expect(r.code, f).toBe(0);
      expect(readdirSync(join(cwd, "results")), f).toEqual([expected]);
    }
  });

  it("results paths are checked folder names below the root", () => {
    expect(resultsPath("results", "a..b", "seed1-x")).toBe(join("results", "a..b", "seed1-x"));
    for (const bad of ["..", ".", "", "a/b", "a\\b", "a\0b", "x".repeat(201)]) {
      expect(() => resultsPath("results", bad, "seed1-x"), bad).toThrow(OutputError);
      expect(() => resultsPath("results", "ok", bad), bad).toThrow(OutputError);
    }
  });

  it("an empty or NUL-bearing --out is refused", async () => {
    for (const out of ["", " ", "a\0b"]) {
      const { cwd, file } = workspace();
      const r = await runInProcess(["run", file, "--out", out, "--no-charts"], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a usable path/);
    }
  });
});

type State = (cwd: string, out: string) => void;

/** What may be at --out before a run, and whether potsim may replace it without --force. */
const STATES: [string, State, "replace" | "refuse"][] = [
  ["absent", () => {}, "replace"],
  ["an empty folder", (_c, o) => mkdirSync(o), "replace"],
  ["a previous potsim run", () => {}, "replace"], // made by running first (below)
  ["a folder with a user's file", (_c, o) => {
    mkdirSync(o);
    writeFileSync(join(o, "data.csv"), "mine\n");
  }, "refuse"],
  ["a folder with only a hidden file", (_c, o) => {
    mkdirSync(o);
    writeFileSync(join(o, ".keep"), "");
  }, "refuse"],
  ["a folder with someone else's manifest.json", (_c, o) => {
    mkdirSync(o);
    writeFileSync(join(o, "manifest.json"), '{"name": "not potsim"}');
  }, "refuse"],
  ["a folder with a damaged manifest.json", (_c, o) => {
    mkdirSync(o);
    writeFileSync(join(o, "manifest.json"), "{{{");
  }, "refuse"],
  ["a file", (_c, o) => writeFileSync(o, "a file of the user's\n"), "refuse"],
  ["a symbolic link to the user's folder", (c, o) => symlinkSync(join(c, "user"), o), "refuse"],
  ["a dangling symbolic link", (_c, o) => symlinkSync("nowhere", o), "refuse"],
];

describe("class 5: --out never destroys what potsim did not write", () => {
  for (const [what, make, expected] of STATES) {
    it(`--out over ${what}: ${expected}${expected === "refuse" ? " (exit 2), and --force replaces it" : ""}`, async () => {
      const { cwd, file } = workspace();
      const out = join(cwd, "out");
      if (what === "a previous potsim run") expect((await runInProcess(["run", file, "--out", out, "--no-charts", "--seed", "9"], cwd)).code).toBe(0);
      make(cwd, out);
      const before = listTree(cwd, ["out"]);
      const outBefore = listTree(cwd).get("out");
      const r = await runInProcess(["run", file, "--out", out, "--no-charts"], cwd);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(treeChanges(before, listTree(cwd, ["out"]))).toEqual([]);
      expect(readFileSync(join(cwd, "user", "thesis.tex"), "utf8")).toBe("years of work\n");
      if (expected === "replace") {
        expect(r.code).toBe(0);
        expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).seed).toBe(3);
        return;
      }
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^.*out (is a|is a folder|is a symbolic link).*potsim replaces only its own results; choose another --out, or pass --force to replace it\n$/);
      expect(listTree(cwd).get("out")).toBe(outBefore);
      const forced = await runInProcess(["run", file, "--out", out, "--no-charts", "--force"], cwd);
      expect(forced.code).toBe(0);
      expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).seed).toBe(3);
      // The link itself was replaced: the folder it pointed to is untouched.
      expect(readFileSync(join(cwd, "user", "thesis.tex"), "utf8")).toBe("years of work\n");
    });
  }

  it("never the working directory, its parents, the home or root folder, even with --force", async () => {
    const { cwd, file } = workspace();
    const home = join(cwd, "home");
    mkdirSync(home);
    writeFileSync(join(home, "x"), "");
    for (const out of [".", "..", cwd, "/", home]) {
      for (const force of [false, true]) {
        const before = listTree(cwd);
        const r = await runInProcess(["run", file, "--out", out, "--no-charts", ...(force ? ["--force"] : [])], cwd, { HOME: home });
        expect(r.code, `${out} ${force}`).toBe(2);
        expect(r.stderr).toMatch(/refusing to write results over this folder|potsim replaces only its own results/);
        expect(treeChanges(before, listTree(cwd))).toEqual([]);
      }
    }
  });

  it("sweep and merge --out refuse a foreign folder before doing any work", async () => {
    const { cwd } = workspace("model: phold\nname: sw\nuntil: 2\nphold: { lps: 8, init: 2 }\nsweep: { grid: { phold.lps: [4, 8] } }\n", "sw.yaml");
    const sweep = await runInProcess(["sweep", "sw.yaml", "--out", "user", "--workers", "1", "--no-charts"], cwd);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(/^user is a folder with 1 entry and no potsim manifest\.json/);
    expect(existsSync(join(cwd, "user.partial"))).toBe(false);
    const shards: string[] = [];
    for (const i of [0, 1]) {
      shards.push(`s${i}`);
      expect((await runInProcess(["sweep", "sw.yaml", "--out", `s${i}`, "--shard", `${i}/2`, "--workers", "1", "--no-charts"], cwd)).code).toBe(0);
    }
    const merge = await runInProcess(["merge", ...shards, "--out", "user", "--no-charts"], cwd);
    expect(merge.code).toBe(2);
    expect(readdirSync(join(cwd, "user"))).toEqual(["thesis.tex"]);
  });
});

describe("class 6: every input that changes the outputs changes the run id", () => {
  it("plain `sim run scenarios/byzantine.yaml` keeps its run id", () => {
    const s = loadScenario(join(ROOT, "scenarios", "byzantine.yaml"));
    expect(runId(s, s.seed)).toBe("seed1-ad8e4c3b");
  });

  it("generated input variations give distinct ids, equal inputs equal ids", () => {
    const base = loadScenario(join(ROOT, "scenarios", "baseline.yaml"));
    const ids = new Map<string, string>();
    const add = (what: string, id: string) => {
      expect(ids.has(id), `${what} collides with ${ids.get(id)}`).toBe(false);
      ids.set(id, what);
    };
    add("plain", runId(base, base.seed));
    expect(runId(base, base.seed, base.until)).toBe(runId(base, base.seed)); // --until equal to the scenario's
    for (const until of [1, 30, 59.5, 61, 1e6]) add(`--until ${until}`, runId(base, base.seed, until));
    for (const seed of [0, 2, 3, 2 ** 40]) add(`--seed ${seed}`, runId(base, seed));
    for (const set of ["network.loss=0.01", "pbft.n=7", "pbft.clients.requests=51", "until=61", "check.livenessBound=11", "description=x"]) {
      const s = loadScenario(join(ROOT, "scenarios", "baseline.yaml"), { overrides: [set] });
      add(`--set ${set}`, runId(s, s.seed));
    }
    // --set until=61 (the scenario's own until) and --until 61 (only where the kernel stops) differ in
    // outputs for some models, and have different ids.
    expect(ids.get(runId(base, base.seed, 61))).toBe("--until 61");
  });

  it("`sim run X --until T` and `sim run X` write different folders; both survive", async () => {
    const { cwd, file } = workspace();
    expect((await runInProcess(["run", file, "--until", "1", "--no-charts"], cwd)).code).toBe(0);
    expect((await runInProcess(["run", file, "--no-charts"], cwd)).code).toBe(0);
    const runs = readdirSync(join(cwd, "results", "tiny")).sort();
    expect(runs).toHaveLength(2);
    const untils = runs.map((d) => JSON.parse(readFileSync(join(cwd, "results", "tiny", d, "manifest.json"), "utf8")).until).sort();
    expect(untils).toEqual([1, 2]);
  });

  it("a default path holding a result of other inputs (e.g. from an older potsim) is not replaced", async () => {
    const { cwd, file } = workspace();
    expect((await runInProcess(["run", file, "--no-charts"], cwd)).code).toBe(0);
    const [id] = readdirSync(join(cwd, "results", "tiny"));
    const manifestPath = join(cwd, "results", "tiny", id!, "manifest.json");
    // What an older potsim wrote there for `--until 1` (its ids did not include --until).
    const m = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify({ ...m, until: 1 }));
    const r = await runInProcess(["run", file, "--no-charts"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds a result of other inputs/);
    expect(JSON.parse(readFileSync(manifestPath, "utf8")).until).toBe(1);
    expect((await runInProcess(["run", file, "--no-charts", "--force"], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(manifestPath, "utf8")).until).toBe(2);
  });

  it("--out over a potsim result of other inputs replaces it and says so", async () => {
    const { cwd, file } = workspace();
    expect((await runInProcess(["run", file, "--out", "o", "--seed", "5", "--no-charts"], cwd)).code).toBe(0);
    const r = await runInProcess(["run", file, "--out", "o", "--no-charts"], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("note: replacing o (a result of other inputs)\n");
  });
});

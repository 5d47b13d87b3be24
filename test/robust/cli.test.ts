// Issue 12, classes 9 and 10 and internal errors: command-line values get exactly the YAML
// validation (--until/--seed agree with the same text in a file), other flags are bounded; the
// package installs a `potsim` command next to `sim` that works outside the repository; an internal
// error prints one line and a pointer to a saved crash report, never a stack trace.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { saveCrashReport } from "../../src/cli/crash.js";
import { version } from "../../src/cli/version.js";
import { loadScenario } from "../../src/scenario/index.js";
import { hasStackTrace, listTree, ROOT, runInProcess, runProcess, SIM } from "./harness.js";

const TINY = "model: phold\nname: tiny\nuntil: 2\nphold: { lps: 8, init: 2 }\n";

function workspace(text = TINY): string {
  const cwd = mkdtempSync(join(tmpdir(), "potsim-cli-"));
  writeFileSync(join(cwd, "t.yaml"), text);
  return cwd;
}

/** The message of a scenario error without its `file:line:col ` prefix. */
const unlocated = (line: string) => line.replace(/^\S+:\d+:\d+ /, "");

describe("class 9: command-line values get exactly the YAML validation", () => {
  const texts = ["-5", "0", "-0", ".inf", "-.inf", ".nan", "1e400", "1e-300", "abc", "0x10", "0o17", "1_000", "60", "2.5", "1e9", "1e10", "[1]", "{a: 1}", "null", "~", "true", "'7'", "", " 5 ", "9007199254740993", "1.0", "&a 3", "!!int 4", "!foo 4"];
  for (const key of ["until", "seed"] as const) {
    it(`--${key}: ${texts.length} generated texts, accepted or refused as in the file`, async () => {
      const cwd = workspace();
      for (const text of texts) {
        // The same text for the key in a scenario file...
        writeFileSync(join(cwd, "k.yaml"), `${TINY.replace(/^until: .*\n/m, "")}${key}: ${text}\n`);
        const inFile = await runInProcess(["validate", "k.yaml"], cwd);
        // ...and on the command line.
        const onCli = await runInProcess(["run", "t.yaml", `--${key}`, text, "--out", "o", "--no-charts", "--set", "maxEvents=1000"], cwd);
        expect(onCli.code === 2, `--${key} ${JSON.stringify(text)}: file ${inFile.code} ${inFile.stderr} cli ${onCli.code} ${onCli.stderr}`).toBe(inFile.code === 2);
        if (inFile.code === 2) {
          const fileMsg = unlocated(inFile.stderr.trim());
          expect(onCli.stderr.trim(), JSON.stringify(text)).toMatch(/^--(until|seed):1:\d+ /);
          // An empty value is absent in a file (the default applies) but null on the command line.
          if (text.trim() !== "") expect(unlocated(onCli.stderr.trim()), JSON.stringify(text)).toBe(fileMsg);
        } else {
          // Accepted on both: the run used the value the file would have given.
          expect(onCli.code, JSON.stringify(text)).toBe(0);
          const used = JSON.parse(readFileSync(join(cwd, "o", "manifest.json"), "utf8"))[key];
          expect(used === loadScenario(join(cwd, "k.yaml"))[key], `${JSON.stringify(text)}: ${used}`).toBe(true);
        }
      }
    });
  }

  it("a refused --until or --seed is reported with the scenario's own problems, nothing written", async () => {
    const cwd = workspace(`${TINY}phold: { lps: -1 }\n`.replace("phold: { lps: 8, init: 2 }\n", ""));
    const r = await runInProcess(["run", "t.yaml", "--until", "-5", "--seed", "x"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      ["t.yaml:4:15 phold.lps: must be >= 1, got -1", '--seed:1:1 seed: must be an integer, got "x"', "--until:1:1 until: must be > 0, got -5", ""].join("\n"),
    );
    expect(readdirSync(cwd)).toEqual(["t.yaml"]);
  });

  const bounded: [string[], RegExp][] = [
    [["sweep", "t.yaml", "--workers", "1000000000"], /^--workers must be an integer from 0 to 256, got "1000000000"/],
    [["sweep", "t.yaml", "--workers", "-1"], /--workers must be an integer from 0 to 256/],
    [["sweep", "t.yaml", "--workers", "1.5"], /--workers must be an integer from 0 to 256/],
    [["sweep", "t.yaml", "--shards", "1e9", "--shard", "0/1"], /--shards must be an integer from 0 to 1000000/],
    [["sweep", "t.yaml", "--shard", "5/2"], /--shard: shard index 5 must be < shard count 2/],
    [["check", "t.yaml", "--seeds", "1..99999999999999999999"], /--seeds: seeds must be integers from 0 to 9007199254740991/],
    [["check", "t.yaml", "--seeds", "0..2000000"], /--seeds: more than 1000000 seeds/],
    [["check", "t.yaml", "--seeds", "3..1"], /--seeds: range 3\.\.1 is empty/],
    [["check", "t.yaml", "--workers", "999"], /--workers must be an integer from 0 to 256/],
  ];
  for (const [args, message] of bounded) {
    it(`${args.slice(2).join(" ")}: exit 2`, async () => {
      const r = await runInProcess(args, workspace());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe("class 10: the command outside a clone", () => {
  it("package.json installs `potsim` and `sim`, the same program", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ potsim: "dist/src/cli/main.js", sim: "dist/src/cli/main.js" });
    expect(readFileSync(SIM, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "scenarios", "schema"]));
  });

  it("a `potsim` link (as a global install makes) runs from any folder, writing results there", () => {
    const prefix = mkdtempSync(join(tmpdir(), "potsim-prefix-"));
    mkdirSync(join(prefix, "bin"));
    const bin = join(prefix, "bin", "potsim");
    // What `npm install -g` does for a bin: a link in <prefix>/bin, its target made executable.
    chmodSync(SIM, 0o755);
    symlinkSync(SIM, bin);
    const elsewhere = mkdtempSync(join(tmpdir(), "potsim-elsewhere-"));
    writeFileSync(join(elsewhere, "mine.yaml"), TINY);
    const run = (args: string[]) => {
      const r = runProcessVia(bin, args, elsewhere);
      expect(hasStackTrace(r.stderr)).toBe(false);
      return r;
    };
    expect(run(["--version"]).stdout.trim()).toBe(version);
    expect(run(["--help"]).stdout).toMatch(/^Usage: potsim \[options\] \[command\]/);
    const r = run(["run", "mine.yaml", "--no-charts"]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(elsewhere, "results", "tiny"))).toHaveLength(1);
    // The shipped scenarios travel with the package.
    expect(run(["validate", join(ROOT, "scenarios", "byzantine.yaml")]).code).toBe(0);
  });

  it("the README shows how to install and call it outside the repository", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(/npm install -g /);
    expect(readme).toMatch(/npx potsim /);
  });
});

function runProcessVia(bin: string, args: string[], cwd: string) {
  const r = spawnSync(bin, args, { cwd, encoding: "utf8", env: { ...process.env, CI: "1" }, timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("internal errors: one line and a crash report, never a stack trace", () => {
  const inject = (code: string) => `data:text/javascript,${encodeURIComponent(code)}`;

  it("an unexpected failure inside a command (here: renaming the results folder into place)", () => {
    const cwd = workspace();
    const reports = mkdtempSync(join(tmpdir(), "potsim-crash-"));
    const hook = inject(
      'import fs from "node:fs"; import { syncBuiltinESMExports } from "node:module"; fs.renameSync = () => { throw new Error("injected failure"); }; syncBuiltinESMExports();',
    );
    const r = runProcess(["run", "t.yaml", "--no-charts"], cwd, { NODE_OPTIONS: `--import=${hook}`, TMPDIR: reports });
    expect(r.code).toBe(3);
    const files = readdirSync(reports);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^potsim-crash-\d{4}-\d\d-\d\dT[\d-]+Z-\d+\.txt$/);
    expect(r.stderr).toBe(`internal error: injected failure (details: ${join(reports, files[0]!)})\n`);
    const report = readFileSync(join(reports, files[0]!), "utf8");
    expect(report).toMatch(new RegExp(`^potsim ${version.replace(/\./g, "\\.")} internal error\n`));
    expect(report).toMatch(/command: .*"run" "t\.yaml" "--no-charts"/);
    expect(report).toMatch(/Error: injected failure\n\s+at /);
    // Nothing that looks like a result, and no temporary folder, is left behind (only empty folders).
    expect([...listTree(cwd)].filter(([, kind]) => kind !== "dir").map(([p]) => p)).toEqual(["t.yaml"]);
  });

  it("an exception thrown outside any command (a timer) is reported the same way", () => {
    const cwd = workspace("model: phold\nname: slow\nuntil: 200\nphold: { lps: 1000, init: 16 }\n");
    const reports = mkdtempSync(join(tmpdir(), "potsim-crash-"));
    const hook = inject('setTimeout(() => { throw new TypeError("late trouble"); }, 300);');
    const r = runProcess(["run", "t.yaml", "--no-charts"], cwd, { NODE_OPTIONS: `--import=${hook}`, TMPDIR: reports });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^internal error: TypeError: late trouble \(details: .+potsim-crash-.+\.txt\)\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(readdirSync(cwd)).toEqual(["t.yaml"]);
  });

  it("when even the report cannot be saved, the line says so", () => {
    expect(saveCrashReport(new Error("x"), ["sim"], "/nonexistent/folder")).toBeUndefined();
    const cwd = workspace();
    const hook = inject('import fs from "node:fs"; import { syncBuiltinESMExports } from "node:module"; fs.renameSync = () => { throw new Error("boom"); }; syncBuiltinESMExports();');
    const r = runProcess(["run", "t.yaml", "--no-charts"], cwd, { NODE_OPTIONS: `--import=${hook}`, TMPDIR: "/nonexistent/folder" });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("internal error: boom (the crash report could not be saved)\n");
  });

  it("a closed stdout (sim … | head) ends quietly", () => {
    const cwd = workspace();
    const r = spawnSync("sh", ["-c", `${process.execPath} ${SIM} --help | head -c 10 >/dev/null; ${process.execPath} ${SIM} validate t.yaml t.yaml t.yaml | head -c 1`], { cwd, encoding: "utf8" });
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stderr).not.toMatch(/internal error|EPIPE/);
  });
});

// examples/ci (issue 16 item 4): the GitHub Actions workflow and the GitLab CI job that run the
// safety gate parse as YAML, and every command they run exists: each `sim` invocation names a
// command of the CLI, only options that command has (with a value where it takes one), seeds and
// coverage paths the CLI accepts and scenario files that exist; the JUnit file they publish is the
// one the gate writes; every other program they call is npm's or a dev dependency's.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseRequiredPaths, parseSeeds } from "../../src/cli/check-command.js";
import { buildProgram } from "../../src/cli/program.js";
import { repoRoot } from "./support.js";

const program = buildProgram(() => {});

/** Shell commands of a script line: split on newlines, `&&`, `||` and `;` (the examples use no quoting). */
function commands(script: string): string[][] {
  return script
    .split(/\n|&&|\|\||;/)
    .map((c) => c.trim().split(/\s+/).filter((w) => w !== ""))
    .filter((c) => c.length > 0);
}

/** Problems with one `sim …` argument list (after the program name). */
function simProblems(args: string[]): string[] {
  const [name, ...rest] = args;
  const cmd = program.commands.find((c: Command) => c.name() === name);
  if (cmd === undefined) return [`sim ${name}: no such command`];
  const problems: string[] = [];
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (!w.startsWith("--")) {
      positional.push(w);
      continue;
    }
    const opt = cmd.options.find((o) => o.long === w);
    if (opt === undefined) {
      problems.push(`sim ${name}: no option ${w}`);
      continue;
    }
    if (opt.required) {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith("--")) problems.push(`sim ${name} ${w}: missing its value`);
      else values.set(w, v);
      i++;
    }
  }
  for (const f of positional) if (!existsSync(join(repoRoot, f))) problems.push(`sim ${name}: ${f} does not exist`);
  if (positional.length === 0) problems.push(`sim ${name}: no scenario named`);
  try {
    if (values.has("--seeds")) parseSeeds(values.get("--seeds")!);
    if (values.has("--require-coverage")) parseRequiredPaths(values.get("--require-coverage")!);
  } catch (e) {
    problems.push(`sim ${name}: ${(e as Error).message}`);
  }
  return problems;
}

/** Every command of the scripts: sim invocations checked, others only from the allowed programs. */
function check(scripts: string[]): { problems: string[]; sim: string[][] } {
  const problems: string[] = [];
  const sim: string[][] = [];
  for (const s of scripts) {
    for (const c of commands(s)) {
      if (c[0] === "npx" && (c[1] === "sim" || c[1] === "potsim")) {
        sim.push(c.slice(2));
        problems.push(...simProblems(c.slice(2)));
      } else if (c[0] === "npx" && c[1] === "tsc") {
        if (!existsSync(join(repoRoot, "node_modules", ".bin", "tsc"))) problems.push("npx tsc: no tsc in node_modules/.bin");
      } else if (!(c[0] === "npm" && c[1] === "ci")) problems.push(`unexpected command: ${c.join(" ")}`);
    }
  }
  return { problems, sim };
}

const read = (f: string) => parse(readFileSync(join(repoRoot, "examples", "ci", f), "utf8"));

describe("examples/ci", () => {
  it("the GitHub Actions workflow: commands exist, the gate writes the JUnit file it publishes and the folder it uploads", () => {
    const wf = read("github-actions.yml");
    const steps = Object.values(wf.jobs as Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }> }>).flatMap((j) => j.steps);
    const { problems, sim } = check(steps.flatMap((s) => (s.run === undefined ? [] : [s.run])));
    expect(problems).toEqual([]);
    const gate = sim.find((a) => a[0] === "check")!;
    expect(gate).toBeDefined();
    const junit = gate[gate.indexOf("--junit") + 1]!;
    const out = gate[gate.indexOf("--out") + 1]!;
    expect(steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report"))?.with?.report_paths).toBe(junit);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with?.path;
    expect(upload !== undefined && junit.startsWith(upload) && out.startsWith(upload)).toBe(true);
  });

  it("the GitLab CI job: commands exist, the JUnit report is the gate's file, the folder is kept when it fails", () => {
    const ci = read("gitlab-ci.yml");
    const job = ci["safety-gate"] as { script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } };
    const { problems, sim } = check(job.script);
    expect(problems).toEqual([]);
    const gate = sim.find((a) => a[0] === "check")!;
    expect(job.artifacts.reports.junit).toBe(gate[gate.indexOf("--junit") + 1]);
    expect(job.artifacts.when).toBe("always");
    expect(job.artifacts.paths.some((p) => gate[gate.indexOf("--out") + 1]!.startsWith(p))).toBe(true);
  });

  it("the check catches what it must: an unknown command, option, path name or file", () => {
    expect(check(["npx sim chekc scenarios/baseline.yaml"]).problems).toEqual(["sim chekc: no such command"]);
    expect(check(["npx sim check scenarios/baseline.yaml --seed 1"]).problems[0]).toBe("sim check: no option --seed");
    expect(check(["npx sim check scenarios/baseline.yaml --junit"]).problems).toEqual(["sim check --junit: missing its value"]);
    expect(check(["npx sim check scenarios/nope.yaml"]).problems).toEqual(["sim check: scenarios/nope.yaml does not exist"]);
    expect(check(["npx sim check scenarios/baseline.yaml --require-coverage view-chnage"]).problems[0]).toMatch(/unknown path "view-chnage"/);
    expect(check(["curl example.invalid | sh"]).problems[0]).toMatch(/^unexpected command: curl/);
  });
});

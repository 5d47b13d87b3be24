// `sim tune` from the command line: outputs and exit codes.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, tempDir } from "./support.js";

const SPEC = join(ROOT, "scenarios", "tune", "tokenomics-target.yaml");

function sim(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "dist", "src", "cli", "main.js"), ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("sim tune", () => {
  it("writes tune.csv, best.yaml, summary, manifest and the convergence report", { timeout: 60_000 }, () => {
    ensureBuilt();
    const out = join(tempDir("cli"), "out");
    const r = sim(["tune", SPEC, "--workers", "1", "--out", out, "--set", "tune.budget=12"]);
    expect([0, 1]).toContain(r.status);
    expect(r.stdout).toMatch(/^pot-short tune [0-9a-f]{8}: evaluations=12 generations=2 stop=budget resumed=0 best=\S+ feasible=(true|false) /);
    expect(r.stderr).toContain("generation 2, 12/12 evaluations");
    expect(readdirSync(out).sort()).toEqual(["best.yaml", "charts", "manifest.json", "report.html", "summary.json", "tune.csv"]);
    expect(existsSync(join(out, "charts", "convergence.svg"))).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("exits 2 with file, line and key for a broken objective, writing nothing", () => {
    ensureBuilt();
    const dir = tempDir("cli-bad");
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      `extends: ${join(ROOT, "scenarios", "tune", "pot-short.yaml")}\ntune:\n  params:\n    economics.communityTax: { min: 0, max: 0.2 }\n  objective:\n    minimize: "(users.prepays"\n  budget: 12\n`,
    );
    const r = sim(["tune", file, "--workers", "1", "--out", join(dir, "out")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:6:\d+ tune\.objective\.minimize: cannot parse/);
    expect(r.stderr).not.toContain("    at ");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

// The notebooks in notebooks/ run headless (`python3 -m nbconvert --to notebook --execute`) on
// outputs made here first — a Byzantine PoT run, three days of the tokenomics scenario, a Sobol'
// sweep with N = 16 — and each notebook's own assertions pass. The kernel is pinned to the Python
// that has nbconvert, ipykernel, pandas and matplotlib (POTSIM_PYTHON, else Debian's /usr/bin/python3,
// else python3 on PATH) through a kernelspec written for this test, so a pyenv or conda `python3`
// on PATH cannot change which interpreter runs them. Without such a Python the test is skipped
// with one line saying so (and fails under CI, whose .ci/run installs the Debian packages).

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, tempDir } from "../tune/support.js";

const MODULES = ["nbconvert", "nbclient", "ipykernel", "pandas", "matplotlib"];

function findPython(): string | undefined {
  const candidates = [process.env.POTSIM_PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", `import ${MODULES.join(", ")}`], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return undefined;
}

const PYTHON = findPython();
if (PYTHON === undefined && process.env.CI === undefined) {
  process.stderr.write(
    "notebooks: SKIPPED — no Python with jupyter nbconvert, nbclient, ipykernel, pandas and matplotlib " +
      "(apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas python3-matplotlib, or set POTSIM_PYTHON)\n",
  );
}

function sim(args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "src", "cli", "main.js"), ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sim ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
}

function execute(python: string, notebook: string, outDir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      python,
      [
        "-Xfrozen_modules=off",
        "-m",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.kernel_name=potsim-python3",
        "--ExecutePreprocessor.timeout=300",
        "--output-dir",
        outDir,
        join(ROOT, "notebooks", `${notebook}.ipynb`),
      ],
      { cwd: join(ROOT, "notebooks"), env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** The text a cell of an executed notebook printed. */
function printed(file: string): string {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] };
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.name === "stdout")
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))
    .join("");
}

describe.skipIf(PYTHON === undefined && process.env.CI === undefined)("notebooks", () => {
  it("execute headless on fresh outputs and their assertions pass", { timeout: 240_000 }, async () => {
    if (PYTHON === undefined) throw new Error("CI needs the notebook Python packages (.ci/run installs them)");
    ensureBuilt();
    const tmp = tempDir("notebooks");
    const results = join(tmp, "results");
    sim(["run", "scenarios/byzantine.yaml", "--out", join(results, "byzantine", "zz-older"), "--no-charts"]);
    sim(["run", "scenarios/byzantine.yaml", "--seed", "2", "--out", join(results, "byzantine", "aa-newer"), "--no-charts"]);
    sim(["run", "scenarios/tokenomics.yaml", "--set", "economics.epochs=432", "--set", "until=259300", "--out", join(results, "tokenomics", "days3"), "--no-charts"]);
    sim(["sweep", "scenarios/sweeps/tokenomics-sobol.yaml", "--set", "sweep.sobol.samples=16", "--workers", "2", "--no-charts", "--out", join(results, "tokenomics-sobol", "n16")]);
    // explore_run reads the run whose manifest was written last: "aa-newer", though "zz-older" sorts last.
    const at = (ageS: number) => new Date(Date.now() - ageS * 1000);
    utimesSync(join(results, "byzantine", "zz-older", "manifest.json"), at(3600), at(3600));
    utimesSync(join(results, "tokenomics", "days3", "manifest.json"), at(1800), at(1800));
    utimesSync(join(results, "byzantine", "aa-newer", "manifest.json"), at(0), at(0));

    const kernels = join(tmp, "jupyter", "kernels", "potsim-python3");
    mkdirSync(kernels, { recursive: true });
    writeFileSync(
      join(kernels, "kernel.json"),
      JSON.stringify({ argv: [PYTHON, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name: "potsim", language: "python" }),
    );
    const env = { JUPYTER_PATH: join(tmp, "jupyter"), POTSIM_RESULTS: results, MPLBACKEND: "Agg", PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    const out = join(tmp, "executed");
    const names = ["explore_run", "tokenomics_year", "sensitivity_sweep"];
    const runs = await Promise.all(names.map((n) => execute(PYTHON, n, out, env)));
    runs.forEach((r, i) => {
      expect(r.code, `${names[i]}.ipynb failed:\n${r.stderr.split("\n").slice(-25).join("\n")}`).toBe(0);
    });
    expect(printed(join(out, "explore_run.ipynb"))).toContain(join("byzantine", "aa-newer"));
    expect(printed(join(out, "sensitivity_sweep.ipynb"))).toContain("recomputed S1 and ST match sensitivity.csv");
  });
});

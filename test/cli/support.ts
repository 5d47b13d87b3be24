// Runs the built `sim` binary (npm test builds with tsc before vitest runs).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const simBin = join(repoRoot, "dist", "src", "cli", "main.js");

export interface SimResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sim(args: string[], cwd = repoRoot): SimResult {
  const r = spawnSync(process.execPath, [simBin, ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "potsim-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** All files under dir with their bytes, keyed by relative path (sorted). */
export function snapshotDir(dir: string, exclude: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (exclude.includes(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[rel] = readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}

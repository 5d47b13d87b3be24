// Helpers for the sweep tests: a fresh compiled worker for Piscina runs, folder snapshots for
// byte-for-byte comparison, and temporary output folders.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const FIXTURES = join("test", "fixtures", "sweep");
export const WORKER = join(ROOT, "dist", "src", "sweep", "worker.js");

/** Folders whose compiled code the sweep worker and the sweep module load. */
const WORKER_SOURCES = ["sweep", "scenario", "world", "kernel", "metrics", "check", "net", "protocols", "faults", "traffic"];

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ when the compiled worker is missing or older than its sources (as `npm test` would). */
export function ensureWorkerBuilt(): string {
  const src = Math.max(...WORKER_SOURCES.map((d) => newestMtime(join(ROOT, "src", d))));
  if (!existsSync(WORKER) || statSync(WORKER).mtimeMs < src) {
    // Other folders may be mid-edit and fail to type-check; tsc still emits, which is all we need.
    spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "ignore" });
  }
  if (!existsSync(WORKER)) throw new Error(`could not build ${WORKER}`);
  return WORKER;
}

/** Every file under `dir` (relative path → bytes as text), except timing.json. */
export function snapshot(dir: string, skip: readonly string[] = ["timing.json"]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!skip.includes(e.name)) out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `potsim-sweep-${label}-`));
}

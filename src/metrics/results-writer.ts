// Writes a run's outputs into results/<scenario>/<run-id>/ atomically: everything goes into a
// hidden temporary folder that is renamed into place only when complete, so a killed run never
// leaves a folder that looks finished. What may be replaced, and the clean-up of leftovers from
// killed writers, follow ./output-dir.ts.

import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { assertReplaceable, outputError, type ReplaceOpts, removeStaleTemps } from "./output-dir.js";
import { type Table, writeTableCsv } from "./table.js";

export interface OutputFile {
  /** Path relative to the run folder, e.g. "charts/latency.svg". */
  path: string;
  content: string | Uint8Array;
}

export interface RunFiles {
  manifest: unknown;
  summary: unknown;
  tables: Table[];
  /** Wall-clock figures; the only file allowed to differ between identical runs. */
  timing: unknown;
  extra?: OutputFile[];
  /** Runs on the finished temporary folder before it is moved into place (e.g. chart rendering). */
  finalize?: (tmpDir: string) => Promise<void>;
}

/** Stable JSON: object keys sorted, two-space indent, trailing newline; bigints as strings. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      // defineProperty: a key "__proto__" (from a scenario) must stay a key, not set the prototype.
      if (x !== undefined) Object.defineProperty(out, k, { value: sortKeys(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** Writes a file relative to a folder, creating subfolders. */
export type PutFile = (rel: string, content: string | Uint8Array) => void;

/**
 * Fills a hidden temporary folder next to `dir` and renames it into place only when `fill`
 * completes, so a killed process never leaves a folder at `dir` that looks finished. Whatever is at
 * `dir` must be replaceable (a previous potsim result, an empty folder, or forced): checked before
 * filling and again just before the rename. File-system failures are OutputErrors; on any failure
 * the temporary folder is removed.
 */
export async function writeAtomically(
  dir: string,
  fill: (put: PutFile, tmp: string) => Promise<void> | void,
  opts: ReplaceOpts = {},
): Promise<void> {
  assertReplaceable(dir, opts);
  const parent = dirname(dir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw outputError(parent, e);
  }
  removeStaleTemps(dir);
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
  } catch (e) {
    throw outputError(tmp, e);
  }
  const put: PutFile = (rel, content) => {
    const p = join(tmp, rel);
    try {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    } catch (e) {
      throw outputError(dir, e);
    }
  };
  try {
    await fill(put, tmp);
    assertReplaceable(dir, opts);
    replaceDir(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw outputError(dir, e);
  }
}

export async function writeRunFolder(dir: string, files: RunFiles, opts: ReplaceOpts = {}): Promise<void> {
  await writeAtomically(dir, async (put, tmp) => {
    put("manifest.json", stableJson(files.manifest));
    put("summary.json", stableJson(files.summary));
    // (a failed write is reported as an output error of `dir` by writeAtomically)
    for (const t of files.tables) {
      const p = join(tmp, `${t.name}.csv`);
      mkdirSync(dirname(p), { recursive: true });
      writeTableCsv(p, t);
    }
    for (const f of files.extra ?? []) put(f.path, f.content);
    if (files.finalize) await files.finalize(tmp);
    put("timing.json", stableJson(files.timing));
  }, opts);
}

/** Moves a finished temporary folder to `dir`, replacing what is there (put back if the move fails). */
export function replaceDir(tmp: string, dir: string): void {
  if (present(dir)) {
    const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    renameSync(dir, old);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      renameSync(old, dir);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, dir);
  }
}

/** Whether anything (a dangling symbolic link too) is at `path`. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}

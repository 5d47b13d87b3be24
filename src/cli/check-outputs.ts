// Where `sim check` writes besides stdout, all checked before the first seed runs (exit 2, nothing
// written) and written atomically after the last: the JUnit file (--junit FILE), the check folder
// (--out DIR: manifest.json and coverage.csv), and under GitHub Actions the job summary appended to
// $GITHUB_STEP_SUMMARY. --junit replaces only a JUnit file a check wrote (or an empty one) unless
// --force, never a folder or a symbolic link; the temporary file sits beside it and is renamed over
// it, so a killed check leaves the previous file or none. The --out folder follows the results
// folder rules (metrics/output-dir.ts). assertFileTarget is the same rule for any single output
// file (`sim trace export --out`).

import { appendFileSync, closeSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isPotsimJunit } from "../ci/index.js";
import { assertReplaceable, OutputError, outputError, stableJson, type Table, tableToCsv, writeAtomically } from "../metrics/index.js";

function usable(path: string, what: string): void {
  if (path.trim() === "" || path.includes("\0")) throw new OutputError(`${what} ${JSON.stringify(path)} is not a usable path`);
}

function firstBytes(path: string, n: number): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Throws OutputError unless `path` may receive a JUnit file: nothing there, an empty file, a check's JUnit file, or any file when forced. */
export function assertJunitTarget(path: string, force: boolean): void {
  assertFileTarget(path, { option: "--junit", force, ours: isPotsimJunit, writer: "sim check" });
}

export interface FileTarget {
  /** How the path was given, for messages ("--junit", "--out"). */
  option: string;
  force: boolean;
  /** Whether a file's first bytes show it is one this command wrote (replaced without --force). */
  ours: (head: string) => boolean;
  /** Who writes such files, for messages ("sim check"). */
  writer: string;
}

/**
 * Throws OutputError unless `path` may receive a file: nothing there, an empty file, a file the
 * same command wrote (by its first bytes), or any regular file when forced; never a folder or a
 * symbolic link, and never below a file.
 */
export function assertFileTarget(path: string, t: FileTarget): void {
  usable(path, t.option);
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") {
      // The folder is created at write time; a file in the way of it is refused now.
      for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
        try {
          if (!statSync(d).isDirectory()) throw new OutputError(`${t.option} ${path}: ${d} is a file, not a folder`);
          break;
        } catch (e2) {
          if (e2 instanceof OutputError) throw e2;
        }
      }
      return;
    }
    throw outputError(path, e);
  }
  if (st.isSymbolicLink()) throw new OutputError(`${t.option} ${path} is a symbolic link: choose another path`);
  if (!st.isFile()) throw new OutputError(`${t.option} ${path} is a folder, not a file`);
  if (st.size === 0 || t.force) return;
  if (!t.ours(firstBytes(path, 200))) {
    throw new OutputError(`${t.option} ${path} is a file that ${t.writer} did not write: choose another path, or pass --force to replace it`);
  }
}

/** Writes `chunks` to `path` through a temporary file beside it, renamed into place when complete. */
export function writeFileAtomically(path: string, chunks: Iterable<string>): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, "w");
    try {
      for (const c of chunks) writeSync(fd, c);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw outputError(path, e);
  }
}

/** Checks the --out folder (results folder rules). */
export function assertCheckFolder(dir: string, force: boolean): void {
  assertReplaceable(dir, { force });
}

/** Writes the --out folder: manifest.json and each table as CSV. */
export async function writeCheckFolder(dir: string, manifest: Record<string, unknown>, tables: readonly Table[], force: boolean): Promise<void> {
  await writeAtomically(
    dir,
    (put) => {
      put("manifest.json", stableJson(manifest));
      for (const t of tables) put(`${t.name}.csv`, tableToCsv(t));
    },
    { force },
  );
}

/** $GITHUB_STEP_SUMMARY must be a regular file or not exist yet (GitHub creates it per step). */
export function assertStepSummary(path: string): void {
  usable(path, "GITHUB_STEP_SUMMARY");
  try {
    const st = lstatSync(path);
    if (!st.isFile()) throw new OutputError(`GITHUB_STEP_SUMMARY ${path} is not a regular file`);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    if ((e as { code?: string }).code !== "ENOENT") throw outputError(path, e);
  }
}

/** Appends the summary in one write (the file is GitHub's: never replaced). */
export function appendStepSummary(path: string, markdown: string): void {
  try {
    appendFileSync(path, markdown);
  } catch (e) {
    throw outputError(path, e);
  }
}

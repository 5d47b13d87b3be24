// Where results may be written, and what may be replaced there. A results folder is replaced only
// when it is a previous potsim result (recognised by a manifest.json carrying a `potsim` version)
// or empty; anything else (a folder of the user's, a file) is refused unless the caller forces it,
// and even then never the file-system root, the home folder or the working directory (or one of its
// parents). Default paths are built from checked single folder names, so no value from a scenario
// can climb out of the results root. Hidden temporary folders left by a killed process next to a
// results folder are removed by the next write there. File-system failures become OutputError
// (a usage problem, exit 2) with the path and the reason in words.
// Owns: these rules. May import: node built-ins.

import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** A problem with an output location the user can fix (exit code 2). */
export class OutputError extends Error {}

/** What is at a results path now. */
export type ExistingOutput =
  | { readonly kind: "none" }
  | { readonly kind: "empty" }
  | { readonly kind: "potsim"; readonly manifest: Record<string, unknown> }
  | { readonly kind: "foreign"; readonly why: string };

/** Reads what is at `dir` (without following a final symbolic link for the kind of entry). */
export function inspectOutput(dir: string): ExistingOutput {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return { kind: "none" };
    throw outputError(dir, e);
  }
  if (st.isSymbolicLink()) return { kind: "foreign", why: "is a symbolic link" };
  if (!st.isDirectory()) return { kind: "foreign", why: "is a file, not a folder" };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw outputError(dir, e);
  }
  if (names.length === 0) return { kind: "empty" };
  const manifest = readManifest(join(dir, "manifest.json"));
  if (manifest !== undefined) return { kind: "potsim", manifest };
  return { kind: "foreign", why: `is a folder with ${names.length} entr${names.length === 1 ? "y" : "ies"} and no potsim manifest.json` };
}

function readManifest(path: string): Record<string, unknown> | undefined {
  try {
    if (!statSync(path).isFile() || statSync(path).size > 256 * 1024 * 1024) return undefined;
    const m = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (m === null || typeof m !== "object" || Array.isArray(m)) return undefined;
    return typeof (m as { potsim?: unknown }).potsim === "string" ? (m as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Folders never replaced, even when forced: /, the home folder, the working directory and its parents. */
function isProtected(dir: string): boolean {
  const abs = canonical(dir);
  if (abs === resolve("/") || abs === canonical(homedir())) return true;
  const cwd = canonical(process.cwd());
  const rel = relative(abs, cwd);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

export interface ReplaceOpts {
  /** Replace a folder that is not a potsim result (`--force`). */
  readonly force?: boolean;
}

/** Throws OutputError unless whatever is at `dir` may be replaced by a new result. */
export function assertReplaceable(dir: string, opts: ReplaceOpts = {}): ExistingOutput {
  if (dir.trim() === "" || dir.includes("\0")) throw new OutputError(`output folder ${JSON.stringify(dir)} is not a usable path`);
  const found = inspectOutput(dir);
  if (found.kind === "none" || found.kind === "empty" || found.kind === "potsim") {
    if (found.kind !== "none" && isProtected(dir)) throw new OutputError(`${dir}: refusing to write results over this folder (it holds the working directory or is the home or root folder)`);
    return found;
  }
  if (isProtected(dir)) throw new OutputError(`${dir}: refusing to write results over this folder (it holds the working directory or is the home or root folder)`);
  if (!opts.force) {
    throw new OutputError(
      `${dir} ${found.why}: potsim replaces only its own results; choose another --out, or pass --force to replace it`,
    );
  }
  return found;
}

/** One folder name for a results path: no separators, not `.` or `..`, at most 200 characters. */
export function checkFolderName(name: string, what: string): string {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\\") || name.includes("\0") || name.length > 200) {
    throw new OutputError(`${what} ${JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name)} cannot be used as a folder name`);
  }
  return name;
}

/** `root/a/b`, after checking each part is one folder name and that the result stays below root. */
export function resultsPath(root: string, ...parts: string[]): string {
  for (const p of parts) checkFolderName(p, "results folder name");
  const out = join(root, ...parts);
  const rel = relative(resolve(root), resolve(out));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).length !== parts.length) {
    throw new OutputError(`${out} is not inside the results folder ${root}`);
  }
  return out;
}

/** True when a process with this id exists (ours or not). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Removes hidden leftovers of killed writers next to `dir`: `.<name>.tmp-<pid>` and
 * `.<name>.old-<pid>` whose process is gone. Returns the removed paths.
 */
export function removeStaleTemps(dir: string): string[] {
  const parent = dirname(dir);
  const name = basename(dir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const prefix = `.${name}.`;
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const m = /^(tmp|old)-(\d+)$/.exec(e.slice(prefix.length));
    if (m === null || alive(Number(m[2]))) continue;
    const p = join(parent, e);
    try {
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // Not ours to fight over: a leftover that cannot be removed stays (it is hidden).
    }
  }
  return removed;
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  ENAMETOOLONG: "the path, or a name in it, is too long",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder",
  EEXIST: "already exists",
  ENOTEMPTY: "a folder in the way is not empty",
  ELOOP: "too many symbolic links",
  EBUSY: "busy (in use)",
  EMFILE: "too many open files",
  EXDEV: "crosses file systems",
};

/** Turns a file-system error into an OutputError naming the path; other errors are returned unchanged. */
export function outputError(path: string, e: unknown): Error {
  if (e instanceof OutputError) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && Object.hasOwn(REASONS, code)) return new OutputError(`cannot write results to ${shortPath(path)}: ${REASONS[code]}`);
  return e instanceof Error ? e : new Error(String(e));
}

/** A path for a message: whole when short, else its start and end. */
function shortPath(p: string): string {
  return p.length <= 160 ? p : `${p.slice(0, 80)}...${p.slice(-60)}`;
}

/** Whether `path` exists (following links); false on any error. */
export function exists(path: string): boolean {
  try {
    return existsSync(path);
  } catch {
    return false;
  }
}

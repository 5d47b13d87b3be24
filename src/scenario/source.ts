// Scenario sources: a file (or text) read into one located tree, with its `extends` chain
// resolved and merged. A SourceDoc is what overrides are applied to and what is validated.
// Only regular files are read, and only up to MAX_SCENARIO_BYTES: `extends: /dev/zero` or a FIFO
// must be an error at the `extends`, not a read that never ends. A base must be a mapping.
// May import: node:fs, node:path, ./issues.js, ./located.js, ./merge.js, ./schema.js,
// ./yaml-source.js.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { Issues } from "./issues.js";
import { describeNode, type LMap, type LNode, type Loc } from "./located.js";
import { mergeNodes } from "./merge.js";
import type { AnySchema } from "./schema.js";
import { parseYaml } from "./yaml-source.js";

/** A merged scenario tree, before validation. `file` is the top file as the caller named it. */
export interface SourceDoc {
  readonly file: string;
  readonly root: LNode;
}

export interface SourceOpts {
  /** Reads a file as UTF-8 text (default: the real file system). */
  readonly readFile?: (path: string) => string;
  /** Guides merging (variants switch whole). Default: plain deep merge. */
  readonly schema?: AnySchema;
}

const EXTENDS = "extends";

/** Largest scenario file read (a long trace arrival list fits many times over). */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
/** Longest `extends` chain (a file, its base, the base's base, ...). */
export const MAX_EXTENDS_DEPTH = 32;

/** A file that is not something potsim reads as a scenario (a device, a FIFO, too large). */
class NotReadable extends Error {}

/** Reads `file` and its `extends` chain. Throws ScenarioError. */
export function readSourceDoc(file: string, opts: SourceOpts = {}): SourceDoc {
  const issues = new Issues();
  const root = readInto(file, issues, opts);
  issues.throwIfAny();
  return { file, root: root! };
}

/** Like readSourceDoc, for text already in hand; `extends` is relative to `file`. */
export function parseSourceText(text: string, file: string, opts: SourceOpts = {}): SourceDoc {
  const issues = new Issues();
  const root = fromText(text, file, [resolve(file)], [file], issues, opts);
  issues.throwIfAny();
  return { file, root: root! };
}

/** Collecting variant used by validateFiles; undefined when nothing usable was read. */
export function readInto(file: string, issues: Issues, opts: SourceOpts = {}): LNode | undefined {
  let text: string;
  try {
    text = (opts.readFile ?? defaultRead)(file);
  } catch (e) {
    issues.add({ file, line: 1, col: 1 }, [], `cannot read file (${readError(e)})`);
    return undefined;
  }
  return fromText(text, file, [resolve(file)], [file], issues, opts);
}

function fromText(
  text: string,
  file: string,
  chainAbs: readonly string[],
  chainShown: readonly string[],
  issues: Issues,
  opts: SourceOpts,
): LNode | undefined {
  const parsed = parseYaml(text, file, issues);
  if (parsed === undefined) return undefined;
  const root: LNode = parsed ?? { kind: "map", loc: { file, line: 1, col: 1 }, entries: new Map() };
  if (root.kind !== "map") return root;
  const ext = root.entries.get(EXTENDS);
  if (ext === undefined) return root;
  const own: LMap = { kind: "map", loc: root.loc, entries: new Map([...root.entries].filter(([k]) => k !== EXTENDS)) };
  const v = ext.value;
  if (v.kind !== "scalar" || typeof v.value !== "string" || v.value === "") {
    issues.add(v.loc, [EXTENDS], `must be a path to a base scenario file, got ${describeNode(v)}`);
    return undefined;
  }
  const basePath = isAbsolute(v.value) ? v.value : join(dirname(file), v.value);
  const baseAbs = resolve(basePath);
  const cycleAt = chainAbs.indexOf(baseAbs);
  if (cycleAt >= 0) {
    const shown = [...chainShown.slice(cycleAt), basePath].join(" -> ");
    issues.add(v.loc, [EXTENDS], `extends cycle: ${shown}`);
    return undefined;
  }
  if (chainAbs.length >= MAX_EXTENDS_DEPTH) {
    issues.add(v.loc, [EXTENDS], `extends chain longer than ${MAX_EXTENDS_DEPTH} files (${chainShown[0]} -> ... -> ${basePath})`);
    return undefined;
  }
  // A base that cannot be used stops here: validating the rest would only add errors it caused.
  const base = readBase(basePath, v.loc, issues, opts);
  if (base === undefined) return undefined;
  const before = issues.count;
  const baseRoot = fromText(base, basePath, [...chainAbs, baseAbs], [...chainShown, basePath], issues, opts);
  if (baseRoot === undefined) {
    if (issues.list.slice(before).some((i) => i.file === basePath && i.path === "")) {
      issues.add(v.loc, [EXTENDS], `base scenario "${basePath}" is not valid YAML (its errors are listed)`);
    }
    return undefined;
  }
  if (baseRoot.kind !== "map" || (baseRoot.entries.size === 0 && isBlank(base))) {
    const what = baseRoot.kind === "map" ? "empty" : `${describeNode(baseRoot)}, not a mapping of scenario keys`;
    issues.add(v.loc, [EXTENDS], `base scenario "${basePath}" is ${what}`);
    return undefined;
  }
  return mergeNodes(baseRoot, own, opts.schema);
}

/** True when YAML text holds no document (only blanks and comments). */
function isBlank(text: string): boolean {
  return text.split("\n").every((l) => /^\s*(#.*)?$/.test(l));
}

function readBase(path: string, at: Loc, issues: Issues, opts: SourceOpts): string | undefined {
  try {
    return (opts.readFile ?? defaultRead)(path);
  } catch (e) {
    issues.add(at, [EXTENDS], `cannot read base scenario "${path}" (${readError(e)})`);
    return undefined;
  }
}

/**
 * Reads a scenario file as UTF-8: a regular file (symbolic links followed) of at most
 * MAX_SCENARIO_BYTES. Opened non-blocking, so a FIFO is refused instead of waiting for a writer.
 */
export function readScenarioFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!st.isFile()) throw new NotReadable(`not a regular file: ${kindOf(st)}`);
    if (st.size > MAX_SCENARIO_BYTES) throw new NotReadable(`larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB (${st.size} bytes)`);
    const buf = Buffer.alloc(Math.min(st.size, MAX_SCENARIO_BYTES) + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    // A file that grew while being read (e.g. a log being written) is still bounded.
    if (n > MAX_SCENARIO_BYTES) throw new NotReadable(`larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB`);
    const bytes = buf.subarray(0, n);
    if (bytes.includes(0)) throw new NotReadable("not a text file (it contains NUL bytes)");
    return bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: { isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "a special file";
}

function defaultRead(path: string): string {
  return readScenarioFile(path);
}

function readError(e: unknown): string {
  if (e instanceof NotReadable) return e.message;
  const code = (e as { code?: unknown }).code;
  if (code === "EACCES") return "permission denied";
  if (code === "ENOTDIR") return "a part of the path is not a folder";
  if (code === "ENAMETOOLONG") return "path too long";
  if (code === "ELOOP") return "too many symbolic links";
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory";
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}

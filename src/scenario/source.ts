// Scenario sources: a file (or text) read into one located tree, with its `extends` chain
// resolved and merged. A SourceDoc is what overrides are applied to and what is validated.
// May import: node:fs, node:path, ./issues.js, ./located.js, ./merge.js, ./schema.js,
// ./yaml-source.js.

import { readFileSync } from "node:fs";
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
    return own;
  }
  const basePath = isAbsolute(v.value) ? v.value : join(dirname(file), v.value);
  const baseAbs = resolve(basePath);
  const cycleAt = chainAbs.indexOf(baseAbs);
  if (cycleAt >= 0) {
    const shown = [...chainShown.slice(cycleAt), basePath].join(" -> ");
    issues.add(v.loc, [EXTENDS], `extends cycle: ${shown}`);
    return own;
  }
  const base = readBase(basePath, v.loc, issues, opts);
  if (base === undefined) return own;
  const baseRoot = fromText(base, basePath, [...chainAbs, baseAbs], [...chainShown, basePath], issues, opts);
  if (baseRoot === undefined) return undefined;
  return mergeNodes(baseRoot, own, opts.schema);
}

function readBase(path: string, at: Loc, issues: Issues, opts: SourceOpts): string | undefined {
  try {
    return (opts.readFile ?? defaultRead)(path);
  } catch (e) {
    issues.add(at, [EXTENDS], `cannot read base scenario "${path}" (${readError(e)})`);
    return undefined;
  }
}

function defaultRead(path: string): string {
  return readFileSync(path, "utf8");
}

function readError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory";
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}

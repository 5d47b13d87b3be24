// YAML text → located tree. Every node keeps file:line:col (1-based) from the yaml
// package's LineCounter; syntax errors become issues with positions.
// Hostile input is bounded here, before anything else sees it: aliases are expanded by this
// module's own conversion (the yaml package's `maxAliasCount` only guards its toJS), so the number
// of alias dereferences, the expanded size and the nesting depth all have limits, a recursive alias
// is reported at the alias, and tags other than the YAML core ones are errors rather than strings.
// Owns: parsing one YAML text. May import: yaml, ./issues.js, ./located.js.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Issues } from "./issues.js";
import type { LEntry, LNode, Loc, ScalarValue } from "./located.js";

/**
 * Limits of one parsed text. A scenario is a few hundred nodes; the largest legitimate ones are
 * trace arrival lists (`traffic.users[].arrival.times`), bounded by the file size limit in
 * source.ts (16 MiB ≈ 2 M short list items) and not by these. Aliases (reuse of a latency model,
 * say) expand to a few copies; the limits stop "billion laughs" in well under a second.
 */
export const YAML_LIMITS = {
  /** Alias dereferences while expanding (each `*a` met during conversion counts once). */
  maxAliasDerefs: 10_000,
  /** Nodes created by expanding aliases (copies of anchored nodes). */
  maxExpandedNodes: 200_000,
  /** Nesting depth of mappings and lists, aliases expanded. */
  maxDepth: 100,
} as const;

/** Syntax errors reported per text (a binary file gives hundreds). */
const MAX_SYNTAX_ERRORS = 5;

/** The YAML core schema's tags: the only explicit tags a scenario may use. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

export interface ParseOpts {
  /** Shifts reported positions (used for `--set` values embedded in a longer argument). */
  readonly line?: number;
  readonly colOffset?: number;
}

/** Thrown inside the conversion to unwind it once a limit is hit (the issue is already recorded). */
class Abort {}

/**
 * Parses `text` as one YAML document. Returns the located root, `null` for an empty
 * document, or undefined when the text has errors (recorded in `issues`).
 */
export function parseYaml(text: string, file: string, issues: Issues, opts: ParseOpts = {}): LNode | null | undefined {
  const lineCounter = new LineCounter();
  const locAt = (offset: number): Loc => {
    const p = lineCounter.linePos(offset);
    if (opts.line !== undefined) return { file, line: opts.line, col: p.col + (opts.colOffset ?? 0) };
    return { file, line: p.line, col: p.col };
  };
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, keepSourceTokens: true, uniqueKeys: true });
  } catch (e) {
    // The parser reports most exhaustion itself; anything it throws is still the text's fault.
    issues.add(locAt(0), [], `YAML error: ${e instanceof Error ? parserMessage(e.message) : String(e)}`);
    return undefined;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) issues.add(locAt(e.pos[0]), [], `YAML syntax error: ${parserMessage(e.message)}`);
    const more = doc.errors.length - MAX_SYNTAX_ERRORS;
    if (more > 0) issues.add(locAt(doc.errors[MAX_SYNTAX_ERRORS]!.pos[0]), [], `... and ${more} more YAML syntax error${more === 1 ? "" : "s"}`);
    return undefined;
  }
  // Other warnings (unresolved tags are reported by checkTag below, at the tagged node): silently
  // keeping the text would hide a mistake.
  const warnings = doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED");
  if (warnings.length > 0) {
    for (const w of warnings) issues.add(locAt(w.pos[0]), [], `YAML error: ${firstLine(w.message)}`);
    return undefined;
  }
  if (doc.contents === null) return null;
  let derefs = 0;
  let expanded = 0;
  /** Alias targets being expanded (to catch an alias inside the node it refers to). */
  const expanding = new Set<Node>();
  const fail = (offset: number, message: string): never => {
    issues.add(locAt(offset), [], message);
    throw new Abort();
  };
  /** Explicit tags other than the core schema's would otherwise turn into strings without a word. */
  const checkTag = (node: Node): void => {
    const tag = node.tag;
    if (tag === undefined || tag === "!" || CORE_TAGS.has(tag)) return;
    issues.add(locAt(tagStart(text, rangeStart(node))), [], `YAML error: unsupported tag ${shortTag(tag)} (scenario files use plain YAML values)`);
  };
  const convert = (node: unknown, depth: number, via: Node | undefined): LNode => {
    if (via !== undefined && ++expanded > YAML_LIMITS.maxExpandedNodes) {
      fail(rangeStart(via), `YAML error: aliases expand to more than ${YAML_LIMITS.maxExpandedNodes} values (expanding this alias)`);
    }
    if (depth > YAML_LIMITS.maxDepth) {
      fail(rangeStart(via ?? (node as Node)), `YAML error: nested more than ${YAML_LIMITS.maxDepth} levels deep${via ? " (expanding this alias)" : ""}`);
    }
    if (isAlias(node)) {
      if (++derefs > YAML_LIMITS.maxAliasDerefs) {
        fail(rangeStart(node), `YAML error: more than ${YAML_LIMITS.maxAliasDerefs} alias expansions (alias *${node.source})`);
      }
      const target = node.resolve(doc) as Node | undefined;
      if (target === undefined) fail(rangeStart(node), `YAML error: unresolved alias *${node.source}`);
      if (expanding.has(target!)) fail(rangeStart(node), `YAML error: alias *${node.source} refers to a node that contains it (recursive alias)`);
      expanding.add(target!);
      try {
        return convert(target, depth, via ?? node);
      } finally {
        expanding.delete(target!);
      }
    }
    checkTag(node as Node);
    if (isMap(node)) {
      const entries = new Map<string, LEntry>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        const keyLoc = locAt(rangeStart(k as Node | null, rangeStart(node)));
        if (k !== null && !isScalar(k)) {
          issues.add(keyLoc, [], "YAML error: mapping keys must be plain scalars");
          continue;
        }
        if (k !== null) checkTag(k);
        const key = String(isScalar(k) ? k.value : null);
        const valueNode = pair.value as Node | null;
        const value: LNode =
          valueNode === null ? { kind: "scalar", loc: keyLoc, value: null } : convert(valueNode, depth + 1, via);
        entries.set(key, { keyLoc, value });
      }
      return { kind: "map", loc: locAt(rangeStart(node)), entries };
    }
    if (isSeq(node)) {
      const items = node.items.map((it) =>
        it === null ? ({ kind: "scalar", loc: locAt(rangeStart(node)), value: null } as LNode) : convert(it, depth + 1, via),
      );
      return { kind: "seq", loc: locAt(rangeStart(node)), items };
    }
    if (isScalar(node)) {
      // A core tag the value does not fit (`!!float abc`) leaves the text as it was: say so.
      if (typeof node.value === "string" && node.tag !== undefined && node.tag !== "!" && !node.tag.endsWith(":str") && CORE_TAGS.has(node.tag)) {
        issues.add(locAt(tagStart(text, rangeStart(node))), [], `YAML error: ${JSON.stringify(node.value)} is not a valid ${shortTag(node.tag)}`);
      }
      return { kind: "scalar", loc: locAt(rangeStart(node)), value: scalarValue(node.value) };
    }
    return { kind: "scalar", loc: locAt(0), value: null };
  };
  const before = issues.count;
  try {
    const root = convert(doc.contents, 0, undefined);
    return issues.count > before ? undefined : root;
  } catch (e) {
    if (e instanceof Abort) return undefined;
    throw e;
  }
}

function rangeStart(node: Node | null | undefined, fallback = 0): number {
  return node?.range?.[0] ?? fallback;
}

/** Where the tag written before the value at `offset` starts (the value's own position otherwise). */
function tagStart(text: string, offset: number): number {
  const m = /!\S*\s*$/.exec(text.slice(Math.max(0, offset - 200), offset));
  return m === null ? offset : offset - (m[0].length);
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

function scalarValue(v: unknown): ScalarValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}

/** The parser's message, first line; its own stack running out (text nested thousands deep) is said as the depth limit. */
function parserMessage(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return `nested more than ${YAML_LIMITS.maxDepth} levels deep`;
  return firstLine(message);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

// YAML text → located tree. Every node keeps file:line:col (1-based) from the yaml
// package's LineCounter; syntax errors become issues with positions.
// Owns: parsing one YAML text. May import: yaml, ./issues.js, ./located.js.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Issues } from "./issues.js";
import type { LEntry, LNode, Loc, ScalarValue } from "./located.js";

export interface ParseOpts {
  /** Shifts reported positions (used for `--set` values embedded in a longer argument). */
  readonly line?: number;
  readonly colOffset?: number;
}

/**
 * Parses `text` as one YAML document. Returns the located root, `null` for an empty
 * document, or undefined when the text has syntax errors (recorded in `issues`).
 */
export function parseYaml(text: string, file: string, issues: Issues, opts: ParseOpts = {}): LNode | null | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, keepSourceTokens: true });
  const locAt = (offset: number): Loc => {
    const p = lineCounter.linePos(offset);
    if (opts.line !== undefined) return { file, line: opts.line, col: p.col + (opts.colOffset ?? 0) };
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) issues.add(locAt(e.pos[0]), [], `YAML syntax error: ${firstLine(e.message)}`);
    return undefined;
  }
  if (doc.contents === null) return null;
  const before = issues.count;
  const convert = (node: unknown, depth: number): LNode => {
    if (depth > 200) throw new Error("YAML nesting too deep (recursive alias?)");
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        issues.add(locAt(rangeStart(node)), [], `YAML error: unresolved alias *${node.source}`);
        return { kind: "scalar", loc: locAt(rangeStart(node)), value: null };
      }
      return convert(target, depth + 1);
    }
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
        const key = String(isScalar(k) ? k.value : null);
        const valueNode = pair.value as Node | null;
        const value: LNode =
          valueNode === null
            ? { kind: "scalar", loc: keyLoc, value: null }
            : convert(valueNode, depth + 1);
        entries.set(key, { keyLoc, value });
      }
      return { kind: "map", loc: locAt(rangeStart(node)), entries };
    }
    if (isSeq(node)) {
      const items = node.items.map((it) =>
        it === null ? ({ kind: "scalar", loc: locAt(rangeStart(node)), value: null } as LNode) : convert(it, depth + 1),
      );
      return { kind: "seq", loc: locAt(rangeStart(node)), items };
    }
    if (isScalar(node)) {
      return { kind: "scalar", loc: locAt(rangeStart(node)), value: scalarValue(node.value) };
    }
    return { kind: "scalar", loc: locAt(0), value: null };
  };
  const root = convert(doc.contents, 0);
  return issues.count > before ? undefined : root;
}

function rangeStart(node: Node | null | undefined, fallback = 0): number {
  return node?.range?.[0] ?? fallback;
}

function scalarValue(v: unknown): ScalarValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

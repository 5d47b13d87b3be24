// Located YAML trees: plain values that remember which file, line and column supplied them.
// Owns: the LNode types, conversion of plain values into synthetic nodes, walking a
// relative key path, and short descriptions of values for error messages.
// May import: ./path.js only.

import type { Path } from "./path.js";

/** A 1-based source position. `file` is the path as the caller gave it (or `--set`). */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type ScalarValue = string | number | boolean | null;

interface NodeBase {
  readonly loc: Loc;
  /** True when the node was made from a schema default, not read from any source. */
  readonly synthetic?: boolean;
}

export interface LScalar extends NodeBase {
  readonly kind: "scalar";
  readonly value: ScalarValue;
}

export interface LSeq extends NodeBase {
  readonly kind: "seq";
  readonly items: readonly LNode[];
}

export interface LEntry {
  /** Where the key itself is written. */
  readonly keyLoc: Loc;
  readonly value: LNode;
}

export interface LMap extends NodeBase {
  readonly kind: "map";
  /** Insertion-ordered entries. Never mutated after construction. */
  readonly entries: ReadonlyMap<string, LEntry>;
}

export type LNode = LScalar | LSeq | LMap;

/** Builds a synthetic node tree for a plain value, every node located at `loc`. */
export function fromPlain(value: unknown, loc: Loc, synthetic = true): LNode {
  if (Array.isArray(value)) {
    return { kind: "seq", loc, synthetic, items: value.map((v) => fromPlain(v, loc, synthetic)) };
  }
  if (value !== null && typeof value === "object") {
    const entries = new Map<string, LEntry>();
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      entries.set(k, { keyLoc: loc, value: fromPlain(v, loc, synthetic) });
    }
    return { kind: "map", loc, synthetic, entries };
  }
  if (
    value === null ||
    value === undefined ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  ) {
    return { kind: "scalar", loc, synthetic, value: value ?? null };
  }
  return { kind: "scalar", loc, synthetic, value: String(value) };
}

/** Converts a located tree back into plain data (used by tests and tools). */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries) setOwn(out, k, toPlain(e.value));
      return out;
    }
  }
}

export interface Located {
  /** The node at the full path, if it exists. */
  readonly node: LNode | undefined;
  /** The deepest node that exists along the path (the node itself when found). */
  readonly nearest: LNode;
}

/** Walks `rel` from `node`; stops at the deepest existing node. */
export function locate(node: LNode, rel: Path): Located {
  let cur = node;
  for (const seg of rel) {
    let next: LNode | undefined;
    if (cur.kind === "map") next = cur.entries.get(String(seg))?.value;
    else if (cur.kind === "seq" && typeof seg === "number") next = cur.items[seg];
    if (next === undefined) return { node: undefined, nearest: cur };
    cur = next;
  }
  return { node: cur, nearest: cur };
}

/**
 * `out[key] = value` as an own, enumerable property for every key: plain assignment of
 * `__proto__` would set the object's prototype instead, and the key would silently vanish.
 */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A short description of a value for "got …" in messages. */
export function describeNode(node: LNode): string {
  switch (node.kind) {
    case "map":
      return "a mapping";
    case "seq":
      return "a list";
    case "scalar":
      return describeScalar(node.value);
  }
}

export function describeScalar(value: ScalarValue): string {
  if (typeof value === "string") {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(s);
  }
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (value === Number.POSITIVE_INFINITY) return ".inf";
    if (value === Number.NEGATIVE_INFINITY) return "-.inf";
  }
  return String(value);
}

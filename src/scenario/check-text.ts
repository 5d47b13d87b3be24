// Checking arbitrary YAML text against any schema built with the DSL (for small config
// files other than scenarios, and for tests). May import: ./issues.js, ./located.js,
// ./schema.js, ./yaml-source.js.

import { Issues } from "./issues.js";
import type { LNode } from "./located.js";
import { type AnySchema, type Infer, INVALID } from "./schema.js";
import { parseYaml } from "./yaml-source.js";

/** Parses `text` (named `file` in errors), validates and defaults it. Throws ScenarioError. */
export function parseWith<S extends AnySchema>(schema: S, text: string, file: string): Infer<S> {
  const issues = new Issues();
  const root = parseYaml(text, file, issues);
  let out: unknown = INVALID;
  if (root !== undefined) {
    const loc = { file, line: 1, col: 1 };
    const empty: LNode = { kind: "map", loc, entries: new Map() };
    const node: LNode = root ?? (schema.accepts(empty) ? empty : { kind: "scalar", loc, value: null });
    out = schema.check(node, [], issues);
  }
  issues.throwIfAny();
  return out as Infer<S>;
}

// `--set key.path=value` overrides applied to a scenario tree before validation.
// Values are YAML (scalars or flow collections: `--set 'network.latency={model: constant, value: 0.02}'`).
// Positions: file `--set`, line = which override (1-based), column = offset in that argument.
// Unknown keys and bad values are reported by validation with those positions.
// Given the schema, a path through a key the document leaves at its default starts from that
// default (`--set network.latency.value=0.02` keeps the default's `model: constant`), so a typo
// below it is reported as an unknown key with a suggestion rather than as a missing tag.
// Owns: parsing and applying overrides. May import: ./issues.js, ./located.js, ./navigate.js,
// ./path.js, ./schema.js, ./source.js, ./yaml-source.js.

import { Issues } from "./issues.js";
import { describeNode, fromPlain, type LEntry, type LMap, type LNode, type Loc } from "./located.js";
import { childSchema, tagKeyOf } from "./navigate.js";
import { formatPath, type ParsedSegment, type Path, type PathSegment, parsePath } from "./path.js";
import { type AnySchema, ArrSchema, unwrap } from "./schema.js";
import type { SourceDoc } from "./source.js";
import { parseYaml } from "./yaml-source.js";

export const SET_FILE = "--set";

/** Returns a new document with every override applied. Throws ScenarioError on malformed overrides. */
export function applyOverrides(doc: SourceDoc, sets: readonly string[], schema?: AnySchema): SourceDoc {
  const issues = new Issues();
  const root = applyOverridesInto(doc.root, sets, issues, schema);
  issues.throwIfAny();
  return { file: doc.file, root };
}

/** Collecting variant: problems go to `issues`; bad overrides are skipped. */
export function applyOverridesInto(root: LNode, sets: readonly string[], issues: Issues, schema?: AnySchema): LNode {
  sets.forEach((text, i) => {
    const line = i + 1;
    const at = (offset: number): Loc => ({ file: SET_FILE, line, col: offset + 1 });
    const eq = text.indexOf("=");
    const pathText = eq < 0 ? text : text.slice(0, eq);
    const segs = parsePath(pathText.trim() === pathText ? pathText : "");
    if (eq < 0 || segs === undefined) {
      issues.add(at(0), [], `expected key.path=value, got ${JSON.stringify(text)}`);
      return;
    }
    const path = segs.map((s) => s.seg);
    const before = issues.count;
    const parsed = parseYaml(text.slice(eq + 1), SET_FILE, issues, { line, colOffset: eq + 1 });
    if (parsed === undefined) {
      // Re-label the syntax error(s) with the key path.
      const added = issues.list.splice(before);
      for (const e of added) issues.list.push({ ...e, path: formatPath(path), message: `invalid value: ${e.message}` });
      return;
    }
    const value: LNode = parsed ?? { kind: "scalar", loc: at(eq + 1), value: null };
    const next = setAt(root, segs, 0, value, at, issues, schema);
    if (next !== undefined) root = next;
  });
  return root;
}

function setAt(
  node: LNode | undefined,
  segs: readonly ParsedSegment[],
  i: number,
  value: LNode,
  at: (offset: number) => Loc,
  issues: Issues,
  schema: AnySchema | undefined,
): LNode | undefined {
  if (i === segs.length) return value;
  const { seg, offset } = segs[i]!;
  if (node === undefined) node = defaultNode(schema, seg, at(offset));
  const here: Path = segs.slice(0, i).map((s) => s.seg);
  const full: Path = segs.map((s) => s.seg);
  const empty = node === undefined || (node.kind === "scalar" && node.value === null);
  if (node?.kind === "seq" || (empty && typeof seg === "number")) {
    const items = node?.kind === "seq" ? [...node.items] : [];
    if (typeof seg !== "number" || seg > items.length) {
      const why =
        typeof seg !== "number"
          ? `${formatPath(here)} is a list; use an index such as ${formatPath([...here, 0])}`
          : `index ${seg} is out of range (${formatPath(here)} has ${items.length} item${items.length === 1 ? "" : "s"})`;
      issues.add(at(offset), full, `cannot set: ${why}`);
      return undefined;
    }
    const item = schema === undefined ? undefined : unwrap(schema);
    const child = setAt(items[seg], segs, i + 1, value, at, issues, item instanceof ArrSchema ? (item.item as AnySchema) : undefined);
    if (child === undefined) return undefined;
    items[seg] = child;
    return { kind: "seq", loc: node?.loc ?? at(offset), items };
  }
  if (node !== undefined && !empty && node.kind !== "map") {
    issues.add(at(offset), full, `cannot set: ${formatPath(here) || "the scenario"} is ${describeNode(node)}, not a mapping`);
    return undefined;
  }
  const key = String(seg);
  const entries = new Map<string, LEntry>(node?.kind === "map" ? node.entries : []);
  const existing = entries.get(key);
  const here_: LMap = { kind: "map", loc: node?.loc ?? at(offset), entries };
  const child = setAt(existing?.value, segs, i + 1, value, at, issues, childSchema(schema, key, here_));
  if (child === undefined) return undefined;
  entries.set(key, { keyLoc: existing?.keyLoc ?? at(offset), value: child });
  const loc = node?.kind === "map" ? node.loc : i > 0 ? at(segs[i - 1]!.offset) : at(offset);
  return { kind: "map", loc, entries };
}

/**
 * The schema default of an absent mapping, as synthetic nodes (undefined when it has none). Not
 * when the override sets the tag of a discriminated union: the other variant's fields would stay.
 */
function defaultNode(schema: AnySchema | undefined, next: PathSegment, loc: Loc): LNode | undefined {
  if (schema === undefined || tagKeyOf(schema) === next) return undefined;
  const d = schema.defaultValue()?.value;
  if (d === null || typeof d !== "object" || Array.isArray(d)) return undefined;
  return fromPlain(d, loc);
}

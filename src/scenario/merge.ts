// Deep merge of located trees for `extends`: mappings merge key by key (the child wins),
// everything else (lists, scalars) is replaced whole. Where the schema says a mapping is a
// discriminated union and the child names a different variant, the child replaces it whole.
// Positions are kept from whichever tree supplied each value.
// May import: ./located.js, ./navigate.js, ./schema.js.

import type { LEntry, LMap, LNode } from "./located.js";
import { childSchema, tagKeyOf } from "./navigate.js";
import type { AnySchema } from "./schema.js";

export function mergeNodes(base: LNode, child: LNode, schema?: AnySchema): LNode {
  if (base.kind !== "map" || child.kind !== "map") return child;
  const tag = tagKeyOf(schema);
  if (tag !== undefined) {
    const bt = base.entries.get(tag)?.value;
    const ct = child.entries.get(tag)?.value;
    if (ct !== undefined && !(bt?.kind === "scalar" && ct.kind === "scalar" && bt.value === ct.value)) return child;
  }
  const entries = new Map<string, LEntry>(base.entries);
  const merged: LMap = { kind: "map", loc: child.loc, entries };
  for (const [key, e] of child.entries) {
    const b = base.entries.get(key);
    entries.set(key, b === undefined ? e : { keyLoc: e.keyLoc, value: mergeNodes(b.value, e.value, childSchema(schema, key, merged)) });
  }
  return merged;
}

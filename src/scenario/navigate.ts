// Finding the schema that governs a child key, so that tree operations (extends merging)
// can follow the schema. May import: ./located.js, ./schema.js.

import type { LMap } from "./located.js";
import { type AnySchema, EitherSchema, ObjSchema, OneOfSchema, RecordSchema, unwrap } from "./schema.js";

/** The tag key when the schema (after unwrapping) is a discriminated union. */
export function tagKeyOf(schema: AnySchema | undefined): string | undefined {
  const u = schema === undefined ? undefined : mappingSchema(schema);
  return u instanceof OneOfSchema ? u.tag : undefined;
}

/** The schema for `key` inside a mapping governed by `schema` (given the mapping, for tags). */
export function childSchema(schema: AnySchema | undefined, key: string, map: LMap): AnySchema | undefined {
  if (schema === undefined) return undefined;
  const u = mappingSchema(schema);
  if (u instanceof ObjSchema) return Object.hasOwn(u.fields, key) ? u.fields[key] : undefined;
  if (u instanceof RecordSchema) return u.value;
  if (u instanceof OneOfSchema) {
    if (key === u.tag) return undefined;
    const t = map.entries.get(u.tag)?.value;
    if (t?.kind !== "scalar" || typeof t.value !== "string" || !Object.hasOwn(u.variants, t.value)) return undefined;
    return childSchema(u.variants[t.value], key, map);
  }
  return undefined;
}

/** The structural schema that applies to a mapping value (looking into `either`). */
function mappingSchema(schema: AnySchema): AnySchema | undefined {
  const u = unwrap(schema);
  if (u instanceof EitherSchema) {
    for (const o of u.options as readonly AnySchema[]) {
      const m = mappingSchema(o);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  return u instanceof ObjSchema || u instanceof RecordSchema || u instanceof OneOfSchema ? u : undefined;
}

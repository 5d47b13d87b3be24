// Composing a scenario schema from top-level fields and sections, with the checks that tie
// sections together: sections required by the selected model, the node count (from the
// first section that defines it for the model), and each section's own cross-checks.
// May import: ./models.js, ./schema.js, ./section.js.

import type { Model } from "./models.js";
import { type AnySchema, type Fields, obj, type RefineSchema, type ObjSchema, refine, type StrSchema } from "./schema.js";
import type { NodeCount, Section, SectionEnv } from "./section.js";

export type SectionMap = { readonly [key: string]: Section<AnySchema> };
export type ComposedFields<T extends Fields, S extends SectionMap> = T & { readonly [K in keyof S]: S[K]["schema"] };

/** `top` must contain the `model` selector. Sections appear in the output in `sections` key order. */
export function composeScenario<T extends Fields & { readonly model: StrSchema<Model> }, S extends SectionMap>(
  top: T,
  sections: S,
  opts: { readonly description?: string } = {},
): RefineSchema<ObjSchema<ComposedFields<T, S>>> {
  const list = Object.entries(sections);
  const fields = { ...top } as Record<string, AnySchema>;
  for (const [key, section] of list) {
    if (Object.hasOwn(top, key)) throw new Error(`section "${key}" clashes with a top-level key`);
    fields[key] = section.schema;
  }
  const body = obj(fields as ComposedFields<T, S>, opts);
  return refine(body, (value, ctx) => {
    const root = value as unknown as Record<string, unknown> & { model: Model };
    const model = root.model;
    let nodes: SectionEnv["nodes"];
    for (const [key, section] of list) {
      if (section.requiredFor?.includes(model) && !ctx.has(key)) {
        ctx.error(key, `section is required when model is ${JSON.stringify(model)}`);
      } else if (section.requiredFor?.includes(model) && root[key] === null) {
        ctx.error(key, `must be a mapping when model is ${JSON.stringify(model)}, got null`);
      }
      const n: NodeCount | undefined = nodes === undefined ? section.nodeCount?.(root[key], model, root) : undefined;
      if (n !== undefined) nodes = { count: n.count, source: n.source ?? `${key}.${n.path}` };
    }
    const env: SectionEnv = { model, nodes, root, rootCtx: ctx };
    for (const [key, section] of list) section.check?.(root[key], ctx.at(key), env);
  });
}

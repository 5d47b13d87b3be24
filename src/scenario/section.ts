// What a scenario section is: a top-level key with its schema, plus optional hooks the
// definition runs after the whole scenario checks out (required-by-model, node counts,
// cross-section checks). Owns: the Section contract. May import: ./context.js, ./models.js,
// ./schema.js.

import type { RefineCtx } from "./context.js";
import type { Model } from "./models.js";
import type { AnySchema, Infer } from "./schema.js";

export interface NodeCount {
  readonly count: number;
  /** Key path, relative to the section, of the value that sets the count (for messages). */
  readonly path: string;
  /** How the count is made when it is not one key, e.g. `pbft.n + economics.metaNodes.count + economics.gateways`. */
  readonly source?: string;
}

export interface SectionEnv {
  readonly model: Model;
  /** The number of nodes, when the selected model's section defines it. */
  readonly nodes?: { readonly count: number; /** e.g. `phold.lps` */ readonly source: string } | undefined;
  /** The whole validated scenario (every section), for checks that tie sections together. */
  readonly root: Readonly<Record<string, unknown>>;
  /** Reports at any key path of the scenario (for a problem best shown in another section). */
  readonly rootCtx: RefineCtx;
}

export interface Section<S extends AnySchema> {
  /**
   * The section's schema. It must accept absence: give it a default (`obj({...}, { default: {} })`
   * fills every field's default) or make it `nullable(..., { default: null })`.
   */
  readonly schema: S;
  /** Models for which the section must be written in the scenario. */
  readonly requiredFor?: readonly Model[];
  /** How many nodes the scenario has, if this section defines that for `model`. */
  readonly nodeCount?: (value: Infer<S>, model: Model, root: Readonly<Record<string, unknown>>) => NodeCount | undefined;
  /** Cross-field checks that need the rest of the scenario (e.g. node ids against the node count). */
  readonly check?: (value: Infer<S>, ctx: RefineCtx, env: SectionEnv) => void;
}

/** Identity, for type inference: `export const pbft = defineSection({ schema: obj({...}) })`. */
export function defineSection<S extends AnySchema>(section: Section<S>): Section<S> {
  return section;
}

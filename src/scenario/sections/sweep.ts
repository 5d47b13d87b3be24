// Section `sweep`: the schema of a scenario's `sweep:` block (grid, zip groups, random and
// Latin-hypercube samples, replicates, base seed), written with the scenario schema DSL, and the
// `sweep` section the scenario definition registers (absent = null, ignored by `sim run`).
// Owns: the block's shape, defaults and validation messages.
// May import: ../limits.js, ../located.js, ../path.js, ../schema.js, ../section.js.

import { MAX_SAFE, MAX_SWEEP_TASKS } from "../limits.js";
import type { LNode } from "../located.js";
import { toPlain } from "../located.js";
import type { Path } from "../path.js";
import { parsePath } from "../path.js";
import {
  arr,
  bool,
  type Infer,
  int,
  type JsonSchema,
  nullable,
  num,
  obj,
  optional,
  type RefineCtx,
  record,
  refine,
  Schema,
} from "../schema.js";
import { defineSection } from "../section.js";

/** Any YAML value (scalar, list or mapping), kept as plain data: a swept value is checked later, per point, by the scenario itself. */
export class AnyValueSchema extends Schema<unknown> {
  constructor() {
    super({ description: "A value for the key path (checked when the point's scenario is validated)." });
  }
  expected(): string {
    return "a value";
  }
  accepts(): boolean {
    return true;
  }
  check(node: LNode, _path: Path): unknown {
    return toPlain(node);
  }
  toJson(): JsonSchema {
    return this.withMeta({});
  }
}

const anyValue = new AnyValueSchema();

function checkKeyPaths(keys: readonly string[], ctx: RefineCtx): void {
  for (const k of keys) {
    if (parsePath(k) === undefined) ctx.error([k], `${JSON.stringify(k)} is not a key path such as "network.loss"`);
  }
}

const valueList = arr(anyValue, { minItems: 1, description: "Values the key path takes." });

const gridSchema = refine(
  record(valueList, {
    default: {},
    description: "Full cartesian product of these lists, in declaration order (last key varies fastest).",
  }),
  (g, ctx) => checkKeyPaths(Object.keys(g), ctx),
);

const zipGroupSchema = refine(
  record(valueList, { description: "Lists that move together: the i-th values of every list form one row." }),
  (g, ctx) => {
    const keys = Object.keys(g);
    checkKeyPaths(keys, ctx);
    if (keys.length === 0) {
      ctx.error("a zip group must name at least one key path");
      return;
    }
    const n = g[keys[0]!]!.length;
    for (const k of keys.slice(1)) {
      if (g[k]!.length !== n) {
        ctx.error([k], `zip lists must have equal lengths: ${JSON.stringify(keys[0])} has ${n}, this has ${g[k]!.length}`);
      }
    }
  },
);

const rangeSchema = refine(
  obj({
    min: num({ min: -MAX_SAFE, max: MAX_SAFE, description: "Lower end of the range." }),
    max: num({ min: -MAX_SAFE, max: MAX_SAFE, description: "Upper end of the range." }),
    log: bool({ default: false, description: "Sample uniformly in log space (min must be > 0)." }),
    integer: bool({ default: false, description: "Round down to an integer in [min, max] (each integer equally likely)." }),
  }),
  (r, ctx) => {
    if (!(r.max >= r.min)) ctx.error("max", `must be >= min (${r.min}), got ${r.max}`);
    if (r.log && !(r.min > 0)) ctx.error("min", `must be > 0 when log is true, got ${r.min}`);
    if (r.integer && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) {
      ctx.error(Number.isInteger(r.min) ? "max" : "min", "must be an integer when integer is true");
    }
  },
);

const samplingSchema = obj({
  samples: int({ min: 1, max: MAX_SWEEP_TASKS, description: "Number of sampled points." }),
  params: refine(record(rangeSchema, { description: "Key path → range." }), (p, ctx) => {
    checkKeyPaths(Object.keys(p), ctx);
    if (Object.keys(p).length === 0) ctx.error("must name at least one key path");
  }),
});

export const sweepSchema = refine(
  obj(
    {
      grid: gridSchema,
      zip: arr(zipGroupSchema, {
        default: [],
        description: "Groups of lists that move together; each group is one factor of the product with the grid.",
      }),
      random: optional(samplingSchema, {
        description: "Independent uniform samples (stream sweep.random of the base seed); one factor of the product.",
      }),
      lhs: optional(samplingSchema, {
        description:
          "Latin hypercube: each range split into `samples` strata, one sample per stratum, strata permuted per key (stream sweep.lhs).",
      }),
      replicates: int({ min: 1, max: MAX_SWEEP_TASKS, default: 1, description: "Runs per point, each with its own derived seed." }),
      seed: optional(int({ min: 0, max: MAX_SAFE, description: "Base seed of the sweep (default: the scenario's seed)." })),
    },
    { description: "A parameter sweep over this scenario (`sim sweep`); ignored by `sim run`." },
  ),
  (s, ctx) => {
    const seen = new Map<string, string>();
    const claim = (key: string, where: string, at: (string | number)[]) => {
      const first = seen.get(key);
      if (first !== undefined) ctx.error(at, `${JSON.stringify(key)} is already swept by ${first}`);
      else seen.set(key, where);
    };
    for (const k of Object.keys(s.grid)) claim(k, "grid", ["grid", k]);
    s.zip.forEach((g, i) => {
      for (const k of Object.keys(g)) claim(k, `zip[${i}]`, ["zip", i, k]);
    });
    for (const which of ["random", "lhs"] as const) {
      const b = s[which];
      if (b !== undefined) for (const k of Object.keys(b.params)) claim(k, which, [which, "params", k]);
    }
    // Points are the product of the factors' sizes; checked before any point is generated.
    let tasks = s.replicates;
    for (const values of Object.values(s.grid)) tasks *= values.length;
    for (const g of s.zip) tasks *= Object.values(g)[0]?.length ?? 1;
    for (const which of ["random", "lhs"] as const) tasks *= s[which]?.samples ?? 1;
    if (tasks > MAX_SWEEP_TASKS) {
      ctx.error(`has ${tasks.toExponential(2)} tasks (points × replicates); at most ${MAX_SWEEP_TASKS} are allowed`);
    }
  },
);

export type SweepSpec = Infer<typeof sweepSchema>;
export type SweepRange = SweepSpec["random"] extends infer R ? (R extends { params: Record<string, infer P> } ? P : never) : never;

/** The `sweep` scenario section (register in scenario/sections/index.ts as `sweep`). */
export const sweep = defineSection({
  schema: nullable(sweepSchema, { default: null }),
});

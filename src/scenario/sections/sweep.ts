// Section `sweep`: the schema of a scenario's `sweep:` block (grid, zip groups, random and
// Latin-hypercube samples, the sensitivity designs sobol and morris, replicates, base seed, the
// metrics its report is about), written with the scenario schema DSL, and the
// `sweep` section the scenario definition registers (absent = null, ignored by `sim run`).
// Owns: the block's shape, defaults and validation messages.
// May import: ../located.js, ../path.js, ../schema.js, ../section.js.

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
  str,
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

export const anyValueSchema = new AnyValueSchema();
const anyValue = anyValueSchema;

export function checkKeyPaths(keys: readonly string[], ctx: RefineCtx): void {
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

export const rangeSchema = refine(
  obj({
    min: num({ description: "Lower end of the range." }),
    max: num({ description: "Upper end of the range." }),
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

const paramsSchema = refine(record(rangeSchema, { description: "Key path → range." }), (p, ctx) => {
  checkKeyPaths(Object.keys(p), ctx);
  if (Object.keys(p).length === 0) ctx.error("must name at least one key path");
});

/** Parameters a Saltelli design can take: its Sobol' sequence has 2k of SOBOL_MAX_DIMENSIONS (64) dimensions. */
export const SOBOL_MAX_PARAMS = 32;

const bootstrapSchema = int({
  min: 100,
  max: 100000,
  default: 1000,
  description: "Bootstrap resamples for the 95% confidence intervals of the indices.",
});

const sobolSchema = refine(
  obj(
    {
      samples: int({
        min: 2,
        max: 1048576,
        description: "N, the base points of Saltelli's scheme (runs: N·(k+2) for k parameters); a power of two keeps the Sobol' net balanced.",
      }),
      params: paramsSchema,
      bootstrap: bootstrapSchema,
    },
    { description: "Variance-based sensitivity (Saltelli's scheme on a Sobol' sequence): first-order (S1) and total (ST) indices per metric." },
  ),
  (b, ctx) => {
    const k = Object.keys(b.params).length;
    if (k > SOBOL_MAX_PARAMS) ctx.error("params", `at most ${SOBOL_MAX_PARAMS} parameters (the Sobol' sequence has 64 dimensions), got ${k}`);
  },
);

const morrisSchema = obj(
  {
    trajectories: int({ min: 2, max: 100000, description: "r, the one-at-a-time trajectories (runs: r·(k+1) for k parameters)." }),
    levels: refine(int({ min: 2, max: 1000, default: 4, description: "p, grid levels per parameter (even; step Δ = p / (2(p − 1)))." }), (p, ctx) => {
      if (p % 2 !== 0) ctx.error(`must be even, got ${p}`);
    }),
    params: paramsSchema,
    bootstrap: bootstrapSchema,
  },
  { description: "Morris elementary effects screening: μ*, μ and σ per parameter and metric (stream sweep.morris)." },
);

const reportSchema = obj(
  {
    metrics: optional(
      arr(str({ description: "A metric (a column of runs.csv, e.g. rewardsByClass.giniResource)." }), {
        minItems: 1,
        description: "Metrics the report charts (default: every metric that varies across the sweep).",
      }),
    ),
  },
  { description: "What the sweep's report is about." },
);

const samplingSchema = obj({
  samples: int({ min: 1, description: "Number of sampled points." }),
  params: paramsSchema,
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
      sobol: optional(sobolSchema, { description: "Saltelli design for Sobol' indices; not combined with other factors." }),
      morris: optional(morrisSchema, { description: "Morris trajectories for elementary effects; not combined with other factors." }),
      replicates: int({ min: 1, default: 1, description: "Runs per point, each with its own derived seed." }),
      seed: optional(int({ min: 0, description: "Base seed of the sweep (default: the scenario's seed)." })),
      report: optional(reportSchema),
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
    for (const which of ["random", "lhs", "sobol", "morris"] as const) {
      const b = s[which];
      if (b !== undefined) for (const k of Object.keys(b.params)) claim(k, which, [which, "params", k]);
    }
    // A sensitivity design's points have a structure its analysis relies on: it is the only factor.
    const others = [
      Object.keys(s.grid).length > 0 ? "grid" : undefined,
      s.zip.length > 0 ? "zip" : undefined,
      s.random ? "random" : undefined,
      s.lhs ? "lhs" : undefined,
    ].filter((x): x is string => x !== undefined);
    for (const which of ["sobol", "morris"] as const) {
      if (s[which] === undefined) continue;
      const clash = [...others, ...(which === "morris" && s.sobol ? ["sobol"] : [])];
      if (clash.length > 0) ctx.error([which], `a ${which} design is the sweep's only factor; remove ${clash.join(", ")} or run them as separate sweeps`);
    }
  },
);

export type SweepSpec = Infer<typeof sweepSchema>;
export type SobolBlock = NonNullable<SweepSpec["sobol"]>;
export type MorrisBlock = NonNullable<SweepSpec["morris"]>;
export type SweepRange = SweepSpec["random"] extends infer R ? (R extends { params: Record<string, infer P> } ? P : never) : never;

/** The `sweep` scenario section (register in scenario/sections/index.ts as `sweep`). */
export const sweep = defineSection({
  schema: nullable(sweepSchema, { default: null }),
});

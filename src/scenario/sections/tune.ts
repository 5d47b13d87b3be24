// Section `tune`: the schema of a scenario's `tune:` block for `sim tune` — the parameters searched
// (key path → range, as in sweeps), the objective and constraints (expressions over the metrics of
// a run summary, checked by the tune module), replicates per evaluation, the evaluation budget and
// the optimiser's settings — and the `tune` section the scenario definition registers (absent =
// absent from the resolved scenario; ignored by `sim run` and `sim sweep`).
// Owns: the block's shape, defaults and validation messages.
// May import: ../schema.js, ../section.js, ./sweep.js.

import { anyValueSchema, checkKeyPaths, rangeSchema } from "./sweep.js";
import { arr, type Infer, int, num, obj, optional, record, refine, str } from "../schema.js";
import { defineSection } from "../section.js";

const expr = (description: string) => str({ description });

export const tuneSchema = refine(
  obj(
    {
      params: refine(
        record(rangeSchema, {
          description: "Key path → range searched (min, max; `integer` floors; `log` searches the logarithm).",
        }),
        (p, ctx) => {
          checkKeyPaths(Object.keys(p), ctx);
          if (Object.keys(p).length === 0) ctx.error("must name at least one key path");
        },
      ),
      objective: refine(
        obj(
          {
            minimize: optional(expr("Expression over the summary metrics to minimise, e.g. `abs(issuance.inflationPerYear - 0.05)`.")),
            maximize: optional(expr("Expression over the summary metrics to maximise.")),
          },
          { description: "What to optimise: exactly one of minimize or maximize." },
        ),
        (o, ctx) => {
          if ((o.minimize === undefined) === (o.maximize === undefined)) ctx.error("give exactly one of minimize or maximize");
        },
      ),
      constraints: arr(expr("A comparison over the metrics, e.g. `rewardsByClass.giniResource <= 0.4`."), {
        default: [],
        description: "Conditions a result must meet; infeasible candidates rank after every feasible one, by how far they miss.",
      }),
      replicates: int({ min: 1, max: 1000, default: 1, description: "Runs per evaluation (derived seeds); metrics are averaged over them." }),
      budget: int({ min: 2, max: 1000000, description: "Evaluations at most (each of `replicates` runs)." }),
      population: optional(int({ min: 2, max: 10000, description: "Candidates per generation (default 4 + ⌊3 ln n⌋ for n parameters)." })),
      sigma: num({
        exclusiveMin: 0,
        max: 1,
        default: 0.3,
        description: "Initial step size of the search, as a fraction of each parameter's range.",
      }),
      start: optional(record(anyValueSchema, { description: "Key path → starting value (default: the middle of each range)." })),
      seed: optional(int({ min: 0, description: "Base seed of the search and its runs (default: the scenario's seed)." })),
    },
    { description: "Parameter tuning with CMA-ES (`sim tune`); ignored by `sim run` and `sim sweep`." },
  ),
  (t, ctx) => {
    for (const k of Object.keys(t.start ?? {})) {
      if (!(k in t.params)) ctx.error(["start", k], `${JSON.stringify(k)} is not one of the tuned params`);
    }
  },
);

export type TuneSpec = Infer<typeof tuneSchema>;

/**
 * The `tune` scenario section. Optional rather than `nullable(…, { default: null })`: a scenario
 * without the block resolves to exactly what it did before the section existed, so run manifests
 * and sweep spec hashes (which hash the resolved scenario) do not change.
 */
export const tune = defineSection({
  schema: optional(tuneSchema, { description: "Parameter tuning with CMA-ES (`sim tune`); ignored by `sim run` and `sim sweep`." }),
});

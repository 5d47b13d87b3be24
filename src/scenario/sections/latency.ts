// One-way latency models for `network.latency`, as a discriminated union on `model`.
// Reusable by other sections (e.g. jitter). May import: ../limits.js, ../schema.js, ../suggest.js.

import { MAX_LABEL_LENGTH, MAX_LIST, MAX_LOG, MAX_PARETO_SHAPE, MAX_SIGMA, MAX_TIME_S, MIN_PARETO_SHAPE } from "../limits.js";
import { arr, either, lit, num, obj, oneOf, optional, refine, str, transform } from "../schema.js";
import { didYouMean } from "../suggest.js";

const seconds = (description: string) => num({ min: 0, max: MAX_TIME_S, description });
const positiveSeconds = (description: string) => num({ exclusiveMin: 0, max: MAX_TIME_S, description });

const constant = obj(
  { value: seconds("One-way latency in seconds.") },
  { description: "Every message takes exactly `value` seconds." },
);

const uniform = refine(
  obj(
    { min: seconds("Smallest latency in seconds."), max: seconds("Largest latency in seconds (>= min).") },
    { description: "Latency uniform in [min, max] seconds." },
  ),
  (v, ctx) => {
    if (v.max < v.min) ctx.error("max", `must be >= min (${v.min}), got ${v.max}`);
  },
);

const normal = obj(
  {
    mean: positiveSeconds("Mean latency in seconds."),
    stddev: seconds("Standard deviation in seconds."),
    min: num({ min: 0, max: MAX_TIME_S, default: 0, description: "Samples below this many seconds are redrawn." }),
  },
  { description: "Normal latency, truncated below at `min`." },
);

const lognormal = transform(
  refine(
    obj(
      {
        mu: optional(num({ min: -MAX_LOG, max: MAX_LOG, description: "Mean of ln(latency in seconds). Give either mu or median." })),
        median: optional(positiveSeconds("Median latency in seconds (sets mu = ln(median)).")),
        sigma: num({ min: 0, max: MAX_SIGMA, description: "Standard deviation of ln(latency)." }),
      },
      { description: "Log-normal latency: seconds = exp(N(mu, sigma)); give mu or median." },
    ),
    (v, ctx) => {
      if (v.mu === undefined && v.median === undefined) ctx.error('needs either "mu" or "median"');
      else if (v.mu !== undefined && v.median !== undefined) ctx.error("median", 'give either "mu" or "median", not both');
    },
    { json: { oneOf: [{ required: ["mu"] }, { required: ["median"] }] } },
  ),
  (v): { mu: number; sigma: number } => ({ mu: v.mu ?? Math.log(v.median!), sigma: v.sigma }),
);

const pareto = obj(
  {
    scale: positiveSeconds("Minimum latency in seconds (Pareto scale x_m)."),
    shape: num({ min: MIN_PARETO_SHAPE, max: MAX_PARETO_SHAPE, description: "Tail index alpha (smaller = heavier tail)." }),
  },
  { description: "Pareto (type I) latency." },
);

const basicVariants = { constant, uniform, normal, lognormal, pareto };
const TAG_DESCRIPTION = "Which latency model.";

/** A latency distribution that does not depend on the endpoints. */
export const basicLatency = oneOf("model", basicVariants, {
  description: "A one-way latency distribution.",
  tagDescription: TAG_DESCRIPTION,
});

const regionName = str({ minLength: 1, maxLength: MAX_LABEL_LENGTH, description: "Region name." });

const regions = refine(
  obj(
    {
      regions: arr(regionName, { minItems: 1, maxItems: MAX_LIST, unique: true, description: "Region names." }),
      matrix: arr(arr(seconds("One-way seconds.")), {
        description: "Square matrix: matrix[i][j] = one-way seconds from region i to region j.",
      }),
      jitter: optional(basicLatency, { description: "Extra latency sampled per message and added to the matrix value." }),
      assignment: either([lit("roundRobin"), arr(regionName, { minItems: 1 })], {
        default: "roundRobin",
        description: 'Node to region: "roundRobin" (node i in region i mod count) or one region name per node.',
      }),
    },
    { description: "Latency from a region-to-region matrix." },
  ),
  (v, ctx) => {
    const n = v.regions.length;
    if (v.matrix.length !== n) ctx.error("matrix", `must have ${n} rows (one per region), got ${v.matrix.length}`);
    v.matrix.forEach((row, i) => {
      if (row.length !== n) ctx.error(["matrix", i], `must have ${n} entries (one per region), got ${row.length}`);
    });
    if (Array.isArray(v.assignment)) {
      v.assignment.forEach((r, i) => {
        if (!v.regions.includes(r)) {
          ctx.error(["assignment", i], `unknown region ${JSON.stringify(r)}${didYouMean(r, v.regions)}`);
        }
      });
    }
  },
);

/** `network.latency`. */
export const latency = oneOf(
  "model",
  { ...basicVariants, regions },
  {
    default: { model: "constant", value: 0.01 },
    description: "One-way message latency model.",
    tagDescription: TAG_DESCRIPTION,
  },
);

// Section `traffic`: users' demand for `model: pot` — user groups with their arrival process
// (Poisson, on/off bursts, diurnal cycle, trace), object sizes, Zipf catalog with k-replica
// placement on the resource nodes, upload share, node churn, and whether traffic runs per
// request (one kernel event per download) or aggregated per epoch (volumes drawn from the same model).
// The resolved shape matches traffic/config.ts minus `catalog.nodes` (the resource-node count).
// May import: ../limits.js, ../schema.js, ../section.js.

import {
  MAX_BYTES,
  MAX_LOG,
  MAX_PARETO_SHAPE,
  MAX_POPULATION,
  MAX_RATE,
  MAX_LIST,
  MAX_SIGMA,
  MAX_TIME_S,
  MAX_TRACE,
  MIN_INTERVAL_S,
  MIN_PARETO_SHAPE,
} from "../limits.js";
import { arr, int, nullable, num, obj, oneOf, optional, refine, str } from "../schema.js";
import { defineSection } from "../section.js";

const rate = (description: string) => num({ exclusiveMin: 0, max: MAX_RATE, description });
const interval = (description: string) => num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description });
const bytes = (description: string) => num({ exclusiveMin: 0, max: MAX_BYTES, description });

const arrival = oneOf(
  "model",
  {
    poisson: obj({ rate: rate("Requests per second per user.") }, { description: "Poisson arrivals." }),
    onOff: obj(
      {
        onRate: rate("Requests per second while on."),
        offRate: num({ min: 0, max: MAX_RATE, default: 0, description: "Requests per second while off." }),
        meanOn: interval("Mean on period (s)."),
        meanOff: interval("Mean off period (s)."),
      },
      { description: "Bursts: exponential on/off periods (Markov-modulated Poisson)." },
    ),
    diurnal: obj(
      {
        meanRate: rate("Mean requests per second per user."),
        amplitude: num({ min: 0, max: 1, default: 0.5, description: "Relative swing of the rate over the day." }),
        peakHour: num({ min: 0, max: 24, default: 20, description: "Hour of the daily peak." }),
        period: optional(interval("Cycle length (s); default 86400.")),
      },
      { description: "Daily cycle: rate(t) = meanRate·(1 + amplitude·cos(2π(t − peak)/period))." },
    ),
    trace: obj(
      { times: arr(num({ min: 0, max: MAX_TIME_S }), { maxItems: MAX_TRACE, description: "Request times (s)." }) },
      { description: "Replays request times." },
    ),
  },
  { description: "Arrival process of each user in the group.", tagDescription: "Arrival model." },
);

const sizes = refine(
  oneOf(
    "model",
    {
      lognormal: obj(
        {
          median: optional(bytes("Median size (bytes); give median or mu.")),
          mu: optional(num({ min: -MAX_LOG, max: MAX_LOG, description: "Log-mean; give median or mu." })),
          sigma: num({ min: 0, max: MAX_SIGMA, description: "Log-standard deviation." }),
          max: optional(bytes("Sizes are clamped to this (bytes).")),
        },
        { description: "Lognormal object sizes." },
      ),
      pareto: obj(
        {
          scale: bytes("Minimum size (bytes)."),
          shape: num({ min: MIN_PARETO_SHAPE, max: MAX_PARETO_SHAPE, description: "Tail index." }),
          max: optional(bytes("Sizes are clamped to this (bytes).")),
        },
        { description: "Pareto (type I) object sizes." },
      ),
      constant: obj({ bytes: num({ min: 0, max: MAX_BYTES, description: "Size (bytes)." }) }, { description: "All objects the same size." }),
    },
    {
      default: { model: "constant", bytes: 1_000_000 },
      description: "Object sizes in bytes (1 byte is charged as 1 noz).",
      tagDescription: "Size distribution.",
    },
  ),
  (v, ctx) => {
    if (v.model === "lognormal" && (v.median === undefined) === (v.mu === undefined)) ctx.error("give exactly one of median and mu");
  },
);

/** Entries of the catalog's placement table (files × replicas; kept in one typed array). */
export const MAX_PLACEMENTS = 100_000_000;

export const traffic = defineSection({
  schema: nullable(
    obj(
      {
        mode: str({
          enum: ["aggregated", "perRequest"],
          default: "aggregated",
          description: "aggregated: per-epoch volumes drawn from the model (long runs); perRequest: one kernel event per request.",
        }),
        users: arr(
          obj(
            {
              count: int({ min: 0, max: MAX_POPULATION, description: "Users in the group." }),
              arrival,
            },
            { description: "A group of users sharing one arrival process." },
          ),
          { minItems: 1, maxItems: MAX_LIST, description: "User groups (users are numbered across groups in order)." },
        ),
        sizes,
        catalog: obj(
          {
            files: int({ min: 1, max: MAX_POPULATION, default: 1000, description: "Distinct files; file 0 is the most popular." }),
            zipfExponent: num({ min: 0, max: 100, default: 0.8, description: "Zipf exponent of file popularity." }),
            replicas: int({ min: 1, max: 1000, default: 3, description: "Replicas per file (k distinct resource nodes)." }),
          },
          { default: {}, description: "Files and their placement on the honest resource nodes." },
        ),
        uploadFraction: num({ min: 0, max: 1, default: 0.1, description: "Share of requests that are uploads (charged per replica)." }),
        churn: nullable(
          obj(
            {
              meanUp: interval("Mean online period of a resource node (s)."),
              meanDown: interval("Mean offline period (s)."),
            },
            { description: "Resource nodes go offline and come back (exponential periods)." },
          ),
          { default: null },
        ),
      },
      { description: "Users' traffic for `model: pot`." },
    ),
    { default: null },
  ),
  // Each file is placed on `replicas` distinct honest resource nodes (economics section).
  check: (t, ctx, env) => {
    if (t && t.catalog.files * t.catalog.replicas > MAX_PLACEMENTS) {
      ctx.error(
        ["catalog", "replicas"],
        `catalog.files × catalog.replicas must be <= ${MAX_PLACEMENTS} (one placement table entry each), got ${t.catalog.files} × ${t.catalog.replicas}`,
      );
    }
    const e = env.root.economics as { resourceNodes: { count: number } } | null;
    if (!t || !e || env.model !== "pot") return;
    if (t.catalog.replicas > e.resourceNodes.count) {
      ctx.error(
        ["catalog", "replicas"],
        `must be <= economics.resourceNodes.count (${e.resourceNodes.count}): each file needs that many distinct resource nodes, got ${t.catalog.replicas}`,
      );
    }
  },
});
